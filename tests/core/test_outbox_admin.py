"""The administrator sees what background work waits for the broker, and nothing of its secrets."""

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "activation-code-739115"
LIST = "wagtailsnippets_core_outboxmessage:list"


def _waiting(n=1):
    return [
        OutboxMessage.objects.create(
            task_name="accounts.tasks.setup_deliver_task",
            args=[i, "token", SECRET],
            attempts=3,
            last_error="OperationalError: Error 111 connecting to 127.0.0.1:6379.",
        )
        for i in range(n)
    ]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_administrator_sees_what_waits_and_why_but_not_its_arguments(admin_client):
    (message,) = _waiting()

    listing = admin_client.get(reverse(LIST)).content.decode()
    inspect = admin_client.get(
        reverse("wagtailsnippets_core_outboxmessage:inspect", args=[message.pk])
    ).content.decode()

    for page in (listing, inspect):
        assert "accounts.tasks.setup_deliver_task" in page
        assert "Error 111 connecting" in page
        assert SECRET not in page


def test_nobody_deletes_or_edits_a_waiting_task(admin_client):
    (message,) = _waiting()

    admin_client.post(reverse("wagtailsnippets_core_outboxmessage:delete", args=[message.pk]))
    admin_client.post(
        reverse("wagtailsnippets_core_outboxmessage:edit", args=[message.pk]),
        {"task_name": "x", "attempts": 0},
    )

    message.refresh_from_db()
    assert (message.task_name, message.attempts) == ("accounts.tasks.setup_deliver_task", 3)


def test_trainers_do_not_see_the_waiting_tasks(client):
    client.force_login(StaffFactory(role="trainer", outlet=None).user)

    response = client.get(reverse(LIST))

    assert response.status_code in (302, 403)


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_reads_a_fixed_number_of_queries(
    admin_client, count, django_assert_num_queries, warm_site_roots
):
    _waiting(count)
    admin_client.get(reverse(LIST))  # the session and the admin's menus, read once

    with django_assert_num_queries(QUERIES):
        response = admin_client.get(reverse(LIST))

    assert response.status_code == 200


# The session, the user, the admin menus and the page of rows: the same for 1 row and 30.
QUERIES = 8
