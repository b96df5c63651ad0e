"""A certificate requirement enrols the people it applies to, and its removal withdraws them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import TrackRequirement
from courses.models import Enrollment
from courses.services import enrollment_sync
from network.models import AdditionalRole
from network.services import staff_assignment_sync
from tests.factories.courses import course_page, track_page
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_desk_track():
    # A track for front desk staff only: nothing enrols a manager in it but a requirement.
    return track_page(
        roles=["front_desk"], courses=[course_page(lessons=1)], title="前台接待入职培训"
    )


@pytest.fixture
def tier3_outlet():
    return OutletFactory(partner=True, city_tier=3)


def _active(person, track) -> Enrollment | None:
    return Enrollment.objects.active().filter(staff=person, track=track).first()


def test_a_requirement_enrols_the_people_it_applies_to_with_a_due_date(
    front_desk_track, partner_outlet, tier3_outlet
):
    manager = StaffFactory(role="outlet_manager", outlet=tier3_outlet)
    elsewhere = StaffFactory(role="outlet_manager", outlet=OutletFactory(partner=True, city_tier=1))
    technician = StaffFactory(role="technician", outlet=tier3_outlet)
    TrackRequirement.objects.create(
        role="outlet_manager", track=front_desk_track, ownership="partner", city_tier=3
    )

    enrollment_sync(track_ids=[front_desk_track.pk])

    enrollment = _active(manager, front_desk_track)
    assert enrollment is not None
    assert (enrollment.source, enrollment.due_on) == (
        "rule",
        enrollment.starts_on
        + __import__("datetime").timedelta(days=front_desk_track.onboarding_days),
    )
    assert _active(elsewhere, front_desk_track) is None  # another city tier
    assert _active(technician, front_desk_track) is None  # another role


def test_a_second_role_that_a_requirement_names_enrols_too(front_desk_track, tier3_outlet):
    technician = StaffFactory(role="technician", outlet=tier3_outlet)
    TrackRequirement.objects.create(role="outlet_manager", track=front_desk_track)
    AdditionalRole.objects.create(staff=technician, role="outlet_manager")

    enrollment_sync(staff_ids=[technician.pk])

    assert _active(technician, front_desk_track) is not None


def test_removing_a_requirement_withdraws_the_unfinished_enrolments_it_caused(
    front_desk_track, tier3_outlet
):
    manager = StaffFactory(role="outlet_manager", outlet=tier3_outlet)
    finished = StaffFactory(role="outlet_manager", outlet=tier3_outlet)
    front_desk = StaffFactory(role="front_desk", outlet=tier3_outlet)
    requirement = TrackRequirement.objects.create(role="outlet_manager", track=front_desk_track)
    enrollment_sync(track_ids=[front_desk_track.pk])
    Enrollment.objects.filter(staff=finished).update(completed_at=timezone.now())

    requirement.is_active = False
    requirement.save()
    enrollment_sync(track_ids=[front_desk_track.pk])

    withdrawn = Enrollment.objects.get(staff=manager, track=front_desk_track)
    assert (withdrawn.status, withdrawn.withdrawal_reason) == ("withdrawn", "no longer targeted")
    assert _active(finished, front_desk_track) is not None  # finished: it stays
    assert _active(front_desk, front_desk_track) is not None  # the track's own target


def _auditor_client(client):
    auditor = StaffFactory(role="auditor", outlet=None)
    staff_assignment_sync(staff=auditor)
    client.force_login(auditor.user)
    return client


def test_a_requirement_created_in_the_admin_enrols_after_the_commit_and_deactivating_withdraws(
    client, front_desk_track, tier3_outlet, django_capture_on_commit_callbacks
):
    manager = StaffFactory(role="outlet_manager", outlet=tier3_outlet)
    _auditor_client(client)
    form = {
        "role": "outlet_manager",
        "track": front_desk_track.pk,
        "ownership": "",
        "city_tier": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_compliance_trackrequirement:add"), {**form, "is_active": "on"}
        )
    assert response.status_code == 302
    assert _active(manager, front_desk_track) is not None

    requirement = TrackRequirement.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_compliance_trackrequirement:edit", args=[requirement.pk]),
            form,  # is_active unticked
        )
    assert response.status_code == 302
    assert _active(manager, front_desk_track) is None


def test_a_requirement_a_superuser_deletes_withdraws_too(
    client, front_desk_track, tier3_outlet, django_capture_on_commit_callbacks
):
    from tests.factories.network import UserFactory

    manager = StaffFactory(role="outlet_manager", outlet=tier3_outlet)
    requirement = TrackRequirement.objects.create(role="outlet_manager", track=front_desk_track)
    enrollment_sync(track_ids=[front_desk_track.pk])
    assert _active(manager, front_desk_track) is not None
    client.force_login(UserFactory(is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_compliance_trackrequirement:delete", args=[requirement.pk])
        )

    assert response.status_code == 302
    assert not TrackRequirement.objects.exists()
    assert _active(manager, front_desk_track) is None
