import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories.network import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True


@pytest.fixture
def trainer(db):
    person = StaffFactory(role="trainer", outlet=None, user__username="trainer1")
    person.user.groups.add(Group.objects.get_or_create(name="Trainers")[0])
    return person


def _sign_in(client, login):
    return client.post("/accounts/login/", {"login": login, "password": PASSWORD})


def _activation_page(client):
    """allauth asks for the password again before a factor is added; then the page opens."""
    response = client.get(ACTIVATE)
    if response.status_code == 302 and "/reauthenticate/" in response["Location"]:
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(ACTIVATE)
    return response


def _now_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("path", ["/my/", "/certificates/desk/", "/admin/"])
def test_a_trainer_without_a_second_factor_is_sent_to_add_one(client, required, trainer, path):
    _sign_in(client, "trainer1")

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(ACTIVATE)
    page = _activation_page(client)
    assert page.status_code == 200
    assert "otpauth://" in page.content.decode() or "svg" in page.content.decode()


@pytest.mark.parametrize("role", ["auditor", "trainer"])
def test_auditors_and_trainers_are_held_on_the_site_and_in_the_admin(client, required, role):
    person = StaffFactory(role=role, outlet=None)
    client.force_login(person.user)

    for path in ("/", "/admin/"):
        assert client.get(path)["Location"].startswith(ACTIVATE)


def test_an_administrator_is_held_too(client, required):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    assert client.get("/admin/")["Location"].startswith(ACTIVATE)


def test_front_line_staff_are_never_asked(client, required, partner_outlet):
    client.force_login(StaffFactory(outlet=partner_outlet).user)

    assert client.get("/my/").status_code == 200


def test_with_the_setting_off_nobody_is_asked(client, trainer):
    _sign_in(client, "trainer1")

    assert client.get("/my/").status_code == 200


def test_a_trainer_with_a_factor_signs_in_with_a_code_then_uses_the_admin(
    client, required, trainer
):
    secret = generate_totp_secret()
    TOTP.activate(trainer.user, secret)

    first = _sign_in(client, "trainer1")
    assert first.status_code == 302
    assert first["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.session.get("_auth_user_id") is None
    second = client.post(first["Location"], {"code": _now_code(secret)})

    assert second.status_code == 302
    assert client.session.get("_auth_user_id") == str(trainer.user.pk)
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_code_is_signed_out(client, required, trainer):
    TOTP.activate(trainer.user, generate_totp_secret())
    client.force_login(trainer.user)  # as a sign-in that never asked for the code

    response = client.get("/admin/")

    assert response["Location"].startswith("/accounts/login/")
    assert client.session.get("_auth_user_id") is None


def test_any_person_may_add_a_factor_from_my_account(partner_outlet):
    client = Client()
    client.force_login(StaffFactory(outlet=partner_outlet).user)

    page = client.get(reverse("accounts:account")).content.decode()

    assert reverse("mfa_index") in page
    assert _activation_page(client).status_code == 200
