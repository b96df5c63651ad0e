import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import PasswordSetup, SignInEvent, SmsMessage
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Genuine-Parts-2026"


@pytest.fixture
def technician(partner_outlet):
    return StaffFactory(
        outlet=partner_outlet,
        employee_number="HN0042",
        phone="13900139000",
        user__username="liwei",
        user__email="liwei@example.com",
    )


def test_forgot_password_offers_sms_email_and_the_manager(client):
    body = client.get(reverse("account_login")).content.decode()
    assert reverse("accounts:reset") in body

    page = client.get(reverse("accounts:reset")).content.decode()

    assert "By SMS code" in page
    assert reverse("account_reset_password") in page
    assert "password reset slip" in page


def test_reset_by_email_link_sets_a_new_password(client, technician):
    client.post(reverse("account_reset_password"), {"email": "liwei@example.com"})

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+", mail.outbox[0].body)
    form = client.get(link.group(0), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(0),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    technician.user.refresh_from_db()
    assert technician.user.check_password(NEW_PASSWORD)
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.PASSWORD_RESET).exists()


def test_reset_by_sms_code(client, technician, sms_outbox):
    request = client.post(reverse("accounts:reset"), {"identifier": "HN0042"})
    assert request["Location"] == reverse("accounts:reset_code")
    assert len(sms_outbox) == 1
    code = re.search(r"\b(\d{6})\b", sms_outbox[0]["text"]).group(1)
    assert SmsMessage.objects.get().purpose == SmsMessage.Purpose.PASSWORD_RESET

    response = client.post(
        reverse("accounts:reset_code"),
        {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(technician.user.pk)
    technician.user.refresh_from_db()
    assert technician.user.check_password(NEW_PASSWORD)


def test_an_sms_code_is_never_in_the_record_of_the_message(client, technician, sms_outbox):
    client.post(reverse("accounts:reset"), {"identifier": "liwei"})
    code = re.search(r"\b(\d{6})\b", sms_outbox[0]["text"]).group(1)

    message = SmsMessage.objects.get()
    assert code not in " ".join(
        str(getattr(message, f.attname)) for f in SmsMessage._meta.concrete_fields
    )


def test_a_wrong_sms_code_changes_nothing_and_five_lock_it(client, technician, sms_outbox):
    client.post(reverse("accounts:reset"), {"identifier": "HN0042"})
    code = re.search(r"\b(\d{6})\b", sms_outbox[0]["text"]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = client.post(
            reverse("accounts:reset_code"),
            {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert response.status_code == 200

    right = client.post(
        reverse("accounts:reset_code"),
        {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert right.status_code == 200
    assert "no longer works" in right.content.decode()
    assert "employee number" not in right.content.decode()
    technician.user.refresh_from_db()
    assert not technician.user.check_password(NEW_PASSWORD)


def test_an_unknown_person_is_told_the_same_and_no_sms_goes(client, sms_outbox):
    response = client.post(reverse("accounts:reset"), {"identifier": "NOBODY"})

    assert response["Location"] == reverse("accounts:reset_code")
    assert sms_outbox == []
    assert not SmsMessage.objects.exists()


def test_a_manager_reset_slip_resets_an_active_account(client, technician, manager):
    client.force_login(manager.user)

    slip = client.post(reverse("accounts:issue", args=["HN0042"]), {"print": "1"})

    assert slip["Content-Type"] == "application/pdf"
    setup = PasswordSetup.objects.get(user=technician.user)
    assert setup.purpose == PasswordSetup.Purpose.RESET


def test_a_reset_slip_code_sets_a_new_password(client, technician, manager):
    issued = services.setup_issue(
        staff=technician, actor=manager.user, purpose=PasswordSetup.Purpose.RESET
    )

    client.post(
        reverse("accounts:activate_by_code"), {"employee_number": "HN0042", "code": issued.code}
    )
    response = client.post(
        reverse("accounts:activate_password"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    technician.user.refresh_from_db()
    assert technician.user.check_password(NEW_PASSWORD)


def test_typed_codes_are_throttled_per_address(client, technician, settings):
    settings.SETUP_CODE_RATE = "3/m"
    url = reverse("accounts:activate_by_code")
    for _ in range(3):
        client.post(url, {"employee_number": "HN0042", "code": "AAAA-AAAA"})

    response = client.post(url, {"employee_number": "HN0042", "code": "AAAA-AAAA"})

    assert response.status_code == 429
    assert "Retry-After" in response


def test_reset_codes_to_one_person_are_limited_per_hour(client, technician, sms_outbox, settings):
    settings.RESET_SMS_RATE = "3/h"
    for _ in range(5):
        client.post(reverse("accounts:reset"), {"identifier": "HN0042"})

    assert len(sms_outbox) == 3


def test_the_admins_own_password_reset_form_is_not_a_second_way_in(client, db):
    response = client.post("/admin/password_reset/", {"email": "someone@example.com"})

    assert response.status_code == 404
