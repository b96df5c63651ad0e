import datetime

from celery.schedules import crontab
from django.conf import settings

from compliance.models import ComplianceSnapshot
from compliance.services.snapshots import compliance_snapshots_take
from compliance.tasks import compliance_monthly_snapshot_task, compliance_snapshot_now_task
from lms.celery import app
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory

JUNE = datetime.date(2026, 6, 1)


def test_monthly_task_records_the_month_that_ended_once(known_network):
    first = compliance_monthly_snapshot_task.apply(kwargs={"today": "2026-07-01"}).get()
    known_network["staff"]["a1"].certificates.update(status="revoked")
    second = compliance_monthly_snapshot_task.apply(kwargs={"today": "2026-07-01"}).get()

    assert (first, second) == (3, 0)
    snapshot = ComplianceSnapshot.objects.get(outlet__code="A")
    assert (snapshot.period, snapshot.as_of, snapshot.met) == (JUNE, datetime.date(2026, 6, 30), 4)
    assert snapshot.taken_by is None


def test_snapshot_now_replaces_this_month_and_names_who_asked(known_network):
    compliance_snapshots_take(period=JUNE, as_of=datetime.date(2026, 6, 2))
    known_network["staff"]["a1"].certificates.update(status="revoked")
    auditor = StaffFactory(role="auditor", outlet=None).user

    written = compliance_snapshot_now_task.apply(args=[auditor.pk, TODAY.isoformat()]).get()
    again = compliance_snapshot_now_task.apply(args=[auditor.pk, TODAY.isoformat()]).get()

    assert (written, again) == (3, 3)
    assert ComplianceSnapshot.objects.count() == 3
    snapshot = ComplianceSnapshot.objects.get(outlet__code="A")
    assert (snapshot.period, snapshot.as_of, snapshot.met) == (JUNE, TODAY, 2)
    assert snapshot.taken_by == auditor


def test_snapshot_now_of_a_removed_user_still_records(known_network):
    written = compliance_snapshot_now_task.apply(args=[987654, TODAY.isoformat()]).get()

    assert written == 3
    assert set(ComplianceSnapshot.objects.values_list("taken_by", flat=True)) == {None}


def test_monthly_snapshot_is_scheduled_on_the_first_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["compliance-monthly-snapshot"]
    assert entry["task"] == "compliance.tasks.compliance_monthly_snapshot_task"
    assert entry["schedule"] == crontab(day_of_month=1, hour=0, minute=30)
    # The name the scheduler sends is one the project's worker knows.
    assert entry["task"] in app.tasks
