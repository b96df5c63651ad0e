import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Enrollment
from network.models import AdditionalRole
from network.services import staff_additional_role_add, staff_additional_role_remove
from tests.factories.courses import track_page
from tests.factories.network import StaffFactory


@pytest.fixture
def front_desk_track(db):
    return track_page(roles=("front_desk",))


def test_second_role_enrols_the_person_in_its_tracks(partner_outlet, front_desk_track):
    person = StaffFactory(role="technician", outlet=partner_outlet)

    staff_additional_role_add(staff=person, role="front_desk")

    enrollment = Enrollment.objects.get(staff=person, track=front_desk_track)
    assert (enrollment.source, enrollment.status) == ("rule", "active")


def test_removing_the_second_role_withdraws_its_unfinished_track(partner_outlet, front_desk_track):
    person = StaffFactory(role="technician", outlet=partner_outlet)
    staff_additional_role_add(staff=person, role="front_desk")

    removed = staff_additional_role_remove(staff=person, role="front_desk")

    assert removed == 1
    enrollment = Enrollment.objects.get(staff=person, track=front_desk_track)
    assert (enrollment.status, enrollment.withdrawal_reason) == ("withdrawn", "no longer targeted")


def test_main_role_again_as_second_role_is_refused(partner_outlet):
    person = StaffFactory(role="technician", outlet=partner_outlet)

    with pytest.raises(ValidationError) as error:
        staff_additional_role_add(staff=person, role="technician")

    assert "main role" in str(error.value)
    assert not AdditionalRole.objects.exists()


def test_second_role_needs_an_outlet(db):
    trainer = StaffFactory(role="trainer", outlet=None)

    with pytest.raises(ValidationError):
        staff_additional_role_add(staff=trainer, role="front_desk")

    assert not AdditionalRole.objects.exists()


def test_network_wide_role_cannot_be_a_second_role(partner_outlet):
    person = StaffFactory(role="technician", outlet=partner_outlet)

    with pytest.raises(ValidationError):
        staff_additional_role_add(staff=person, role="auditor")

    assert not AdditionalRole.objects.exists()


def test_second_role_added_in_the_admin_enrols_the_person(client, partner_outlet, front_desk_track):
    person = StaffFactory(role="technician", outlet=partner_outlet)
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)

    response = client.post(
        reverse("wagtailsnippets_network_additionalrole:add"),
        {"staff": person.pk, "role": "front_desk"},
    )

    assert response.status_code == 302
    assert Enrollment.objects.filter(staff=person, track=front_desk_track).exists()


def test_staff_page_shows_the_second_role(client, auditor, partner_outlet):
    person = StaffFactory(role="technician", outlet=partner_outlet)
    staff_additional_role_add(staff=person, role="front_desk")
    client.force_login(auditor.user)

    response = client.get(reverse("network:staff_detail", args=[person.employee_number]))

    assert "Technician · also Front desk" in response.content.decode()
