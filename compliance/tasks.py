import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import timezone

from .models import ExportJob
from .services import delivery, export_jobs, snapshots


@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=30 * 60, soft_time_limit=29 * 60
)
def compliance_monthly_snapshot_task(today: str | None = None) -> int:
    """
    Record the month that just ended (beat, on the first of each month; `today`, ISO, to record
    a missed month by hand). A month already recorded is kept, so a retried or doubled delivery
    writes nothing twice.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return snapshots.compliance_monthly_snapshot(today=day)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
    # Two requests at once both replace the month; the loser of the race meets the other's rows
    # and simply runs again after it.
    autoretry_for=(IntegrityError,),
    max_retries=3,
    retry_backoff=True,
)
def compliance_snapshot_now_task(user_id: int | None, today: str | None = None) -> int:
    """
    Record this month as of today, replacing what was recorded for it earlier this month; the
    month's figures then read as of the last request. `today` is the date the request was made
    (ISO), so a job that waits in the queue past midnight still records the asked-for day.
    """
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return snapshots.compliance_snapshots_take(
        period=snapshots.month_start(day), as_of=day, replace=True, actor=actor
    )


class ReportsNotDelivered(Exception):
    """Some monthly reports were refused by the mail server; the task runs again later."""


@shared_task(
    name="compliance.compliance_reports_deliver_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=2 * 60 * 60,
    soft_time_limit=2 * 60 * 60 - 60,
    autoretry_for=(ReportsNotDelivered,),
    # Five minutes, then doubling up to six hours: a mail server that is down for the morning
    # still gets every report sent the same day, and the ones already sent are not sent again.
    retry_backoff=5 * 60,
    retry_backoff_max=6 * 60 * 60,
    max_retries=8,
)
def compliance_reports_deliver_task(period: str | None = None) -> int:
    """
    E-mail last month's compliance report (or month `period`, ISO) to each recipient once
    (beat, on the 2nd of each month); return how many were sent in this run.
    """
    month = datetime.date.fromisoformat(period) if period else None
    result = delivery.compliance_reports_deliver(period=month)
    if result.failed:
        raise ReportsNotDelivered(f"{result.failed} monthly reports not sent")
    return result.sent


@shared_task(
    name="compliance.compliance_export_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    # Sent after the commit, the row is there; a replica that lags behind may not show it yet.
    autoretry_for=(ExportJob.DoesNotExist,),
    retry_backoff=2,
    max_retries=5,
)
def compliance_export_task(job_id: int) -> str:
    """Build the export's file; a job already finished is left as it is."""
    return export_jobs.compliance_export_build(job_id=job_id).status
