from celery import shared_task

from . import rendering
from .models import Certificate


@shared_task(
    name="certificates.certificate_pdf_render_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=2 * 60,
    soft_time_limit=90,
    # Sent from inside a caller's transaction, the row may not be visible yet: try again.
    autoretry_for=(Certificate.DoesNotExist,),
    retry_backoff=2,
    max_retries=6,
)
def certificate_pdf_render_task(certificate_id: int) -> str:
    """Draw and store the certificate's PDF, replacing the stored one; safe to run again."""
    return rendering.certificate_pdf_render(certificate_id=certificate_id).pdf.name
