import datetime
import re
import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.practicals import criterion_record, practical_complete, practical_start
from certificates.models import Certificate, CertificateEvent, CertificateSerial
from certificates.selectors.eligibility import track_eligibility
from certificates.services import rendering
from certificates.services.issuance import add_months, certificate_issue
from certificates.tasks import certificate_issue_task
from certificates.verification import token_verify
from courses.models import CoursePage
from courses.services import enrollment_sync, lesson_complete
from tests.factories.assessments import assessment, category, question, right_response
from tests.factories.certificates import (
    certified_track,
    course_done,
    courses_done,
    earned,
    exam_result,
    practical_done,
    track_checklist,
)
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


@pytest.fixture
def track():
    return certified_track(
        title="维修技术员上岗认证", title_en="Technician certification", validity_months=24
    )


def test_a_person_who_met_every_requirement_is_eligible(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)

    result = track_eligibility(staff_id=learner.pk, track_id=track.pk)

    assert result.eligible
    assert result.reasons == []
    assert str(result.exam_percent) == "92.50"
    assert len(result.course_revisions) == 2


def test_an_unfinished_course_is_missing(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)
    first = track.track_courses.order_by("sort_order").first().course
    learner.course_progress.filter(course=first).update(completed_at=None)

    result = track_eligibility(staff_id=learner.pk, track_id=track.pk)

    assert not result.eligible
    assert result.reasons == ["courses"]
    assert result.courses_missing == (first.pk,)


def test_an_unpublished_course_is_not_required(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)
    first = track.track_courses.order_by("sort_order").first().course
    learner.course_progress.filter(course=first).update(completed_at=None)
    CoursePage.objects.get(pk=first.pk).unpublish()

    assert track_eligibility(staff_id=learner.pk, track_id=track.pk).eligible


def test_a_failed_certification_exam_is_missing(learner, senior, track):
    courses_done(staff=learner, track=track)
    exam_result(staff=learner, track=track, percent="60.00", passed=False)
    practical_done(learner=learner, assessor=senior, track=track)

    assert track_eligibility(staff_id=learner.pk, track_id=track.pk).reasons == ["exam"]


def test_a_failed_practical_is_missing(learner, senior, track):
    courses_done(staff=learner, track=track)
    exam_result(staff=learner, track=track)
    practical_done(learner=learner, assessor=senior, track=track, passed=False)

    assert track_eligibility(staff_id=learner.pk, track_id=track.pk).reasons == ["practical"]


def test_nothing_done_lists_every_missing_piece(learner, track):
    assert track_eligibility(staff_id=learner.pk, track_id=track.pk).reasons == [
        "courses",
        "exam",
        "practical",
    ]


def test_a_track_without_exam_or_practical_needs_only_its_courses(learner):
    track = certified_track(exam=False, practical=False)
    courses_done(staff=learner, track=track)

    result = track_eligibility(staff_id=learner.pk, track_id=track.pk)

    assert result.eligible
    assert result.exam_percent is None
    assert result.practical is None


def test_a_track_without_courses_cannot_be_earned(learner):
    track = certified_track(courses=0, exam=False, practical=False)

    assert track_eligibility(staff_id=learner.pk, track_id=track.pk).reasons == ["no_courses"]


def test_issue_freezes_the_holder_track_courses_and_scores(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)

    certificate = certificate_issue(staff_id=learner.pk, track_id=track.pk)

    outlet = learner.outlet
    assert certificate.holder == learner
    assert certificate.holder_name == learner.name
    assert certificate.employee_number == learner.employee_number
    assert certificate.outlet_code == outlet.code
    assert certificate.outlet_name == outlet.name
    assert certificate.partner_company_name == outlet.partner_company.name
    assert certificate.track_title == "维修技术员上岗认证"
    assert certificate.track_title_en == "Technician certification"
    assert certificate.cycle == 1
    assert certificate.status == Certificate.Status.VALID
    assert certificate.expires_on == add_months(certificate.issued_on, 24)
    courses = [tc.course for tc in track.track_courses.order_by("sort_order")]
    assert [c["course"] for c in certificate.course_revisions] == [c.pk for c in courses]
    assert [c["revision"] for c in certificate.course_revisions] == [
        c.live_revision_id for c in courses
    ]
    assert certificate.scores["exam_percent"] == "92.50"
    assert certificate.scores["practical"]["passed"] is True
    assert certificate.supersedes is None
    assert len(certificate.code) >= 21
    event = certificate.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "issued",
        "",
        "valid",
        None,
    )


def test_the_signed_token_carries_the_payload(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)

    certificate = certificate_issue(staff_id=learner.pk, track_id=track.pk)

    verification = token_verify(certificate.token)
    assert verification.status == "valid"
    assert verification.payload["serial"] == certificate.serial
    assert verification.payload["code"] == certificate.code
    assert verification.payload["holder"] == learner.name
    assert verification.payload["expires_on"] == certificate.expires_on.isoformat()


def test_serials_are_readable_and_counted_per_year(partner_outlet, senior, track):
    people = [StaffFactory(role="technician", outlet=partner_outlet) for _ in range(3)]
    for person in people:
        earned(staff=person, assessor=senior, track=track)

    serials = [certificate_issue(staff_id=p.pk, track_id=track.pk).serial for p in people]

    year = Certificate.objects.first().issued_on.year
    assert serials == [f"SC-{year}-000001", f"SC-{year}-000002", f"SC-{year}-000003"]
    assert CertificateSerial.objects.get(year=year).last == 3
    assert all(re.fullmatch(r"SC-\d{4}-\d{6}", s) for s in serials)


def test_a_person_not_yet_eligible_gets_nothing(learner, senior, track):
    courses_done(staff=learner, track=track)
    exam_result(staff=learner, track=track)

    assert certificate_issue(staff_id=learner.pk, track_id=track.pk) is None
    assert not Certificate.objects.exists()
    assert not CertificateEvent.objects.exists()
    assert not CertificateSerial.objects.exists()


def test_the_task_run_twice_issues_one_certificate(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)

    first = certificate_issue_task.apply(args=(learner.pk, track.pk)).get()
    second = certificate_issue_task.apply(args=(learner.pk, track.pk)).get()

    assert first == second
    assert Certificate.objects.get().pk == first
    assert CertificateEvent.objects.count() == 1


def test_the_task_is_acked_late_and_rejected_when_the_worker_dies():
    assert certificate_issue_task.acks_late is True
    assert certificate_issue_task.reject_on_worker_lost is True
    assert certificate_issue_task.time_limit


def test_the_database_refuses_a_second_live_certificate(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)
    certificate = certificate_issue(staff_id=learner.pk, track_id=track.pk)
    certificate.pk = None
    certificate.serial = "SC-2099-999999"
    certificate.code = "another-code"
    certificate.cycle = 2

    with pytest.raises(IntegrityError), transaction.atomic():
        certificate.save()

    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_certificate_of_one_cycle(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)
    certificate = certificate_issue(staff_id=learner.pk, track_id=track.pk)
    certificate.pk = None
    certificate.serial = "SC-2099-999999"
    certificate.code = "another-code"
    certificate.status = Certificate.Status.REVOKED

    with pytest.raises(IntegrityError), transaction.atomic():
        certificate.save()

    assert Certificate.objects.count() == 1


def test_the_snapshot_keeps_the_outlet_of_issue_after_the_person_moves(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)
    certificate = certificate_issue(staff_id=learner.pk, track_id=track.pk)
    old_outlet = learner.outlet

    learner.outlet = OutletFactory(name="新网点")
    learner.save()
    learner.user.first_name = "改名"
    learner.user.save()

    certificate.refresh_from_db()
    assert certificate.outlet_code == old_outlet.code
    assert certificate.outlet_name == old_outlet.name
    assert certificate.holder_name != "改名"
    assert certificate.payload["outlet"] == old_outlet.code


def test_the_last_requirement_queues_issuance_after_the_commit(
    learner, senior, track, django_capture_on_commit_callbacks
):
    courses_done(staff=learner, track=track)
    exam_result(staff=learner, track=track)
    assessment = practical_start(
        assessor_user=senior.user, learner=learner, checklist=track_checklist(track)
    )
    for criterion in assessment.checklist.criteria.all():
        criterion_record(
            assessment=assessment, criterion=criterion, met=True, note="", actor=senior.user
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        practical_complete(assessment=assessment, actor=senior.user)

    # The issuance is queued after the practical's commit, the PDF after the issuance's.
    assert len(callbacks) == 2
    certificate = Certificate.objects.get()
    assert (certificate.holder, certificate.track_id) == (learner, track.pk)
    assert rendering.pdf_present(certificate)


def test_completing_the_last_course_queues_issuance(
    learner, senior, track, django_capture_on_commit_callbacks
):
    exam_result(staff=learner, track=track)
    practical_done(learner=learner, assessor=senior, track=track)
    courses = [tc.course for tc in track.track_courses.order_by("sort_order")]
    course_done(staff=learner, course=courses[0])
    last = courses[1]

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in last.get_children().specific():
            lesson_complete(staff=learner, lesson=lesson, course=last)

    assert Certificate.objects.get().holder == learner


def test_a_failed_practical_queues_nothing(
    learner, senior, track, django_capture_on_commit_callbacks
):
    courses_done(staff=learner, track=track)
    exam_result(staff=learner, track=track)
    assessment = practical_start(
        assessor_user=senior.user, learner=learner, checklist=track_checklist(track)
    )
    for criterion in assessment.checklist.criteria.all():
        criterion_record(
            assessment=assessment, criterion=criterion, met=False, note="", actor=senior.user
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        practical_complete(assessment=assessment, actor=senior.user)

    assert callbacks == []
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 15), 24, datetime.date(2028, 3, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 12, 31), 2, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 13, datetime.date(2027, 12, 30)),
    ],
)
def test_validity_is_counted_in_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_concurrent_issuances_make_one_certificate(learner, senior, track):
    earned(staff=learner, assessor=senior, track=track)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            results.append(certificate_issue(staff_id=learner.pk, track_id=track.pk).pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert errors == []
    certificate = Certificate.objects.get()
    assert results == [certificate.pk] * 4
    assert CertificateEvent.objects.filter(action="issued").count() == 1
    assert CertificateSerial.objects.get().last == 1


def test_passing_the_certification_exam_last_queues_issuance(
    learner, senior, django_capture_on_commit_callbacks
):
    track = certified_track(exam=False)
    bank = category()
    question(category=bank)
    exam = assessment(track=track, rules=[(bank, 1)])
    courses_done(staff=learner, track=track)
    practical_done(learner=learner, assessor=senior, track=track)
    enrollment_sync(staff_ids=[learner.pk])
    attempt = attempt_start(staff=learner, assessment=exam)
    item = attempt.items.select_related("version").get()

    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(
            attempt=attempt, responses={item.position: right_response(item.version.data)}
        )

    certificate = Certificate.objects.get()
    assert certificate.scores["exam_percent"] == "100.00"
