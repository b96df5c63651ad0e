from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def enrollment_sync_task(track_ids: list[int] | None = None) -> tuple[int, int]:
    """Apply the role rules to a newly published track (or to every track)."""
    return services.enrollment_sync(track_ids=track_ids)


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def onboarding_reminders_task() -> int:
    """The daily onboarding reminders; safe to run twice, or twice at once."""
    return services.onboarding_reminders_send()
