import re

import pytest
from django.urls import reverse

from accounts import selectors
from network.models import Staff
from tests.demo.conftest import seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_people_of_the_managers_outlet_start_pending_and_one_is_invited(client):
    manager = Staff.objects.get(user__username="manager")
    client.force_login(manager.user)

    page = client.get(reverse("accounts:outlet_activation", args=[manager.outlet.code]))

    body = page.content.decode()
    assert "Not activated" in body
    assert body.count(">Invited<") == 1
    assert "Print activation slips" in body


def test_the_seed_prints_a_link_and_code_that_activate_an_account(client, seeded):
    link = re.search(r"is invited: open (\S+)", seeded).group(1)
    number = re.search(r"with employee number (\S+) and code", seeded).group(1)
    path = link.split("://", 1)[1].split("/", 1)[1]

    response = client.post(
        f"/{path}", {"password1": "Demo-Activation-77", "password2": "Demo-Activation-77"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my_training")
    person = Staff.objects.get(employee_number=number)
    assert selectors.is_activated(person.user)


def test_a_second_seed_leaves_the_invitation_standing(seeded):
    again = seed()

    assert "was invited by an earlier run" in again
