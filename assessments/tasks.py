from celery import shared_task

from .services import regrades
from .services.attempts import attempts_close_expired


@shared_task(acks_late=True, time_limit=4 * 60, soft_time_limit=3 * 60)
def attempts_close_expired_task() -> int:
    """Close and grade the attempts whose time is up; safe to run twice, or twice at once."""
    return attempts_close_expired()


@shared_task(
    name="assessments.regrade_apply_task",
    acks_late=True,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
)
def regrade_apply_task(regrade_id: int) -> str:
    """Apply one confirmed regrade; see `services.regrades.regrade_apply`."""
    return regrades.regrade_apply(regrade_id=regrade_id).status
