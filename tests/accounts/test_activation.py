import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import PasswordSetup, SignInEvent, SmsMessage
from tests.factories.network import OutletFactory, PartnerCompanyFactory, StaffFactory

from .conftest import newcomer_make

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Counter-Service-2026"


def _issue(person, actor):
    return services.setup_issue(staff=person, actor=actor.user)


def _token(link: str) -> str:
    return re.search(r"/accounts/activate/([^/]+)/", link).group(1)


def test_an_issued_link_sets_the_password_and_lands_on_my_training(client, newcomer, manager):
    issued = _issue(newcomer, manager)

    page = client.get(reverse("accounts:activate", args=[issued.token]))
    assert page.status_code == 200
    assert "王小明" in page.content.decode()
    response = client.post(
        reverse("accounts:activate", args=[issued.token]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my_training")
    assert client.session["_auth_user_id"] == str(newcomer.user.pk)
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(NEW_PASSWORD)
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.ACTIVATED, user=newcomer.user).exists()


def test_a_link_carries_at_least_128_bits_and_is_stored_only_as_a_hash(newcomer, manager):
    issued = _issue(newcomer, manager)

    assert len(issued.token) >= 43  # 32 random bytes, base64
    setup = PasswordSetup.objects.get()
    assert issued.token not in setup.token_hash
    assert issued.code not in setup.code_hash


def test_a_link_works_once(client, newcomer, manager):
    issued = _issue(newcomer, manager)
    url = reverse("accounts:activate", args=[issued.token])
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    again = client.get(url)

    assert again.status_code == 410
    assert "used already" in again.content.decode()


def test_an_expired_link_is_refused_and_changes_nothing(client, newcomer, manager, settings):
    issued = _issue(newcomer, manager)
    PasswordSetup.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.post(
        reverse("accounts:activate", args=[issued.token]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    newcomer.user.refresh_from_db()
    assert not newcomer.user.has_usable_password()


def test_a_new_link_after_one_expired_leaves_one_pending_setup(client, newcomer, manager):
    first = _issue(newcomer, manager)
    PasswordSetup.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    second = _issue(newcomer, manager)

    pending = PasswordSetup.objects.filter(used_at__isnull=True, revoked_at__isnull=True)
    assert list(pending.values_list("pk", flat=True)) == [second.setup.pk]
    old = client.get(reverse("accounts:activate", args=[first.token]))
    assert old.status_code == 410
    assert "replaced by a newer one" in old.content.decode()


def test_an_issue_the_one_pending_constraint_refused_is_made_again(newcomer, manager):
    earlier = _issue(newcomer, manager)
    refused = []

    def another_issue_won_the_race(execute, sql, params, many, context):
        # As PostgreSQL answers the loser of two issues at once, after the winner commits.
        if sql.startswith('INSERT INTO "accounts_passwordsetup"') and not refused:
            refused.append(sql)
            raise IntegrityError("password_setup_one_pending")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(another_issue_won_the_race):
        issued = _issue(newcomer, manager)

    assert len(refused) == 1
    pending = PasswordSetup.objects.filter(used_at__isnull=True, revoked_at__isnull=True)
    assert list(pending.values_list("pk", flat=True)) == [issued.setup.pk]
    assert PasswordSetup.objects.get(pk=earlier.setup.pk).revoked_at is not None


def test_the_database_refuses_a_second_pending_setup_for_one_person(newcomer, manager):
    issued = _issue(newcomer, manager)

    with pytest.raises(IntegrityError), transaction.atomic():
        PasswordSetup.objects.create(
            user=newcomer.user,
            purpose=PasswordSetup.Purpose.ACTIVATION,
            token_hash="0" * 64,
            code_hash="0" * 64,
            expires_at=issued.setup.expires_at,
        )

    assert PasswordSetup.objects.filter(user=newcomer.user).count() == 1


def test_links_expire_after_the_configured_days(newcomer, manager, settings):
    settings.ACTIVATION_VALID_DAYS = 14
    issued = _issue(newcomer, manager)

    lifetime = issued.setup.expires_at - issued.setup.created_at
    assert lifetime == datetime.timedelta(days=14)


def test_reissuing_invalidates_the_earlier_link_and_code(client, newcomer, manager):
    first = _issue(newcomer, manager)
    second = _issue(newcomer, manager)

    old = client.get(reverse("accounts:activate", args=[first.token]))
    assert old.status_code == 410
    assert "replaced" in old.content.decode()
    with pytest.raises(services.SetupError):
        services.setup_for_code(identifier="HN0001", code=first.code)
    assert services.setup_for_code(identifier="HN0001", code=second.code) == second.setup


def test_a_weak_password_is_refused_with_the_validators_message(client, newcomer, manager):
    issued = _issue(newcomer, manager)

    response = client.post(
        reverse("accounts:activate", args=[issued.token]),
        {"password1": "12345678", "password2": "12345678"},
    )

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert PasswordSetup.objects.get().used_at is None


def test_employee_number_and_code_activate_in_two_steps(client, newcomer, manager):
    issued = _issue(newcomer, manager)
    typed = services.code_display(issued.code).lower()  # as a person types it

    step1 = client.post(
        reverse("accounts:activate_by_code"), {"employee_number": "hn0001", "code": typed}
    )
    assert step1.status_code == 302
    assert step1["Location"] == reverse("accounts:activate_password")
    step2 = client.post(step1["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert step2["Location"] == reverse("courses:my_training")
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(NEW_PASSWORD)


def test_the_code_locks_after_five_wrong_tries(client, newcomer, manager):
    issued = _issue(newcomer, manager)
    url = reverse("accounts:activate_by_code")
    for tries_left in (4, 3, 2, 1):
        wrong = client.post(url, {"employee_number": "HN0001", "code": "AAAA-AAAA"})
        assert f"{tries_left} tries left" in wrong.content.decode()

    fifth = client.post(url, {"employee_number": "HN0001", "code": "AAAA-AAAA"})
    assert "Too many wrong codes" in fifth.content.decode()
    right = client.post(url, {"employee_number": "HN0001", "code": issued.code})

    assert right.status_code == 200
    assert "no longer works" in right.content.decode()
    assert PasswordSetup.objects.get().revoked_at is not None
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.CODE_FAILED).count() == 5
    # The link of a locked code is dead too.
    assert client.get(reverse("accounts:activate", args=[issued.token])).status_code == 410


def test_an_unknown_employee_number_gets_the_same_answer_as_a_wrong_code(client, newcomer):
    response = client.post(
        reverse("accounts:activate_by_code"), {"employee_number": "NOBODY", "code": "AAAA-AAAA"}
    )

    assert "The employee number or the code is not right." in response.content.decode()


def test_issuing_sends_an_email_and_an_sms_with_the_same_link(
    newcomer, manager, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(newcomer, manager)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [newcomer.user.email]
    assert issued.link in mail.outbox[0].body
    assert len(sms_outbox) == 1
    assert sms_outbox[0]["phone"] == "13800138000"
    assert issued.link in sms_outbox[0]["text"]
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.SENT
    assert message.purpose == SmsMessage.Purpose.ACTIVATION
    setup = PasswordSetup.objects.get()
    assert setup.sent_by_email and setup.sent_by_sms


def test_delivery_run_twice_sends_nothing_twice(
    newcomer, manager, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(newcomer, manager)

    services.setup_deliver(setup_id=issued.setup.pk, token=issued.token, code=issued.code)

    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1


def test_a_person_without_email_or_mobile_gets_no_message(
    partner_outlet, manager, sms_outbox, django_capture_on_commit_callbacks
):
    person = newcomer_make(partner_outlet, phone="", user__email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _issue(person, manager)

    assert callbacks == []
    assert mail.outbox == [] and sms_outbox == []


def test_a_manager_issues_from_the_record_and_prints_the_slip(client, newcomer, manager):
    client.force_login(manager.user)

    response = client.post(reverse("accounts:issue", args=["HN0001"]), {"print": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert PasswordSetup.objects.filter(user=newcomer.user).usable().count() == 1


def test_a_manager_cannot_issue_outside_their_outlet(client, manager, other_outlet):
    stranger = newcomer_make(other_outlet, employee_number="XX0001")
    client.force_login(manager.user)

    response = client.post(reverse("accounts:issue", args=["XX0001"]))

    assert response.status_code == 404
    assert not PasswordSetup.objects.filter(user=stranger.user).exists()
    slips = client.post(reverse("accounts:outlet_slips", args=[other_outlet.code]))
    assert slips.status_code == 404


@pytest.mark.parametrize("role", ["technician", "front_desk", "trainer"])
def test_people_who_do_not_issue_get_404(client, newcomer, role, partner_outlet):
    viewer = StaffFactory(role=role, outlet=partner_outlet if role != "trainer" else None)
    client.force_login(viewer.user)

    response = client.post(reverse("accounts:issue", args=["HN0001"]))

    assert response.status_code == 404
    assert not PasswordSetup.objects.exists()


def test_a_partner_administrator_issues_for_every_outlet_of_their_company(client, newcomer):
    company = newcomer.outlet.partner_company
    second = OutletFactory(partner=True, partner_company=company)
    colleague = newcomer_make(second, employee_number="HN0002")
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=company)
    client.force_login(admin.user)

    assert client.post(reverse("accounts:issue", args=["HN0002"])).status_code == 302
    rival = newcomer_make(OutletFactory(partner=True, partner_company=PartnerCompanyFactory()))
    assert client.post(reverse("accounts:issue", args=[rival.employee_number])).status_code == 404
    assert PasswordSetup.objects.filter(user=colleague.user).exists()


def test_an_auditor_issues_for_anyone(client, newcomer, auditor):
    client.force_login(auditor.user)

    assert client.post(reverse("accounts:issue", args=["HN0001"])).status_code == 302
    assert PasswordSetup.objects.filter(user=newcomer.user).exists()


def test_the_outlet_pdf_has_a_slip_for_everyone_not_yet_active(
    client, newcomer, manager, partner_outlet
):
    second = newcomer_make(partner_outlet, employee_number="HN0002")
    client.force_login(manager.user)  # the manager has a password: no slip for them

    response = client.post(reverse("accounts:outlet_slips", args=[partner_outlet.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    usable = PasswordSetup.objects.usable()
    assert set(usable.values_list("user_id", flat=True)) == {newcomer.user_id, second.user_id}


def test_the_activation_page_and_team_page_show_pending_invited_active(
    client, newcomer, manager, partner_outlet
):
    newcomer_make(partner_outlet, employee_number="HN0002", user__first_name="李四")
    _issue(newcomer, manager)
    client.force_login(manager.user)

    page = client.get(reverse("accounts:outlet_activation", args=[partner_outlet.code]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("Not activated") == 1  # HN0002
    assert body.count("Invited") == 1  # HN0001
    assert body.count(">Activated<") == 1  # the manager
    team = client.get(reverse("network:outlet_detail", args=[partner_outlet.code])).content
    assert "Invited" in team.decode() and "Not activated" in team.decode()
    assert reverse("accounts:outlet_activation", args=[partner_outlet.code]) in team.decode()


def test_a_learner_sees_no_account_column(client, newcomer):
    client.force_login(StaffFactory(outlet=newcomer.outlet).user)

    body = client.get(reverse("network:staff_list")).content.decode()

    assert "Not activated" not in body and "Invited" not in body


@pytest.mark.parametrize("people", [1, 20])
def test_the_activation_page_runs_a_fixed_number_of_queries(
    client, manager, partner_outlet, people, django_assert_num_queries
):
    for index in range(people):
        newcomer_make(partner_outlet, employee_number=f"Q{index:04d}")
    client.force_login(manager.user)
    url = reverse("accounts:outlet_activation", args=[partner_outlet.code])

    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
