import datetime
import threading
import time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from certificates.models import Certificate, CertificateEvent, ExpiryReminder
from certificates.services import lifecycle
from certificates.services.issuance import (
    certificate_correct,
    certificate_issue,
    certificate_reinstate,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
)
from tests.factories.certificates import certified_track, earned
from tests.factories.courses import track_page
from tests.factories.network import OutletFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def certificate(learner, partner_outlet):
    track = certified_track(validity_months=12)
    senior = StaffFactory(role="senior_technician", outlet=partner_outlet)
    earned(staff=learner, assessor=senior, track=track)
    return certificate_issue(staff_id=learner.pk, track_id=track.pk)


def _events(certificate):
    return list(
        certificate.events.order_by("pk").values_list(
            "action", "from_status", "to_status", "reason", "actor"
        )
    )


def test_auditor_suspends_and_reinstates_with_reasons(certificate, auditor):
    certificate_suspend(certificate=certificate, actor=auditor.user, reason="稽核发现违规收费")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUSPENDED
    assert certificate.status_reason == "稽核发现违规收费"

    certificate_reinstate(certificate=certificate, actor=auditor.user, reason="复核无误")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert _events(certificate) == [
        ("issued", "", "valid", "", None),
        ("suspended", "valid", "suspended", "稽核发现违规收费", auditor.user.pk),
        ("reinstated", "suspended", "valid", "复核无误", auditor.user.pk),
    ]


def test_a_suspension_that_outlives_the_validity_ends_expired(certificate, auditor):
    certificate_suspend(certificate=certificate, actor=auditor.user, reason="待查")
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2021, 1, 1)
    )

    result = certificate_reinstate(certificate=certificate, actor=auditor.user, reason="查明")

    assert result.status == Certificate.Status.EXPIRED


def test_revoke_is_final(certificate, auditor):
    certificate_revoke(certificate=certificate, actor=auditor.user, reason="伪造实操记录")

    for action in (certificate_reinstate, certificate_suspend, certificate_revoke):
        with pytest.raises(ValidationError):
            action(certificate=certificate, actor=auditor.user, reason="再试")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert [e[0] for e in _events(certificate)] == ["issued", "revoked"]


def test_a_revoked_certificate_is_not_issued_again(certificate, auditor):
    certificate_revoke(certificate=certificate, actor=auditor.user, reason="伪造实操记录")

    again = certificate_issue(staff_id=certificate.holder_id, track_id=certificate.track_id)

    assert again is None
    assert Certificate.objects.count() == 1


def test_a_superuser_may_revoke(certificate):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)

    certificate_revoke(certificate=certificate, actor=admin, reason="质量部门决定")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


@pytest.mark.parametrize("role", ["outlet_manager", "technician", "trainer", "partner_admin"])
@pytest.mark.parametrize("action", [certificate_suspend, certificate_revoke, certificate_reinstate])
def test_only_auditors_may_change_a_certificate(certificate, partner_outlet, role, action):
    if role == "partner_admin":
        someone = StaffFactory(
            role=role, outlet=None, partner_company=partner_outlet.partner_company
        )
    elif role == "trainer":
        someone = StaffFactory(role=role, outlet=None)
    else:
        someone = StaffFactory(role=role, outlet=partner_outlet)

    with pytest.raises(PermissionDenied):
        action(certificate=certificate, actor=someone.user, reason="无权操作")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert certificate.status_reason == ""
    assert [e[0] for e in _events(certificate)] == ["issued"]


def test_the_learner_cannot_revoke_their_own_certificate(certificate, learner):
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, actor=learner.user, reason="不想要了")

    assert CertificateEvent.objects.count() == 1


def test_an_auditor_who_left_is_refused(certificate, auditor):
    auditor.is_active = False
    auditor.save()

    with pytest.raises(PermissionDenied):
        certificate_suspend(certificate=certificate, actor=auditor.user, reason="离职后操作")

    assert CertificateEvent.objects.count() == 1


def test_a_reason_is_required(certificate, auditor):
    with pytest.raises(ValidationError):
        certificate_suspend(certificate=certificate, actor=auditor.user, reason="   ")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert CertificateEvent.objects.count() == 1


def test_renewal_supersedes_and_keeps_the_chain(certificate, learner):
    learner.outlet = OutletFactory(name="调入网点")
    learner.save()

    renewed = certificate_renew(certificate=certificate)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUPERSEDED
    assert renewed.supersedes == certificate
    assert certificate.superseded_by == renewed
    assert renewed.cycle == 2
    assert renewed.status == Certificate.Status.VALID
    assert renewed.serial != certificate.serial
    assert renewed.code != certificate.code
    assert renewed.outlet_name == "调入网点"
    assert renewed.payload["supersedes"] == certificate.serial
    assert [e[:3] for e in _events(certificate)] == [
        ("issued", "", "valid"),
        ("superseded", "valid", "superseded"),
    ]
    assert [e[:3] for e in _events(renewed)] == [("renewed", "", "valid")]


def test_an_expired_certificate_is_renewed_and_stays_expired(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.EXPIRED)

    renewed = certificate_renew(certificate=certificate)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.EXPIRED
    assert renewed.supersedes == certificate
    assert renewed.cycle == 2


def test_a_certificate_is_renewed_once(certificate):
    certificate_renew(certificate=certificate)

    with pytest.raises(ValidationError):
        certificate_renew(certificate=certificate)

    assert Certificate.objects.count() == 2


def test_a_revoked_certificate_cannot_be_renewed(certificate, auditor):
    certificate_revoke(certificate=certificate, actor=auditor.user, reason="伪造实操记录")

    with pytest.raises(ValidationError):
        certificate_renew(certificate=certificate)

    assert Certificate.objects.count() == 1


def test_a_correction_is_a_new_cycle_with_the_same_dates(certificate, learner, auditor):
    learner.user.first_name = "张伟"
    learner.user.last_name = ""
    learner.user.save()

    corrected = certificate_correct(
        certificate=certificate, actor=auditor.user, reason="姓名录入错误"
    )

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUPERSEDED
    assert corrected.supersedes == certificate
    assert corrected.cycle == 2
    assert corrected.holder_name == "张伟"
    assert (corrected.issued_on, corrected.expires_on) == (
        certificate.issued_on,
        certificate.expires_on,
    )
    assert corrected.scores == certificate.scores
    assert corrected.outlet_code == certificate.outlet_code
    assert _events(corrected) == [("issued", "", "valid", "姓名录入错误", auditor.user.pk)]


def test_a_manager_cannot_correct(certificate, manager):
    with pytest.raises(PermissionDenied):
        certificate_correct(certificate=certificate, actor=manager.user, reason="改名")

    assert Certificate.objects.count() == 1
    assert CertificateEvent.objects.count() == 1


def test_certificates_are_never_deleted(certificate):
    with pytest.raises(IntegrityError), transaction.atomic():
        certificate.holder.delete()

    assert Certificate.objects.filter(pk=certificate.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_expiry_reminder_runs_at_once_send_one_email_per_certificate_and_milestone(
    mailoutbox,
):
    today = datetime.date(2026, 5, 11)
    track = track_page(title="门店维修上岗", roles=["technician"])
    outlet = OutletFactory()
    holders = [StaffFactory(role="technician", outlet=outlet) for _ in range(3)]
    certificates = [
        Certificate.objects.create(
            serial=f"SC-2026-{n:06d}",
            code=f"race-{n}",
            holder=holder,
            holder_name=holder.name,
            employee_number=holder.employee_number,
            track=track,
            track_title=track.title,
            cycle=1,
            issued_on=today - datetime.timedelta(days=300),
            expires_on=today + datetime.timedelta(days=days_left),
        )
        for n, (holder, days_left) in enumerate(zip(holders, (60, 30, 7), strict=True), start=1)
    ]
    real_send = lifecycle._email_send
    start = threading.Barrier(2)
    counts, errors = [], []

    def slow_send(message):
        # Both runs have read their candidates before the first reminder's row is committed.
        time.sleep(0.2)
        real_send(message)

    def run():
        try:
            start.wait(timeout=10)
            counts.append(lifecycle.expiry_reminders_send(today=today))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("certificates.services.lifecycle._email_send", side_effect=slow_send):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert sum(counts) == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(h.user.email for h in holders)
    assert sorted(ExpiryReminder.objects.values_list("certificate_id", "milestone")) == [
        (certificates[0].pk, "60"),
        (certificates[1].pk, "30"),
        (certificates[2].pk, "7"),
    ]
