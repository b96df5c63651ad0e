from celery import shared_task

from .regrade_tasks import regrade_apply_task  # noqa: F401  (Celery finds tasks.py modules)
from .services.attempts import attempts_close_expired


@shared_task(acks_late=True, time_limit=4 * 60, soft_time_limit=3 * 60)
def attempts_close_expired_task() -> int:
    """Close and grade the attempts whose time is up; safe to run twice, or twice at once."""
    return attempts_close_expired()
