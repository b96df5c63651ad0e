import datetime
import smtplib
import subprocess
import threading
import time
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from compliance.models import ReportDelivery
from compliance.services.delivery import compliance_reports_deliver
from compliance.services.snapshots import compliance_snapshots_take
from compliance.tasks import compliance_reports_deliver_task
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory

MAY = datetime.date(2026, 5, 1)
JUNE_2 = datetime.date(2026, 6, 2)


@pytest.fixture
def recorded_may(known_network):
    """May as the 1st of June recorded it: the known network's figures as of TODAY."""
    compliance_snapshots_take(period=MAY, as_of=TODAY)
    return known_network


@pytest.fixture
def recipients(recorded_may):
    return {
        "auditor": StaffFactory(role="auditor", outlet=None),
        "manager": recorded_may["staff"]["a3"],
        "partner_admin": StaffFactory(
            role="partner_admin", outlet=None, partner_company=recorded_may["company"]
        ),
    }


def sent_to(outbox) -> list[str]:
    return sorted(m.to[0] for m in outbox)


def deliveries() -> list[tuple[int, datetime.date]]:
    return sorted(ReportDelivery.objects.values_list("recipient_id", "period"))


def test_each_recipient_gets_last_months_report_once_over_two_runs(recipients, mailoutbox):
    first = compliance_reports_deliver(today=JUNE_2)
    second = compliance_reports_deliver(today=JUNE_2)

    assert (first.sent, first.failed, second.sent) == (3, 0, 0)
    assert sent_to(mailoutbox) == sorted(s.user.email for s in recipients.values())
    assert deliveries() == sorted((s.pk, MAY) for s in recipients.values())
    message = next(m for m in mailoutbox if m.to == [recipients["auditor"].user.email])
    assert message.subject == "Certification compliance, May 2026: Whole service network"
    assert "Compliant outlets: 1 of 3 (33.3%)" in message.body
    assert "Requirements met: 14 of 20 (70.0%)" in message.body
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("compliance-2026-05.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_managers_email_holds_only_their_outlet(recipients, mailoutbox):
    manager = recipients["manager"]

    compliance_reports_deliver(today=JUNE_2)

    (message,) = [m for m in mailoutbox if m.to == [manager.user.email]]
    assert "Compliant outlets: 0 of 1" in message.body
    assert f"- A {manager.outlet.name}: 4 of 6 met, 2 gaps" in message.body
    assert " B " not in message.body and "- C " not in message.body
    assert ReportDelivery.objects.get(recipient=manager).outlets == 1
    admin = recipients["partner_admin"]
    (admin_message,) = [m for m in mailoutbox if m.to == [admin.user.email]]
    assert "- B " in admin_message.body and "- A " not in admin_message.body
    assert ReportDelivery.objects.get(recipient=admin).outlets == 1


@pytest.mark.pdftools
def test_managers_pdf_names_only_their_outlet(recipients, mailoutbox, tmp_path):
    outlets = recipients["manager"].outlet.__class__.objects.in_bulk(field_name="code")
    compliance_reports_deliver(today=JUNE_2)

    (message,) = [m for m in mailoutbox if m.to == [recipients["manager"].user.email]]
    path = tmp_path / "report.pdf"
    path.write_bytes(message.attachments[0][1])
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert outlets["A"].name in text
    assert outlets["B"].name not in text
    assert outlets["C"].name not in text


def test_people_without_a_reporting_role_or_an_address_get_nothing(recorded_may, mailoutbox):
    without_address = StaffFactory(role="auditor", outlet=None)
    without_address.user.email = ""
    without_address.user.save()
    StaffFactory(role="auditor", outlet=None, is_active=False)
    StaffFactory(role="trainer", outlet=None)

    result = compliance_reports_deliver(today=JUNE_2)

    # The known network's only manager (a3) is the one recipient; front desk and technicians
    # are never sent the report.
    assert result.sent == 1
    assert sent_to(mailoutbox) == [recorded_may["staff"]["a3"].user.email]


def test_nothing_is_sent_for_a_month_without_a_snapshot(recipients, mailoutbox):
    result = compliance_reports_deliver(today=datetime.date(2026, 8, 2))

    assert (result.sent, result.skipped) == (0, 3)
    assert mailoutbox == []
    assert deliveries() == []


def test_a_report_refused_by_the_mail_server_is_sent_by_the_next_run(recipients, mailoutbox):
    with mock.patch.object(
        EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("gone")
    ):
        result = compliance_reports_deliver(today=JUNE_2)

    assert (result.sent, result.failed) == (0, 3)
    assert deliveries() == []

    assert compliance_reports_deliver(today=JUNE_2).sent == 3
    assert len(mailoutbox) == 3


def test_the_task_retries_a_refused_report_and_sends_it_once(recipients, mailoutbox):
    real_send = EmailBackend.send_messages
    calls = []

    def refuse_first(self, messages):
        calls.append(messages[0].to[0])
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", refuse_first):
        # throw=False lets the eager run retry as a worker would, instead of raising Retry.
        result = compliance_reports_deliver_task.apply(kwargs={"period": "2026-05-01"}, throw=False)
        sent = result.get()

    # The first run sent two and failed one; the retry sent the one left.
    assert sent == 1
    assert len(calls) == 4
    assert sent_to(mailoutbox) == sorted(s.user.email for s in recipients.values())
    assert len(deliveries()) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_report_once(recipients, mailoutbox):
    real_send = EmailBackend.send_messages
    start = threading.Barrier(2)
    results, errors = [], []

    def slow_send(self, messages):
        # Both runs have read who is still due before the first delivery row is committed.
        time.sleep(0.2)
        return real_send(self, messages)

    def run():
        try:
            start.wait(timeout=10)
            results.append(compliance_reports_deliver(today=JUNE_2))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(EmailBackend, "send_messages", slow_send):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert sum(r.sent for r in results) == 3
    assert sent_to(mail.outbox) == sorted(s.user.email for s in recipients.values())
    assert deliveries() == sorted((s.pk, MAY) for s in recipients.values())


def test_reports_are_scheduled_on_the_second_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["compliance-monthly-reports"]

    assert entry["task"] == "compliance.compliance_reports_deliver_task"
    assert entry["schedule"] == crontab(day_of_month=2, hour=6, minute=0)
