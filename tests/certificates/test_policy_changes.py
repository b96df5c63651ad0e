"""Recertification when a policy changes: the delta, its due date, suspension and reinstatement."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, PolicyUpdate
from certificates.services import issuance
from certificates.services.policy_updates import (
    MISSED_REASON,
    policy_updates_complete,
    policy_updates_enrol,
    policy_updates_miss,
)
from certificates.tasks import policy_updates_enrol_task
from compliance.computation import State, people_compute
from courses.models import LessonCompletion, LessonPage, PolicyChange
from courses.services import enrollment_sync, lesson_complete, policy_change_record
from network.models import Outlet
from tests.factories.compliance import certificate, requirement
from tests.factories.courses import course_page, lesson_page, track_page
from tests.factories.network import StaffFactory, UserFactory

TODAY = timezone.localdate()


def _clause(text="<p>购机之日起7日内，性能故障可选择退货、换货或修理。</p>", day=None):
    return (
        "policy_clause",
        {
            "clause": text,
            "clause_en": "",
            "source": "移动电话机商品修理更换退货责任规定 第八条",
            "source_en": "",
            "effective_date": day or datetime.date(2024, 1, 1),
            "note": "",
            "note_en": "",
        },
    )


@pytest.fixture
def course(db):
    return course_page(lessons=0)


@pytest.fixture
def lesson(course):
    return lesson_page(course=course, title="三包换货期限", body=[_clause()])


@pytest.fixture
def track(course):
    return track_page(roles=["technician"], courses=[course])


def _holder(outlet, track, lesson, *, revision_id=None, status=Certificate.Status.VALID):
    person = StaffFactory(role="technician", outlet=outlet)
    LessonCompletion.objects.create(
        staff=person, lesson=lesson, revision_id=revision_id or lesson.live_revision_id
    )
    cert = certificate(
        holder=person, track=track, status=status, expires_on=TODAY + datetime.timedelta(400)
    )
    return person, cert


def _republish(lesson, body) -> LessonPage:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = body
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def _trainer():
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


def _mark(lesson, *, due_on=None, effective_on=None):
    return policy_change_record(
        actor=_trainer(),
        lesson=lesson,
        effective_on=effective_on or TODAY - datetime.timedelta(7),
        due_on=due_on or TODAY + datetime.timedelta(14),
        summary="换货期限由7日改为15日",
    )


def test_a_changed_policy_clause_is_detected_once_for_its_revision(lesson):
    assert PolicyChange.objects.count() == 0
    changed = _republish(lesson, [_clause(day=TODAY - datetime.timedelta(7))])

    change = PolicyChange.objects.get()
    assert change.lesson_id == lesson.pk
    assert change.revision_id == changed.live_revision_id
    assert change.source == PolicyChange.Source.DETECTED
    assert change.effective_on == TODAY - datetime.timedelta(7)
    assert change.due_on == TODAY + datetime.timedelta(30)
    assert "第八条" in change.summary


def test_a_revision_changing_no_policy_clause_is_not_a_policy_change(lesson):
    _republish(lesson, [_clause(), ("text", {"text": "<p>新增说明</p>", "text_en": ""})])
    assert PolicyChange.objects.count() == 0


def test_a_changed_clause_text_is_detected(lesson):
    _republish(lesson, [_clause(text="<p>购机之日起15日内可换货。</p>")])
    assert PolicyChange.objects.count() == 1


def test_a_revision_is_recorded_as_a_policy_change_only_once(lesson):
    _mark(lesson)
    with pytest.raises(ValidationError):
        _mark(lesson)
    assert PolicyChange.objects.count() == 1


def test_marking_needs_the_trainers_permission(lesson):
    with pytest.raises(PermissionDenied):
        policy_change_record(
            actor=UserFactory(),
            lesson=lesson,
            effective_on=TODAY,
            due_on=TODAY,
            summary="x",
        )
    assert PolicyChange.objects.count() == 0


def test_a_due_date_before_the_effective_date_is_refused(lesson):
    with pytest.raises(ValidationError):
        _mark(lesson, effective_on=TODAY, due_on=TODAY - datetime.timedelta(1))
    assert PolicyChange.objects.count() == 0


def test_only_holders_of_the_old_revision_are_asked_exactly_once(
    partner_outlet, lesson, track, django_capture_on_commit_callbacks
):
    old = lesson.live_revision_id
    _old_person, old_cert = _holder(partner_outlet, track, lesson)
    _revoked_person, _revoked = _holder(
        partner_outlet, track, lesson, status=Certificate.Status.REVOKED
    )
    _expired_person, _expired = _holder(
        partner_outlet, track, lesson, status=Certificate.Status.EXPIRED
    )
    changed = _republish(lesson, [_clause(text="<p>购机之日起15日内可换货。</p>")])
    PolicyChange.objects.all().delete()  # detected: this test marks it by hand
    new_person, _new_cert = _holder(
        partner_outlet, track, changed, revision_id=changed.live_revision_id
    )
    assert changed.live_revision_id > old

    with django_capture_on_commit_callbacks(execute=True):
        change = _mark(changed)
    policy_updates_enrol_task.apply(args=[change.pk])  # delivered twice

    update = PolicyUpdate.objects.get()
    assert update.certificate_id == old_cert.pk
    assert update.due_on == TODAY + datetime.timedelta(14)
    assert update.status == PolicyUpdate.Status.PENDING
    assert policy_updates_enrol(policy_change_id=change.pk) == 0


def _due(partner_outlet, lesson, track, **mark):
    person, cert = _holder(partner_outlet, track, lesson)
    changed = _republish(lesson, [_clause(text="<p>购机之日起15日内可换货。</p>")])
    PolicyChange.objects.all().delete()
    change = _mark(changed, **mark)
    policy_updates_enrol(policy_change_id=change.pk)
    return person, cert, changed, change


def test_a_missed_update_suspends_the_certificate_with_the_change_as_reason(
    partner_outlet, lesson, track
):
    person, cert, _changed, change = _due(partner_outlet, lesson, track)

    assert policy_updates_miss(today=TODAY + datetime.timedelta(14)) == 0
    assert policy_updates_miss(today=TODAY + datetime.timedelta(15)) == 1
    assert policy_updates_miss(today=TODAY + datetime.timedelta(15)) == 0

    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUSPENDED
    assert (
        cert.status_reason
        == f"{MISSED_REASON}: 换货期限由7日改为15日 (#{change.pk}, r{change.revision_id})"
    )
    event = cert.events.get()
    assert (event.action, event.from_status, event.actor) == ("suspended", "valid", None)
    assert PolicyUpdate.objects.get().status == PolicyUpdate.Status.MISSED


def test_completing_the_lesson_completes_the_update_and_records_the_revision(
    partner_outlet, lesson, track, course, django_capture_on_commit_callbacks
):
    person, cert, changed, change = _due(partner_outlet, lesson, track)
    enrollment_sync(staff_ids=[person.pk])

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(staff=person, lesson=changed, course=course)

    update = PolicyUpdate.objects.get()
    assert update.status == PolicyUpdate.Status.COMPLETED
    assert update.completed_revision_id == changed.live_revision_id
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID
    assert cert.course_revisions == [
        {
            "course": course.pk,
            "title": "",
            "revision": None,
            "lessons": [
                {
                    "lesson": changed.pk,
                    "title": "三包换货期限",
                    "revision": changed.live_revision_id,
                    "policy_change": change.pk,
                    "completed_on": TODAY.isoformat(),
                }
            ],
        }
    ]
    assert list(cert.events.values_list("action", flat=True)) == ["updated"]
    assert LessonCompletion.objects.get(staff=person).revision_id == changed.live_revision_id


def test_completing_a_missed_update_reinstates_the_certificate(partner_outlet, lesson, track):
    person, cert, changed, _change = _due(partner_outlet, lesson, track)
    policy_updates_miss(today=TODAY + datetime.timedelta(15))
    LessonCompletion.objects.filter(staff=person).update(revision_id=changed.live_revision_id)

    assert policy_updates_complete(staff_id=person.pk, lesson_id=changed.pk) == 1
    assert policy_updates_complete(staff_id=person.pk, lesson_id=changed.pk) == 0

    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID
    assert list(cert.events.values_list("action", flat=True)) == [
        "suspended",
        "updated",
        "reinstated",
    ]


def test_a_certificate_suspended_for_another_reason_is_not_reinstated(
    partner_outlet, lesson, track, auditor
):
    person, cert, changed, _change = _due(partner_outlet, lesson, track)
    auditor.user.is_superuser = True
    auditor.user.save()
    issuance.certificate_suspend(certificate=cert, actor=auditor.user, reason="投诉调查中")
    assert policy_updates_miss(today=TODAY + datetime.timedelta(15)) == 0
    LessonCompletion.objects.filter(staff=person).update(revision_id=changed.live_revision_id)

    assert policy_updates_complete(staff_id=person.pk, lesson_id=changed.pk) == 1

    cert.refresh_from_db()
    assert (cert.status, cert.status_reason) == (Certificate.Status.SUSPENDED, "投诉调查中")
    assert not cert.events.filter(action=CertificateEvent.Action.REINSTATED).exists()


def test_an_auditors_suspension_after_the_missed_one_is_not_lifted(
    partner_outlet, lesson, track, auditor
):
    person, cert, changed, _change = _due(partner_outlet, lesson, track)
    policy_updates_miss(today=TODAY + datetime.timedelta(15))
    Certificate.objects.filter(pk=cert.pk).update(status_reason="篡改维修记录")
    LessonCompletion.objects.filter(staff=person).update(revision_id=changed.live_revision_id)

    policy_updates_complete(staff_id=person.pk, lesson_id=changed.pk)

    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUSPENDED


def test_compliance_shows_policy_update_due_and_counts_it_met(partner_outlet, lesson, track):
    person, cert, _changed, _change = _due(partner_outlet, lesson, track)
    requirement(role="technician", track=track)
    outlets = Outlet.objects.filter(pk=partner_outlet.pk)

    [today] = [p for p in people_compute(outlets=outlets, today=TODAY) if p.staff_id == person.pk]
    assert [r.state for r in today.requirements] == [State.POLICY_UPDATE_DUE]
    assert today.met == 1 and today.gaps == 0

    late = TODAY + datetime.timedelta(15)
    [after] = [p for p in people_compute(outlets=outlets, today=late) if p.staff_id == person.pk]
    assert [r.state for r in after.requirements] == [State.SUSPENDED]


def test_my_training_shows_the_due_update_with_a_link_to_the_lesson(
    client, partner_outlet, lesson, track
):
    person, _cert, changed, _change = _due(partner_outlet, lesson, track)
    client.force_login(person.user)

    response = client.get(reverse("courses:my_training"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    [item] = response.context["policy_updates"]
    assert item.lesson.pk == changed.pk
    assert item.due_on == TODAY + datetime.timedelta(14)
    assert changed.url in response.content.decode()


@pytest.mark.parametrize("holders", [1, 8])
def test_my_training_with_policy_updates_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, partner_outlet, course, track, holders, warm_site_roots
):
    person = StaffFactory(role="technician", outlet=partner_outlet)
    lessons = [
        lesson_page(course=course, title=f"三包{i}", body=[_clause()]) for i in range(holders)
    ]
    cert = certificate(holder=person, track=track, expires_on=TODAY + datetime.timedelta(400))
    for lesson in lessons:
        LessonCompletion.objects.create(
            staff=person, lesson=lesson, revision_id=lesson.live_revision_id
        )
        changed = _republish(lesson, [_clause(text="<p>新条款</p>")])
        change = PolicyChange.objects.get(revision_id=changed.live_revision_id)
        policy_updates_enrol(policy_change_id=change.pk)
    assert PolicyUpdate.objects.filter(certificate=cert).count() == holders
    client.force_login(person.user)
    warm_site_roots()

    with django_assert_num_queries(12):
        response = client.get(reverse("courses:my_training"))

    assert len(response.context["policy_updates"]) == holders


@pytest.mark.parametrize("changes", [1, 6])
def test_the_policy_change_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, partner_outlet, course, track, changes
):
    from django.contrib.auth.models import Group

    for i in range(changes):
        lesson = lesson_page(course=course, title=f"三包{i}", body=[_clause()])
        _holder(partner_outlet, track, lesson)
        changed = _republish(lesson, [_clause(text=f"<p>新条款{i}</p>")])
        change = PolicyChange.objects.get(revision_id=changed.live_revision_id)
        policy_updates_enrol(policy_change_id=change.pk)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(user)
    client.get(reverse("certificates_policy_changes"))

    with django_assert_num_queries(10):
        response = client.get(reverse("certificates_policy_changes"))

    assert len(response.context["changes"]) == changes
    # Latest first; a holder who never read a changed lesson (added after they were certified)
    # is asked to read it too.
    assert [c.due for c in response.context["changes"]] == list(range(changes, 0, -1))


def test_a_trainer_marks_a_lesson_from_the_admin(client, lesson, track, partner_outlet):
    from django.contrib.auth.models import Group

    _holder(partner_outlet, track, lesson)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(user)
    url = f"{reverse('certificates_policy_change_mark')}?lesson={lesson.pk}"

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "summary": "换货期限由7日改为15日",
            "summary_en": "Exchange period from 7 to 15 days",
            "effective_on": TODAY.isoformat(),
            "due_on": (TODAY + datetime.timedelta(14)).isoformat(),
        },
    )

    assert response.status_code == 302
    change = PolicyChange.objects.get()
    assert (change.source, change.created_by) == (PolicyChange.Source.MARKED, user)
    assert PolicyUpdate.objects.count() == 0 or PolicyUpdate.objects.get().policy_change == change


def test_a_learner_may_not_mark_a_policy_change(client, lesson):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    url = f"{reverse('certificates_policy_change_mark')}?lesson={lesson.pk}"
    response = client.post(
        url, {"summary": "x", "effective_on": TODAY.isoformat(), "due_on": TODAY.isoformat()}
    )
    assert response.status_code in (302, 403)
    assert PolicyChange.objects.count() == 0


def test_the_outlet_report_shows_policy_update_due_to_the_manager(
    client, partner_outlet, lesson, track, manager
):
    person, _cert, _changed, _change = _due(partner_outlet, lesson, track)
    requirement(role="technician", track=track)
    client.force_login(manager.user)

    response = client.get(reverse("compliance:outlet", args=[partner_outlet.code]))

    [row] = [r for r in response.context["rows"] if r["person"].staff_id == person.pk]
    [cell] = row["cells"]
    assert (cell["state"]["state"], cell["state"]["tone"]) == ("policy_update_due", "warn")
    assert str(cell["state"]["label"]) == "Policy update due"
    assert response.context["compliance"].gaps == 0
    assert response.context["compliance"].policy_updates_due == 1


def test_the_lesson_editor_offers_marking_a_policy_change(client, lesson):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))

    assert response.status_code == 200
    mark = f"{reverse('certificates_policy_change_mark')}?lesson={lesson.pk}"
    assert mark in response.content.decode()


def test_the_changed_lesson_asks_its_reader_to_mark_the_new_revision_read(
    client, partner_outlet, lesson, track
):
    person, _cert, changed, _change = _due(partner_outlet, lesson, track)
    enrollment_sync(staff_ids=[person.pk])
    client.force_login(person.user)

    response = client.get(changed.url)

    assert response.context["changed_since_read"] is True
    assert response.context["completed"] is False


def test_a_revision_that_is_no_policy_change_asks_nobody_to_read_it_again(
    client, partner_outlet, lesson, track
):
    person, _cert = _holder(partner_outlet, track, lesson)
    enrollment_sync(staff_ids=[person.pk])
    changed = _republish(lesson, [_clause(), ("text", {"text": "<p>错字修正</p>", "text_en": ""})])
    client.force_login(person.user)

    response = client.get(changed.url)

    assert response.context["changed_since_read"] is False
    assert response.context["completed"] is True


def test_a_marking_with_its_dates_reversed_is_refused_and_writes_nothing(client, lesson):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(user)
    url = f"{reverse('certificates_policy_change_mark')}?lesson={lesson.pk}"

    response = client.post(
        url,
        {
            "summary": "换货期限由7日改为15日",
            "effective_on": (TODAY + datetime.timedelta(20)).isoformat(),
            "due_on": (TODAY + datetime.timedelta(14)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The date to read it by cannot be before the change takes effect."
    ]
    assert PolicyChange.objects.count() == 0
