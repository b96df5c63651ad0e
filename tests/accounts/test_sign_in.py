import datetime
import re
import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import SignInEvent
from network import services as network_services
from tests.factories.network import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def technician(partner_outlet):
    return StaffFactory(
        outlet=partner_outlet,
        employee_number="HN0042",
        phone="139 0013 9000",
        user__username="liwei",
    )


def _sign_in(client, login, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": login, "password": password}, **extra)


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    "typed", ["liwei", "LiWei", "HN0042", "hn0042", "13900139000", "+86 139-0013-9000"]
)
def test_a_person_signs_in_by_username_employee_number_or_phone(client, technician, typed):
    response = _sign_in(client, typed)

    assert response.status_code == 302
    assert _signed_in_as(client) == str(technician.user.pk)
    assert SignInEvent.objects.filter(
        kind=SignInEvent.Kind.SIGNED_IN, user=technician.user
    ).exists()


def test_a_phone_shared_by_two_people_signs_in_neither(client, technician, partner_outlet):
    StaffFactory(outlet=partner_outlet, phone="13900139000")

    response = _sign_in(client, "13900139000")

    assert response.status_code == 200
    assert _signed_in_as(client) is None


def test_a_wrong_password_is_refused_and_recorded(client, technician):
    response = _sign_in(client, "HN0042", "wrong-password")

    assert response.status_code == 200
    assert _signed_in_as(client) is None
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGN_IN_FAILED)
    assert event.user == technician.user
    assert event.identifier == "HN0042"
    assert "wrong-password" not in str(event.detail)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, technician):
    for _ in range(5):
        _sign_in(client, "liwei", "wrong-password")

    locked = _sign_in(client, "liwei")

    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert _signed_in_as(client) is None
    assert SignInEvent.objects.filter(
        kind=SignInEvent.Kind.LOCKED_OUT, user=technician.user
    ).exists()


def test_the_lock_counts_every_way_of_naming_the_account(client, technician):
    for typed in ("liwei", "HN0042", "13900139000", "hn0042", "LIWEI"):
        _sign_in(client, typed, "wrong-password")

    assert _sign_in(client, "HN0042").status_code == 429


def test_fifty_wrong_then_the_right_password_does_not_sign_in(technician):
    client = Client()
    for index in range(50):
        _sign_in(client, "liwei", f"guess-{index}", REMOTE_ADDR=f"10.0.{index}.1")

    assert _sign_in(client, "liwei", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert _signed_in_as(client) is None


def test_a_manager_lifts_the_lock_from_the_record(client, technician, manager):
    for _ in range(5):
        _sign_in(client, "liwei", "wrong-password")
    desk = Client()
    desk.force_login(manager.user)
    record = desk.get(reverse("network:staff_detail", args=["HN0042"])).content.decode()
    assert "Locked after too many wrong passwords" in record

    response = desk.post(reverse("accounts:unlock", args=["HN0042"]))

    assert response.status_code == 302
    assert _sign_in(client, "liwei").status_code == 302
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.UNLOCKED, actor=manager.user).exists()


def test_the_lock_ends_by_itself_after_the_cool_off(client, technician, settings):
    for _ in range(5):
        _sign_in(client, "liwei", "wrong-password")
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert _sign_in(client, "liwei").status_code == 302


def test_deactivating_a_person_ends_every_session_and_reactivating_revives_none(technician):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        _sign_in(device, "liwei")
    assert UserSession.objects.filter(user=technician.user).count() == 2
    user = technician.user

    user.is_active = False
    user.save()
    user.is_active = True
    user.save()

    for device in (phone, laptop):
        response = device.get(reverse("courses:my_training"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.SESSIONS_ENDED, user=user).exists()


def test_leaving_in_an_hr_import_ends_every_session(technician):
    phone = Client()
    _sign_in(phone, "liwei")

    network_services.staff_import(
        rows=[
            {
                "employee_number": "HN0042",
                "name": technician.name,
                "role": technician.role,
                "outlet_code": technician.outlet.code,
                "partner_company_code": None,
                "hire_date": technician.hire_date,
                "email": technician.user.email,
                "phone": technician.phone,
                "username": "liwei",
                "is_active": False,
                "row": 2,
            }
        ],
        report=network_services.ImportReport(kind="staff"),
    )

    assert get_user_model().objects.get(pk=technician.user_id).is_active is False
    assert phone.get(reverse("courses:my_training")).status_code == 302
    assert not UserSession.objects.filter(user=technician.user).exists()


def test_a_manager_signs_a_person_out_everywhere(client, technician, manager):
    phone = Client()
    _sign_in(phone, "liwei")
    client.force_login(manager.user)

    client.post(reverse("accounts:end_sessions", args=["HN0042"]))

    assert phone.get(reverse("courses:my_training")).status_code == 302


def test_an_idle_session_ends_after_the_idle_timeout(client, technician, settings, monkeypatch):
    settings.SESSION_IDLE_TIMEOUT = 60 * 60
    _sign_in(client, "liwei")
    assert client.get(reverse("courses:my_training")).status_code == 200
    later = time.time() + 2 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.get(reverse("courses:my_training"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_everyone_changes_their_password_from_my_account(client, technician):
    _sign_in(client, "liwei")
    assert (
        reverse("account_change_password")
        in client.get(reverse("accounts:account")).content.decode()
    )

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Repair-Desk-9931", "password2": "Repair-Desk-9931"},
    )

    assert response.status_code == 302
    technician.user.refresh_from_db()
    assert technician.user.check_password("Repair-Desk-9931")
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.PASSWORD_CHANGED).exists()


def test_the_admin_sign_in_goes_through_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/pages/"


def test_the_lock_page_says_when_to_try_again(client, technician):
    for _ in range(5):
        _sign_in(client, "liwei", "wrong-password")

    page = _sign_in(client, "liwei").content.decode()

    assert "You can try again after" in page
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.LOCKED_OUT).count() == 1


def test_my_account_is_linked_from_every_page(client, technician):
    _sign_in(client, "liwei")

    assert f'href="{reverse("accounts:account")}"' in client.get("/my/").content.decode()


def test_the_list_of_my_sessions_opens(client, technician):
    _sign_in(client, "liwei")

    assert client.get(reverse("usersessions_list")).status_code == 200


def test_the_record_buttons_carry_their_csrf_token(technician, manager):
    desk = Client(enforce_csrf_checks=True)
    desk.force_login(manager.user)
    record = desk.get(reverse("network:staff_detail", args=["HN0042"])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', record).group(1)

    response = desk.post(
        reverse("accounts:end_sessions", args=["HN0042"]), {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_a_signed_in_administrator_goes_from_the_admin_login_to_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get("/admin/login/?next=/admin/pages/")

    assert response["Location"] == "/admin/pages/"
