import datetime
import itertools
import smtplib
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, ExpiryReminder
from certificates.services import lifecycle
from certificates.services.lifecycle import certificates_expire, expiry_reminders_send
from certificates.tasks import certificates_daily_task
from lms.celery import app
from tests.factories.courses import track_page
from tests.factories.network import OutletFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 11)
_numbers = itertools.count(1)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def track(db):
    return track_page(title="门店维修上岗", roles=["technician"])


@pytest.fixture
def outlet(db):
    return OutletFactory()


def certificate(track, *, expires_on, holder=None, status="valid", **fields):
    holder = holder or StaffFactory()
    n = next(_numbers)
    return Certificate.objects.create(
        serial=f"SC-2025-{n:06d}",
        code=f"code-{n}",
        holder=holder,
        holder_name=holder.name,
        employee_number=holder.employee_number,
        track=track,
        track_title=track.title,
        cycle=1,
        issued_on=expires_on - days(365),
        expires_on=expires_on,
        status=status,
        **fields,
    )


def reminders():
    return sorted(ExpiryReminder.objects.values_list("certificate_id", "milestone"))


def sent(outbox):
    return [(m.to, m.cc, m.subject) for m in outbox]


# Expiry


def test_expiry_marks_exactly_the_valid_certificates_past_their_last_day(track):
    past = certificate(track, expires_on=TODAY - days(1))
    long_past = certificate(track, expires_on=TODAY - days(400))
    last_day = certificate(track, expires_on=TODAY)
    future = certificate(track, expires_on=TODAY + days(30))
    suspended = certificate(track, expires_on=TODAY - days(5), status="suspended")
    revoked = certificate(track, expires_on=TODAY - days(5), status="revoked")

    assert certificates_expire(today=TODAY) == 2

    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses == {
        past.pk: "expired",
        long_past.pk: "expired",
        last_day.pk: "valid",
        future.pk: "valid",
        suspended.pk: "suspended",
        revoked.pk: "revoked",
    }
    past.refresh_from_db()
    assert past.status_reason == "expiry date passed"
    assert past.status_changed_at is not None
    assert sorted(
        CertificateEvent.objects.values_list(
            "certificate_id", "action", "from_status", "to_status", "reason", "actor"
        )
    ) == sorted(
        (c.pk, "expired", "valid", "expired", "expiry date passed", None) for c in (past, long_past)
    )


def test_expiring_twice_changes_nothing(track):
    expired = certificate(track, expires_on=TODAY - days(1))
    certificates_expire(today=TODAY)
    expired.refresh_from_db()
    changed_at = expired.status_changed_at

    assert certificates_expire(today=TODAY) == 0
    assert certificates_expire(today=TODAY + days(1)) == 0

    expired.refresh_from_db()
    assert expired.status_changed_at == changed_at
    assert CertificateEvent.objects.count() == 1


def test_expiry_goes_through_more_than_one_batch(track, monkeypatch):
    monkeypatch.setattr(lifecycle, "EXPIRY_BATCH_SIZE", 2)
    for _ in range(5):
        certificate(track, expires_on=TODAY - days(1))

    assert certificates_expire(today=TODAY) == 5

    assert set(Certificate.objects.values_list("status", flat=True)) == {"expired"}
    assert CertificateEvent.objects.count() == 5


# Reminders


def test_sixty_day_reminder_goes_once(track, mailoutbox):
    cert = certificate(track, expires_on=TODAY + days(60))
    later = certificate(track, expires_on=TODAY + days(61))

    assert expiry_reminders_send(today=TODAY) == 1
    assert expiry_reminders_send(today=TODAY) == 0
    assert expiry_reminders_send(today=TODAY + days(1)) == 1
    assert expiry_reminders_send(today=TODAY + days(10)) == 0

    assert sent(mailoutbox) == [
        ([cert.holder.user.email], [], "Certificate expires in 60 days: 门店维修上岗"),
        ([later.holder.user.email], [], "Certificate expires in 60 days: 门店维修上岗"),
    ]
    assert cert.serial in mailoutbox[0].body
    assert "2026-07-10" in mailoutbox[0].body
    assert mailoutbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    assert reminders() == [(cert.pk, "60"), (later.pk, "60")]


def test_thirty_and_seven_day_reminders_follow_once_each(track, mailoutbox):
    cert = certificate(track, expires_on=TODAY + days(60))
    expiry_reminders_send(today=TODAY)

    assert expiry_reminders_send(today=TODAY + days(30)) == 1
    assert expiry_reminders_send(today=TODAY + days(31)) == 0
    assert expiry_reminders_send(today=TODAY + days(53)) == 1
    assert expiry_reminders_send(today=TODAY + days(60)) == 0

    assert [m.subject for m in mailoutbox] == [
        "Certificate expires in 60 days: 门店维修上岗",
        "Certificate expires in 30 days: 门店维修上岗",
        "Certificate expires in 7 days: 门店维修上岗",
    ]
    assert reminders() == [(cert.pk, "30"), (cert.pk, "60"), (cert.pk, "7")]


def test_a_stale_milestone_is_skipped(track, mailoutbox):
    cert = certificate(track, expires_on=TODAY + days(20))
    late = certificate(track, expires_on=TODAY + days(3))

    assert expiry_reminders_send(today=TODAY) == 2
    assert expiry_reminders_send(today=TODAY + days(14)) == 1
    assert expiry_reminders_send(today=TODAY + days(15)) == 0

    assert reminders() == sorted([(cert.pk, "30"), (late.pk, "7"), (cert.pk, "7")])
    assert sorted(m.subject for m in mailoutbox) == [
        "Certificate expires in 20 days: 门店维修上岗",
        "Certificate expires in 3 days: 门店维修上岗",
        "Certificate expires in 6 days: 门店维修上岗",
    ]


def test_no_reminder_for_certificates_not_valid_or_already_expired(track, mailoutbox):
    certificate(track, expires_on=TODAY + days(5), status="suspended")
    certificate(track, expires_on=TODAY + days(5), status="revoked")
    certificate(track, expires_on=TODAY - days(1))

    assert expiry_reminders_send(today=TODAY) == 0
    assert mailoutbox == []


def test_holder_and_their_outlet_managers_get_it_not_other_outlets(track, outlet, mailoutbox):
    holder = StaffFactory(outlet=outlet)
    manager = StaffFactory(outlet=outlet, role="outlet_manager")
    second = StaffFactory(outlet=outlet, role="outlet_manager")
    StaffFactory(outlet=outlet, role="outlet_manager", is_active=False)
    StaffFactory(outlet=outlet, role="technician")
    StaffFactory(outlet=OutletFactory(), role="outlet_manager")
    certificate(track, expires_on=TODAY + days(30), holder=holder)

    assert expiry_reminders_send(today=TODAY) == 1

    ((to, cc, _),) = sent(mailoutbox)
    assert to == [holder.user.email]
    assert sorted(cc) == sorted([manager.user.email, second.user.email])


def test_managers_get_it_when_the_holder_has_no_address(track, outlet, mailoutbox):
    holder = StaffFactory(outlet=outlet, user=UserFactory(email=""))
    manager = StaffFactory(outlet=outlet, role="outlet_manager")
    nobody = certificate(track, expires_on=TODAY + days(7), holder=StaffFactory(user__email=""))
    cert = certificate(track, expires_on=TODAY + days(7), holder=holder)

    assert expiry_reminders_send(today=TODAY) == 1

    assert sent(mailoutbox) == [
        ([manager.user.email], [], "Certificate expires in 7 days: 门店维修上岗")
    ]
    assert reminders() == [(cert.pk, "7")]
    assert not ExpiryReminder.objects.filter(certificate=nobody).exists()


def test_a_reminder_that_could_not_be_sent_is_sent_by_the_next_run(track, mailoutbox):
    refused = certificate(track, expires_on=TODAY + days(30))
    accepted = certificate(track, expires_on=TODAY + days(30))
    real_send = lifecycle._email_send

    def smtp(message):
        if message.to == [refused.holder.user.email]:
            raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"mailbox busy")})
        return real_send(message)

    with mock.patch("certificates.services.lifecycle._email_send", side_effect=smtp):
        assert expiry_reminders_send(today=TODAY) == 1

    assert [m.to for m in mailoutbox] == [[accepted.holder.user.email]]
    assert reminders() == [(accepted.pk, "30")]

    assert expiry_reminders_send(today=TODAY) == 1

    assert [m.to for m in mailoutbox][1:] == [[refused.holder.user.email]]
    assert reminders() == sorted([(refused.pk, "30"), (accepted.pk, "30")])


def test_no_row_is_kept_while_the_mail_server_is_down(track, mailoutbox):
    cert = certificate(track, expires_on=TODAY + days(7))

    with mock.patch(
        "certificates.services.lifecycle._email_send", side_effect=smtplib.SMTPException("gone")
    ):
        assert expiry_reminders_send(today=TODAY) == 0

    assert ExpiryReminder.objects.count() == 0
    assert expiry_reminders_send(today=TODAY) == 1
    assert sent(mailoutbox) == [
        ([cert.holder.user.email], [], "Certificate expires in 7 days: 门店维修上岗")
    ]


# The daily task


def test_daily_task_expires_then_reminds(track, mailoutbox):
    today = timezone.localdate()
    expired = certificate(track, expires_on=today - days(1))
    expiring = certificate(track, expires_on=today + days(7))

    assert certificates_daily_task.apply().get() == {"expired": 1, "recertifying": 0, "reminded": 1}
    assert certificates_daily_task.apply().get() == {"expired": 0, "recertifying": 0, "reminded": 0}

    expired.refresh_from_db()
    assert expired.status == "expired"
    assert [m.to for m in mailoutbox] == [[expiring.holder.user.email]]


def test_daily_task_is_scheduled_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["certificates-daily"]
    assert entry["task"] == "certificates.certificates_daily_task"
    assert entry["schedule"] == crontab(hour=7, minute=30)
    assert entry["schedule"].day_of_week == set(range(7))
    # The name the scheduler sends is one the project's worker knows.
    assert entry["task"] in app.tasks
