import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.models import Enrollment, TrackPage, TrackTarget
from courses.services import (
    enrollment_assign,
    enrollment_sync,
    enrollment_withdraw,
    lesson_complete,
)
from network.models import Staff
from network.services import network_file_import, staff_move
from tests.factories.courses import course_page, home, track_page
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db

STAFF_HEADER = ["employee_number", "name", "role", "outlet_code", "hire_date", "email", "is_active"]
HIRED = datetime.date(2025, 6, 1)
LONG_AGO = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=datetime.UTC)


def staff_file_import(*rows):
    lines = [",".join(STAFF_HEADER), *(",".join(row) for row in rows)]
    report = network_file_import(
        kind="staff",
        content=("\r\n".join(lines) + "\r\n").encode(),
        filename="staff.csv",
        apply=True,
    )
    assert report.errors == []
    return report


def staff_row(number, role, outlet, *, hired=HIRED, active="yes"):
    return [
        number,
        f"员工{number}",
        role,
        outlet.code,
        hired.isoformat(),
        f"{number}@example.com",
        active,
    ]


def published_long_ago(track):
    """Pretend `track` first went live in 2024, before anybody in the test was hired."""
    TrackPage.objects.filter(pk=track.pk).update(first_published_at=LONG_AGO)
    return track


def draft_track(*, role):
    track = TrackPage(title="草稿路径", slug="draft-track", live=False)
    track.targets.add(TrackTarget(role=role))
    home().add_child(instance=track)
    track.save_revision()
    return track


def enrollments_of(staff):
    return list(
        Enrollment.objects.filter(staff=staff)
        .order_by("pk")
        .values_list("track_id", "source", "status", "starts_on", "due_on", "withdrawal_reason")
    )


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def brand_outlet(db):
    return OutletFactory()


def test_imported_person_is_enrolled_in_every_live_track_of_their_role(brand_outlet):
    today = timezone.localdate()
    old_track = published_long_ago(track_page(roles=["technician"], onboarding_days=45))
    new_track = track_page(roles=["technician", "senior_technician"], onboarding_days=30)
    track_page(roles=["front_desk"])
    draft_track(role="technician")

    staff_file_import(staff_row("E1", "technician", brand_outlet))

    person = Staff.objects.get(employee_number="E1")
    # The old track's clock starts at hire; the new track's when it went live, today.
    assert enrollments_of(person) == [
        (old_track.pk, "rule", "active", HIRED, HIRED + days(45), ""),
        (new_track.pk, "rule", "active", today, today + days(30), ""),
    ]


def test_importing_the_same_file_again_enrols_nobody_twice(brand_outlet):
    track_page(roles=["technician"])
    rows = [
        staff_row("E1", "technician", brand_outlet),
        staff_row("E2", "technician", brand_outlet),
    ]
    staff_file_import(*rows)
    before = list(Enrollment.objects.order_by("pk").values_list("pk", "staff_id", "track_id"))

    report = staff_file_import(*rows)

    assert report.unchanged == 2
    assert len(before) == 2
    assert (
        list(Enrollment.objects.order_by("pk").values_list("pk", "staff_id", "track_id")) == before
    )


def test_role_rules_applied_twice_create_nothing_new(brand_outlet):
    track = track_page(roles=["technician"])
    people = StaffFactory.create_batch(3, outlet=brand_outlet)
    StaffFactory(role="front_desk", outlet=brand_outlet)

    assert enrollment_sync() == (3, 0)
    assert enrollment_sync() == (0, 0)

    assert sorted(Enrollment.objects.values_list("staff_id", "track_id")) == sorted(
        (p.pk, track.pk) for p in people
    )


def test_partner_only_track_enrols_technicians_at_partner_outlets_only(
    brand_outlet, partner_outlet
):
    track = track_page(roles=["technician"], ownership="partner")

    staff_file_import(
        staff_row("P1", "technician", partner_outlet),
        staff_row("B1", "technician", brand_outlet),
        staff_row("P2", "front_desk", partner_outlet),
    )

    assert list(Enrollment.objects.values_list("staff__employee_number", "track_id")) == [
        ("P1", track.pk)
    ]


def test_role_change_by_import_enrols_in_new_tracks_and_withdraws_the_old_ones(brand_outlet):
    today = timezone.localdate()
    technician_track = published_long_ago(track_page(roles=["technician"]))
    shared_track = published_long_ago(track_page(roles=["technician", "senior_technician"]))
    senior_track = published_long_ago(track_page(roles=["senior_technician"], onboarding_days=60))
    staff_file_import(staff_row("E1", "technician", brand_outlet))
    person = Staff.objects.get(employee_number="E1")
    withdrawn_pk, kept_pk = Enrollment.objects.order_by("pk").values_list("pk", flat=True)

    staff_file_import(staff_row("E1", "senior_technician", brand_outlet))

    # The new role's clock starts the day the person took it up, today.
    assert enrollments_of(person) == [
        (technician_track.pk, "rule", "withdrawn", HIRED, HIRED + days(30), "no longer targeted"),
        (shared_track.pk, "rule", "active", HIRED, HIRED + days(30), ""),
        (senior_track.pk, "rule", "active", today, today + days(60), ""),
    ]
    withdrawn = Enrollment.objects.get(pk=withdrawn_pk)
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_by is None
    assert Enrollment.objects.get(pk=kept_pk).status == "active"


def test_role_change_by_move_keeps_a_completed_enrolment(brand_outlet):
    course = course_page(lessons=1)
    (lesson,) = course.get_children().specific()
    done_track = track_page(roles=["technician"], courses=[course])
    open_track = track_page(roles=["technician"])
    senior_track = track_page(roles=["senior_technician"])
    person = StaffFactory(outlet=brand_outlet)
    enrollment_sync(staff_ids=[person.pk])
    lesson_complete(staff=person, lesson=lesson, course=course)
    done = Enrollment.objects.get(track=done_track)
    assert done.completed_at is not None

    staff_move(staff=person, outlet=brand_outlet, role="senior_technician", actor=None)

    assert sorted(
        Enrollment.objects.filter(staff=person).values_list("track_id", "status", "completed_at")
    ) == sorted(
        [
            (done_track.pk, "active", done.completed_at),
            (open_track.pk, "withdrawn", None),
            (senior_track.pk, "active", None),
        ]
    )


def test_person_marked_inactive_has_unfinished_rule_enrolments_withdrawn(brand_outlet):
    first = track_page(roles=["technician"])
    second = track_page(roles=["technician"])
    staff_file_import(staff_row("E1", "technician", brand_outlet))
    person = Staff.objects.get(employee_number="E1")

    staff_file_import(staff_row("E1", "technician", brand_outlet, active="no"))

    assert sorted(
        Enrollment.objects.filter(staff=person).values_list(
            "track_id", "status", "withdrawal_reason"
        )
    ) == [(first.pk, "withdrawn", "left"), (second.pk, "withdrawn", "left")]
    assert Enrollment.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_publishing_a_track_enrols_the_people_already_in_its_role(
    brand_outlet, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    technicians = StaffFactory.create_batch(2, outlet=brand_outlet)
    StaffFactory(role="front_desk", outlet=brand_outlet)
    StaffFactory(outlet=brand_outlet, is_active=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        track = track_page(roles=["technician"], onboarding_days=20)

    assert len(callbacks) == 1
    assert sorted(
        Enrollment.objects.values_list("staff_id", "track_id", "source", "starts_on", "due_on")
    ) == [(p.pk, track.pk, "rule", today, today + days(20)) for p in technicians]


def test_saving_a_draft_track_enrols_nobody(brand_outlet, django_capture_on_commit_callbacks):
    StaffFactory(outlet=brand_outlet)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft_track(role="technician")

    assert callbacks == []
    assert Enrollment.objects.count() == 0


def test_republishing_a_track_for_another_role_withdraws_the_old_role(
    brand_outlet, django_capture_on_commit_callbacks
):
    technician = StaffFactory(outlet=brand_outlet)
    front_desk = StaffFactory(role="front_desk", outlet=brand_outlet)
    track = track_page(roles=["technician"])
    enrollment_sync()

    track.targets.clear()
    track.targets.add(TrackTarget(role="front_desk"))
    with django_capture_on_commit_callbacks(execute=True):
        track.save_revision().publish()

    assert sorted(Enrollment.objects.values_list("staff_id", "status", "withdrawal_reason")) == [
        (technician.pk, "withdrawn", "no longer targeted"),
        (front_desk.pk, "active", ""),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_and_track_publication_at_once_enrol_a_person_once():
    track = track_page(roles=["technician"])
    person = StaffFactory()
    import_wrote = threading.Event()
    errors = []

    def import_run():
        # The import's transaction stays open after its enrolment is written, as a long file's
        # does, while the publication's run reads and writes.
        try:
            with transaction.atomic():
                enrollment_sync(staff_ids=[person.pk])
                import_wrote.set()
                time.sleep(0.3)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            import_wrote.set()
            connection.close()

    def publication_run():
        try:
            import_wrote.wait(timeout=10)
            enrollment_sync(track_ids=[track.pk])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=import_run), threading.Thread(target=publication_run)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert list(Enrollment.objects.values_list("staff_id", "track_id", "status")) == [
        (person.pk, track.pk, "active")
    ]


# Assigning by hand


@pytest.fixture
def track(db):
    return track_page(roles=["senior_technician"], onboarding_days=14)


def test_outlet_manager_assigns_a_track_to_their_people(manager, partner_outlet, track):
    today = timezone.localdate()
    people = StaffFactory.create_batch(2, outlet=partner_outlet)

    created = enrollment_assign(actor=manager.user, track=track, people=people)

    assert len(created) == 2
    assert sorted(
        Enrollment.objects.values_list(
            "staff_id", "track_id", "source", "status", "starts_on", "due_on", "assigned_by"
        )
    ) == [
        (p.pk, track.pk, "manual", "active", today, today + days(14), manager.user.pk)
        for p in people
    ]


def test_assigning_to_a_person_of_another_outlet_is_refused(
    manager, partner_outlet, other_outlet, track
):
    own = StaffFactory(outlet=partner_outlet)
    stranger = StaffFactory(outlet=other_outlet)

    with pytest.raises(PermissionDenied):
        enrollment_assign(actor=manager.user, track=track, people=[own, stranger])

    assert Enrollment.objects.count() == 0


def test_a_technician_may_not_assign_training(partner_outlet, track):
    technician = StaffFactory(outlet=partner_outlet)
    colleague = StaffFactory(outlet=partner_outlet)

    with pytest.raises(PermissionDenied):
        enrollment_assign(actor=technician.user, track=track, people=[colleague])
    with pytest.raises(PermissionDenied):
        enrollment_assign(actor=technician.user, track=track, people=[technician])

    assert Enrollment.objects.count() == 0


def test_assigning_twice_keeps_one_enrolment(manager, partner_outlet, track):
    person = StaffFactory(outlet=partner_outlet)
    (first,) = enrollment_assign(actor=manager.user, track=track, people=[person])

    assert enrollment_assign(actor=manager.user, track=track, people=[person]) == []

    assert list(Enrollment.objects.values_list("pk", flat=True)) == [first.pk]


def test_assigning_a_track_a_person_has_by_rule_keeps_the_rule_enrolment(
    manager, partner_outlet, track
):
    person = StaffFactory(role="senior_technician", outlet=partner_outlet)
    enrollment_sync(staff_ids=[person.pk])

    assert enrollment_assign(actor=manager.user, track=track, people=[person]) == []

    assert list(Enrollment.objects.values_list("source", flat=True)) == ["rule"]


def test_withdrawing_keeps_the_enrolment_with_who_and_why(manager, partner_outlet, track):
    person = StaffFactory(outlet=partner_outlet)
    (enrollment,) = enrollment_assign(actor=manager.user, track=track, people=[person])

    enrollment_withdraw(actor=manager.user, enrollment=enrollment, reason="  调岗到前台  ")

    enrollment.refresh_from_db()
    assert enrollment.status == "withdrawn"
    assert enrollment.withdrawn_by == manager.user
    assert enrollment.withdrawal_reason == "调岗到前台"
    assert enrollment.withdrawn_at is not None
    assert enrollment.completed_at is None


def test_withdrawing_without_a_reason_is_refused(manager, partner_outlet, track):
    person = StaffFactory(outlet=partner_outlet)
    (enrollment,) = enrollment_assign(actor=manager.user, track=track, people=[person])

    with pytest.raises(ValidationError):
        enrollment_withdraw(actor=manager.user, enrollment=enrollment, reason="   ")

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.withdrawn_at, enrollment.withdrawn_by) == (
        "active",
        None,
        None,
    )
    assert enrollment.withdrawal_reason == ""


def test_database_refuses_two_active_enrolments_of_one_person_in_one_track(partner_outlet, track):
    person = StaffFactory(outlet=partner_outlet)
    today = timezone.localdate()
    fields = {"staff": person, "track": track, "starts_on": today, "due_on": today}
    Enrollment.objects.create(
        source="rule", status="withdrawn", withdrawn_at=timezone.now(), **fields
    )
    Enrollment.objects.create(source="rule", **fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(source="manual", **fields)

    assert list(Enrollment.objects.order_by("pk").values_list("status", flat=True)) == [
        "withdrawn",
        "active",
    ]


@pytest.mark.django_db
def test_a_track_withdrawn_by_hand_is_not_given_back_by_the_role_rule(partner_outlet):
    from courses.services import enrollment_sync, enrollment_withdraw
    from tests.factories.courses import course_page, track_page

    track_page(roles=["technician"], courses=[course_page(lessons=1)])
    person = StaffFactory(role="technician", outlet=partner_outlet)
    manager = StaffFactory(role="outlet_manager", outlet=partner_outlet)
    enrollment_sync(staff_ids=[person.pk])
    enrollment = Enrollment.objects.get(staff=person)
    enrollment_withdraw(actor=manager.user, enrollment=enrollment, reason="已在原厂培训")
    assert enrollment_sync(staff_ids=[person.pk]) == (0, 0)
    assert list(Enrollment.objects.filter(staff=person).values_list("status", flat=True)) == [
        "withdrawn"
    ]
