import datetime
import threading
import time
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from certificates.models import Certificate, CertificateEvent, Recertification
from certificates.selectors.eligibility import recertification_eligibility
from certificates.services import lifecycle
from certificates.services.issuance import (
    add_months,
    certificate_correct,
    certificate_issue,
    certificate_suspend,
)
from certificates.services.lifecycle import recertifications_open
from certificates.tasks import certificate_issue_task, certificates_daily_task
from certificates.wagtail_hooks import result_updated
from courses.models import CourseProgress
from courses.services import enrollment_sync, lesson_complete
from tests.factories.certificates import (
    certified_track,
    course_done,
    earned,
    recertification_exam,
    recertification_exam_passed,
    refreshers_done,
    track_recertification_exam,
)
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


@pytest.fixture
def track(db):
    return certified_track(validity_months=12, refreshers=2, recert_exam=True)


def holding(*, staff, senior, track, expires_in: int) -> Certificate:
    """Return `staff`'s certificate of `track`, moved so that it expires in `expires_in` days."""
    earned(staff=staff, assessor=senior, track=track)
    certificate = certificate_issue(staff_id=staff.pk, track_id=track.pk)
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=today + days(expires_in) - days(365), expires_on=today + days(expires_in)
    )
    certificate.refresh_from_db()
    return certificate


def recertifications():
    return list(
        Recertification.objects.order_by("pk").values_list(
            "certificate_id", "holder_id", "track_id", "opens_on", "due_on", "status"
        )
    )


def _backdate_progress(staff, before: datetime.date):
    CourseProgress.objects.filter(staff=staff).update(
        completed_at=timezone.make_aware(datetime.datetime.combine(before, datetime.time(12)))
    )


# Enrolment -------------------------------------------------------------------------------------


def test_holder_is_enrolled_when_the_renewal_window_opens(learner, senior, track):
    certificate = holding(staff=learner, senior=senior, track=track, expires_in=60)

    assert recertifications_open() == 1

    today = timezone.localdate()
    assert recertifications() == [
        (certificate.pk, learner.pk, track.pk, today, today + days(60), "open")
    ]


def test_nobody_is_enrolled_before_the_window_opens(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=61)

    assert recertifications_open() == 0
    assert recertifications() == []


def test_a_missed_window_still_enrols_on_the_last_valid_day(learner, senior, track):
    certificate = holding(staff=learner, senior=senior, track=track, expires_in=0)

    assert recertifications_open() == 1

    # The window opened 60 days ago: what the holder did since then counts.
    today = timezone.localdate()
    assert recertifications() == [
        (certificate.pk, learner.pk, track.pk, today - days(60), today, "open")
    ]


def test_running_twice_enrols_once(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=30)

    assert recertifications_open() == 1
    assert recertifications_open() == 0

    assert Recertification.objects.count() == 1


def test_the_database_refuses_a_second_recertification_of_a_certificate(learner, senior, track):
    certificate = holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    today = timezone.localdate()

    with pytest.raises(IntegrityError), transaction.atomic():
        Recertification.objects.create(
            certificate=certificate,
            holder=learner,
            track=track,
            opens_on=today,
            due_on=today + days(30),
        )
    assert Recertification.objects.count() == 1


def test_a_track_without_a_recertification_path_enrols_nobody(learner, senior):
    track = certified_track(validity_months=12)
    holding(staff=learner, senior=senior, track=track, expires_in=10)

    assert recertifications_open() == 0
    assert recertifications() == []


def test_an_exam_alone_is_a_recertification_path(learner, senior):
    track = certified_track(validity_months=12, recert_exam=True)
    holding(staff=learner, senior=senior, track=track, expires_in=10)

    assert recertifications_open() == 1


def test_suspended_and_expired_certificates_are_not_enrolled(
    learner, senior, track, auditor, partner_outlet
):
    suspended = holding(staff=learner, senior=senior, track=track, expires_in=20)
    certificate_suspend(certificate=suspended, actor=auditor.user, reason="稽核中")
    other = StaffFactory(role="technician", outlet=partner_outlet)
    expired = holding(staff=other, senior=senior, track=track, expires_in=-1)
    Certificate.objects.filter(pk=expired.pk).update(status=Certificate.Status.EXPIRED)

    assert recertifications_open() == 0
    assert recertifications() == []


def test_a_corrected_certificate_keeps_the_recertification_it_is_on(
    learner, senior, track, auditor
):
    certificate = holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    certificate_correct(certificate=certificate, actor=auditor.user, reason="姓名更正")

    assert recertifications_open() == 0
    assert [r[0] for r in recertifications()] == [certificate.pk]


def test_the_daily_task_enrols(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=45)

    assert certificates_daily_task.apply().get() == {
        "expired": 0,
        "recertifying": 1,
        "reminded": 1,
    }
    assert certificates_daily_task.apply().get() == {
        "expired": 0,
        "recertifying": 0,
        "reminded": 0,
    }


# Completion and renewal ------------------------------------------------------------------------


def test_refreshers_and_exam_after_the_window_opened_renew_once(learner, senior, track):
    old = holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track, percent="88.00")

    renewal = certificate_issue_task.apply(args=(learner.pk, track.pk)).get()
    again = certificate_issue_task.apply(args=(learner.pk, track.pk)).get()

    assert again == renewal
    today = timezone.localdate()
    new = Certificate.objects.get(pk=renewal)
    old.refresh_from_db()
    assert (new.cycle, new.supersedes_id, new.status) == (2, old.pk, "valid")
    assert (new.issued_on, new.expires_on) == (today, add_months(today, 12))
    assert new.scores == {"exam_percent": "88.00", "practical": None}
    assert [c["title"] for c in new.course_revisions] == ["复训课程1", "复训课程2"]
    assert old.status == Certificate.Status.SUPERSEDED
    assert list(new.events.values_list("action", "reason")) == [("renewed", "Recertification")]
    recertification = Recertification.objects.get()
    assert (recertification.status, recertification.renewal_id) == ("renewed", new.pk)
    assert Certificate.objects.filter(holder=learner, track=track).count() == 2


def test_an_expired_certificate_is_renewed_and_stays_expired(learner, senior, track):
    old = holding(staff=learner, senior=senior, track=track, expires_in=3)
    recertifications_open()
    Certificate.objects.filter(pk=old.pk).update(
        expires_on=timezone.localdate() - days(1), status=Certificate.Status.EXPIRED
    )
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track)

    renewal = certificate_issue(staff_id=learner.pk, track_id=track.pk)

    old.refresh_from_db()
    assert (renewal.cycle, renewal.supersedes_id, renewal.status) == (2, old.pk, "valid")
    assert old.status == Certificate.Status.EXPIRED


def test_courses_completed_before_the_window_opened_do_not_count(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    refreshers_done(staff=learner, track=track)
    _backdate_progress(learner, timezone.localdate() - days(31))
    recertification_exam_passed(staff=learner, track=track)

    assert certificate_issue(staff_id=learner.pk, track_id=track.pk).cycle == 1

    recertification = Recertification.objects.get()
    assert recertification_eligibility(
        staff_id=learner.pk, track_id=track.pk, since=recertification.opens_on
    ).reasons == ["courses"]
    assert Certificate.objects.count() == 1
    assert recertification.status == "open"


def test_an_exam_passed_before_the_window_opened_does_not_count(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    refreshers_done(staff=learner, track=track)
    result = recertification_exam_passed(staff=learner, track=track)
    type(result.attempt).objects.filter(pk=result.attempt_id).update(
        finished_at=timezone.now() - days(40)
    )

    assert certificate_issue(staff_id=learner.pk, track_id=track.pk).cycle == 1
    assert Certificate.objects.count() == 1
    assert Recertification.objects.get().status == "open"


def test_a_failed_recertification_exam_renews_nothing(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track, percent="40.00", passed=False)

    certificate_issue(staff_id=learner.pk, track_id=track.pk)

    assert Certificate.objects.count() == 1
    assert CertificateEvent.objects.filter(action="renewed").count() == 0


def test_without_an_open_recertification_nothing_is_renewed(learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=90)
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track)

    assert certificate_issue(staff_id=learner.pk, track_id=track.pk).cycle == 1
    assert Certificate.objects.count() == 1


def test_a_suspended_holder_is_not_renewed_by_the_refresher(learner, senior, track, auditor):
    certificate = holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    certificate_suspend(certificate=certificate, actor=auditor.user, reason="稽核中")
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track)

    certificate_issue(staff_id=learner.pk, track_id=track.pk)

    assert Certificate.objects.count() == 1
    assert Recertification.objects.get().status == "open"


def test_completing_the_last_refresher_course_queues_the_renewal(
    learner, senior, track, django_capture_on_commit_callbacks
):
    holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    recertification_exam_passed(staff=learner, track=track)
    first, last = [link.course for link in track.refresher_courses.order_by("sort_order")]
    course_done(staff=learner, course=first)

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in last.get_children().specific():
            lesson_complete(staff=learner, lesson=lesson, course=last)

    assert list(
        Certificate.objects.filter(holder=learner).order_by("cycle").values_list("cycle", "status")
    ) == [(1, "superseded"), (2, "valid")]


def test_passing_the_recertification_exam_last_queues_the_renewal(
    learner, senior, track, django_capture_on_commit_callbacks
):
    holding(staff=learner, senior=senior, track=track, expires_in=30)
    recertifications_open()
    refreshers_done(staff=learner, track=track)
    result = recertification_exam_passed(staff=learner, track=track)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result_updated(result=result, assessment=track_recertification_exam(track))

    # The renewal is queued after the result's commit, its PDF after the renewal's.
    assert len(callbacks) == 2
    renewal = Recertification.objects.get().renewal
    assert renewal.cycle == 2
    assert renewal.pdf.name.endswith(f"{renewal.serial}.pdf")


def test_enrolment_renews_at_once_what_was_already_done_in_the_window(
    learner, senior, track, django_capture_on_commit_callbacks
):
    holding(staff=learner, senior=senior, track=track, expires_in=20)
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track)

    with django_capture_on_commit_callbacks(execute=True):
        assert recertifications_open() == 1

    assert Recertification.objects.get().status == "renewed"


# Races on PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_enrolment_runs_at_once_enrol_each_holder_once(partner_outlet):
    track = certified_track(validity_months=12, refreshers=1, recert_exam=True)
    senior = StaffFactory(role="senior_technician", outlet=partner_outlet)
    holders = [StaffFactory(role="technician", outlet=partner_outlet) for _ in range(3)]
    certificates = [
        holding(staff=h, senior=senior, track=track, expires_in=10 * (i + 1))
        for i, h in enumerate(holders)
    ]
    real_check = lifecycle._renewal_check
    start = threading.Barrier(2)
    counts, errors = [], []

    def slow_check(**kwargs):
        # Both runs have read their candidates before the first enrolment is committed.
        time.sleep(0.2)
        real_check(**kwargs)

    def run():
        try:
            start.wait(timeout=10)
            counts.append(recertifications_open())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("certificates.services.lifecycle._renewal_check", side_effect=slow_check):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert sum(counts) == 3
    assert sorted(Recertification.objects.values_list("certificate_id", flat=True)) == sorted(
        c.pk for c in certificates
    )


# My training -----------------------------------------------------------------------------------


def test_my_training_shows_the_recertification_due_on_the_expiry_date(
    client, learner, senior, track
):
    certificate = holding(staff=learner, senior=senior, track=track, expires_in=45)
    recertifications_open()
    first, _second = [link.course for link in track.refresher_courses.order_by("sort_order")]
    course_done(staff=learner, course=first)
    client.force_login(learner.user)

    response = client.get(reverse("courses:my_training"))

    (item,) = response.context["recertifications"]
    assert (item.track, item.due_on, item.exam) == (
        track.specific,
        certificate.expires_on,
        track_recertification_exam(track),
    )
    assert [(c.title, done) for c, done in item.courses] == [
        ("复训课程1", True),
        ("复训课程2", False),
    ]
    assert (item.exam_passed, item.overdue, item.due_soon) == (False, False, False)
    page = response.content.decode()
    assert f'Renew by: <time datetime="{certificate.expires_on:%Y-%m-%d}">' in page
    assert reverse("assessments:exam", args=[track_recertification_exam(track).pk]) in page


def test_a_renewed_recertification_leaves_my_training(client, learner, senior, track):
    holding(staff=learner, senior=senior, track=track, expires_in=45)
    recertifications_open()
    refreshers_done(staff=learner, track=track)
    recertification_exam_passed(staff=learner, track=track)
    certificate_issue(staff_id=learner.pk, track_id=track.pk)
    client.force_login(learner.user)

    response = client.get(reverse("courses:my_training"))

    assert response.context["recertifications"] == []
    assert "Renew by" not in response.content.decode()


def test_refresher_lessons_are_open_to_the_people_enrolled_in_the_track(
    client, learner, senior, track
):
    holding(staff=learner, senior=senior, track=track, expires_in=45)
    enrollment_sync(staff_ids=[learner.pk])
    refresher = track.refresher_courses.first().course
    lesson = refresher.get_children().live().first()
    client.force_login(learner.user)

    assert client.get(lesson.url).status_code == 200


@pytest.mark.parametrize("tracks", [1, 4])
def test_my_training_with_recertifications_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, learner, senior, tracks
):
    for _ in range(tracks):
        track = certified_track(validity_months=12, refreshers=2, recert_exam=True)
        holding(staff=learner, senior=senior, track=track, expires_in=30)
        refreshers_done(staff=learner, track=track)
    recertifications_open()
    client.force_login(learner.user)
    client.get(reverse("courses:my_training"))  # Wagtail caches the site's root paths

    # One of these asks for the person's policy updates (none here).
    with django_assert_num_queries(15):
        response = client.get(reverse("courses:my_training"))

    assert len(response.context["recertifications"]) == tracks


# The path on the track -------------------------------------------------------------------------


def test_the_track_editor_shows_the_refresher_courses(admin_client, track):
    response = admin_client.get(f"/admin/pages/{track.pk}/edit/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="refresher_courses-TOTAL_FORMS" value="2"' in page
    assert "Recertification: refresher courses, in order" in page


def test_a_track_has_one_active_recertification_exam_beside_its_certification_exam(track):
    with pytest.raises(IntegrityError), transaction.atomic():
        recertification_exam(track=track)

    assert sorted(
        Assessment.objects.filter(track=track, is_active=True).values_list("kind", flat=True)
    ) == ["certification", "recertification"]
