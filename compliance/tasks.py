import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import timezone

from . import services


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
    return services.compliance_monthly_snapshot(today=day)


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
    return services.compliance_snapshots_take(
        period=services.month_start(day), as_of=day, replace=True, actor=actor
    )


from .delivery_tasks import compliance_reports_deliver_task  # noqa: E402, F401
from .export_tasks import compliance_export_task  # noqa: E402, F401
