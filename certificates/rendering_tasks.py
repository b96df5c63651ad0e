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


@shared_task(
    name="certificates.render_job_chunk_task",
    acks_late=True,
    reject_on_worker_lost=True,
    # A chunk of 50 certificates draws in about a second; the limit leaves room for slow storage.
    time_limit=5 * 60,
    soft_time_limit=270,
)
def render_job_chunk_task(job_id: int, after_id: int) -> int | None:
    """
    Draw one chunk of a re-rendering job and queue the next; a duplicate or stale delivery
    does nothing. Return how far the job has come.
    """
    job = rendering.render_job_chunk(job_id=job_id, after_id=after_id)
    return job.last_certificate_id if job is not None else None
