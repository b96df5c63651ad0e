from celery import shared_task

from . import lifecycle


@shared_task(
    name="certificates.certificates_daily_task",
    acks_late=True,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def certificates_daily_task() -> dict[str, int]:
    """
    Expire the certificates past their last valid day, enrol the holders whose renewal window
    opened in their track's recertification path, then send the expiry reminders.
    """
    return {
        "expired": lifecycle.certificates_expire(),
        "recertifying": lifecycle.recertifications_open(),
        "reminded": lifecycle.expiry_reminders_send(),
    }
