import datetime
import smtplib
import threading
import time
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from courses import services
from courses.models import Enrollment, ReminderSent
from courses.services import onboarding_reminders_send
from courses.tasks import onboarding_reminders_task
from lms.celery import app
from tests.factories.courses import track_page
from tests.factories.network import StaffFactory

TODAY = datetime.date(2026, 5, 11)


def days(n):
    return datetime.timedelta(days=n)


def enrol(track, *, due_on, staff=None, **fields):
    staff = staff or StaffFactory()
    return Enrollment.objects.create(
        staff=staff,
        track=track,
        source="rule",
        starts_on=due_on - days(track.onboarding_days),
        due_on=due_on,
        **fields,
    )


def reminders():
    return sorted(ReminderSent.objects.values_list("enrollment_id", "milestone"))


def sent(outbox):
    return [(m.to, m.subject) for m in outbox]


@pytest.fixture
def track(db):
    return track_page(title="门店维修入门", roles=["technician"])


def test_reminder_goes_once_when_due_soon_and_once_when_overdue(track, mailoutbox):
    due_soon = enrol(track, due_on=TODAY + days(5))
    overdue = enrol(track, due_on=TODAY - days(1))

    assert onboarding_reminders_send(today=TODAY) == 2

    assert sent(mailoutbox) == [
        ([due_soon.staff.user.email], "Due in 5 days: 门店维修入门"),
        ([overdue.staff.user.email], "Overdue: 门店维修入门"),
    ]
    assert reminders() == [(due_soon.pk, "due_soon"), (overdue.pk, "overdue")]
    assert "门店维修入门" in mailoutbox[1].body
    assert mailoutbox[1].from_email == settings.DEFAULT_FROM_EMAIL


def test_second_run_sends_nothing_more(track, mailoutbox):
    enrol(track, due_on=TODAY + days(5))
    enrol(track, due_on=TODAY - days(3))
    onboarding_reminders_send(today=TODAY)

    assert onboarding_reminders_send(today=TODAY) == 0
    assert onboarding_reminders_send(today=TODAY + days(1)) == 0

    assert len(mailoutbox) == 2
    assert ReminderSent.objects.count() == 2


def test_overdue_reminder_follows_the_due_soon_one_once(track, mailoutbox):
    enrollment = enrol(track, due_on=TODAY + days(5))
    onboarding_reminders_send(today=TODAY)

    assert onboarding_reminders_send(today=TODAY + days(6)) == 1
    assert onboarding_reminders_send(today=TODAY + days(7)) == 0

    assert sent(mailoutbox) == [
        ([enrollment.staff.user.email], "Due in 5 days: 门店维修入门"),
        ([enrollment.staff.user.email], "Overdue: 门店维修入门"),
    ]
    assert reminders() == [(enrollment.pk, "due_soon"), (enrollment.pk, "overdue")]


def test_finished_withdrawn_unreachable_and_distant_enrolments_get_no_reminder(track, mailoutbox):
    overdue = TODAY - days(2)
    enrol(track, due_on=overdue, completed_at=timezone.now())
    enrol(track, due_on=overdue, status="withdrawn", withdrawn_at=timezone.now())
    enrol(track, due_on=overdue, staff=StaffFactory(user__email=""))
    enrol(track, due_on=overdue, staff=StaffFactory(is_active=False))
    enrol(track, due_on=TODAY + days(30))
    enrol(track, due_on=TODAY + days(8))

    assert onboarding_reminders_send(today=TODAY) == 0

    assert mailoutbox == []
    assert ReminderSent.objects.count() == 0


def test_reminder_that_could_not_be_sent_is_sent_by_the_next_run(track, mailoutbox):
    refused = enrol(track, due_on=TODAY + days(5))
    accepted = enrol(track, due_on=TODAY + days(5))
    real_send_mail = services.send_mail

    def smtp(subject, body, from_email, recipients):
        if recipients == [refused.staff.user.email]:
            raise smtplib.SMTPRecipientsRefused({recipients[0]: (450, b"mailbox busy")})
        return real_send_mail(subject, body, from_email, recipients)

    with mock.patch("courses.services.send_mail", side_effect=smtp):
        assert onboarding_reminders_send(today=TODAY) == 1

    assert sent(mailoutbox) == [([accepted.staff.user.email], "Due in 5 days: 门店维修入门")]
    assert reminders() == [(accepted.pk, "due_soon")]

    assert onboarding_reminders_send(today=TODAY) == 1

    assert sent(mailoutbox)[1:] == [([refused.staff.user.email], "Due in 5 days: 门店维修入门")]
    assert reminders() == [(refused.pk, "due_soon"), (accepted.pk, "due_soon")]


def test_reminder_is_not_recorded_while_the_mail_server_is_down(track, mailoutbox):
    enrollment = enrol(track, due_on=TODAY - days(1))

    with mock.patch(
        "courses.services.send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")
    ):
        assert onboarding_reminders_send(today=TODAY) == 0

    assert ReminderSent.objects.count() == 0
    assert onboarding_reminders_send(today=TODAY) == 1
    assert sent(mailoutbox) == [([enrollment.staff.user.email], "Overdue: 门店维修入门")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_reminder_once(mailoutbox):
    track = track_page(title="门店维修入门", roles=["technician"])
    enrollments = [
        enrol(track, due_on=TODAY + days(3)),
        enrol(track, due_on=TODAY - days(1)),
        enrol(track, due_on=TODAY + days(6)),
    ]
    real_email = services._reminder_email
    start = threading.Barrier(2)
    counts, errors = [], []

    def slow_email(**kwargs):
        # Both runs have read their candidates before the first e-mail's row is committed.
        time.sleep(0.2)
        real_email(**kwargs)

    def run():
        try:
            start.wait(timeout=10)
            counts.append(onboarding_reminders_send(today=TODAY))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("courses.services._reminder_email", side_effect=slow_email):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert sum(counts) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.staff.user.email for e in enrollments)
    assert reminders() == [
        (enrollments[0].pk, "due_soon"),
        (enrollments[1].pk, "overdue"),
        (enrollments[2].pk, "due_soon"),
    ]


def test_daily_task_sends_the_reminders(track, mailoutbox):
    enrollment = enrol(track, due_on=timezone.localdate() + days(5))

    assert onboarding_reminders_task.apply().get() == 1
    assert onboarding_reminders_task.apply().get() == 0

    assert sent(mailoutbox) == [([enrollment.staff.user.email], "Due in 5 days: 门店维修入门")]


def test_reminder_task_is_scheduled_every_morning():
    (entry,) = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "courses.tasks.onboarding_reminders_task"
    ]
    assert entry["schedule"] == crontab(hour=8, minute=0)
    assert entry["schedule"].day_of_week == set(range(7))
    # The name the scheduler sends is one the project's worker knows.
    assert entry["task"] in app.tasks
