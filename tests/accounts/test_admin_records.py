import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.events import event_record
from accounts.models import SignInEvent, SmsMessage
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENTS = "wagtailsnippets_accounts_signinevent"


@pytest.fixture
def auditor_user(db):
    person = StaffFactory(role="auditor", outlet=None)
    person.user.groups.add(Group.objects.get(name="Auditors"))
    return person.user


def test_auditors_read_the_sign_in_trail_in_the_admin(client, auditor_user):
    event_record(SignInEvent.Kind.SIGN_IN_FAILED, identifier="HN0042")
    client.force_login(auditor_user)

    response = client.get(reverse(f"{EVENTS}:list"))

    assert response.status_code == 200
    assert "HN0042" in response.content.decode()


@pytest.mark.parametrize("model", ["signinevent", "smsmessage"])
def test_nobody_adds_or_edits_the_records_not_even_an_administrator(client, model):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    record = (
        event_record(SignInEvent.Kind.SIGNED_IN)
        if model == "signinevent"
        else SmsMessage.objects.create(phone="1", purpose="activation", backend="x", status="sent")
    )
    prefix = f"wagtailsnippets_accounts_{model}"

    assert client.get(reverse(f"{prefix}:list")).status_code == 200
    assert client.get(reverse(f"{prefix}:add")).status_code in (302, 403)
    assert client.get(reverse(f"{prefix}:edit", args=[record.pk])).status_code in (302, 403)
    assert client.post(reverse(f"{prefix}:delete", args=[record.pk])).status_code in (302, 403)
    assert type(record).objects.filter(pk=record.pk).exists()
