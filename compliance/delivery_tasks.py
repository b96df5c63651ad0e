import datetime

from celery import shared_task

from . import delivery


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
