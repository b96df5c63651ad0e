"""
The Celery task of regrading. Celery's autodiscovery imports only `tasks.py`, so this module is
imported by `assessments.wagtail_hooks.regrades` (web process) and must also be imported by
`assessments/tasks.py` for a worker to know the task.
"""

from celery import shared_task

from .services import regrades


@shared_task(
    name="assessments.regrade_apply_task",
    acks_late=True,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
)
def regrade_apply_task(regrade_id: int) -> str:
    """Apply one confirmed regrade; see `services.regrades.regrade_apply`."""
    return regrades.regrade_apply(regrade_id=regrade_id).status
