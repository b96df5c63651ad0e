import logging

from celery import shared_task

from .models import Certificate
from .services import bulk, issuance, lifecycle, policy_updates, rendering

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=2 * 60, soft_time_limit=90)
def certificate_issue_task(staff_id: int, track_id: int) -> int | None:
    """
    Issue the track's certificate if the person earned it, or its renewal if they completed the
    recertification they are enrolled in; see `services.issuance.certificate_issue`. Delivered
    twice, run twice at once or run again after a worker died: one certificate.
    """
    certificate = issuance.certificate_issue(staff_id=staff_id, track_id=track_id)
    return certificate.pk if certificate is not None else None


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=5 * 60, soft_time_limit=270)
def certificate_course_completed_task(staff_id: int, course_id: int) -> list[int]:
    """Issue the certificates of the tracks the completed course may have finished."""
    return [
        certificate.pk
        for certificate in issuance.certificates_issue_after_course(
            staff_id=staff_id, course_id=course_id
        )
    ]


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


@shared_task(
    name="certificates.certificate_pdf_render_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=2 * 60,
    soft_time_limit=90,
)
def certificate_pdf_render_task(certificate_id: int) -> str:
    """
    Draw and store the certificate's PDF, replacing the stored one; safe to run again. It is
    queued after the commit, so a missing row was deleted since: there is nothing to draw.
    """
    try:
        return rendering.certificate_pdf_render(certificate_id=certificate_id).pdf.name
    except Certificate.DoesNotExist:
        logger.warning("Certificate %s is gone; its PDF is not drawn", certificate_id)
        return ""


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


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=5 * 60, soft_time_limit=270)
def bulk_suspension_chunk_task(job_id: int, position: int) -> int:
    """Suspend one chunk of an outlet's certificates; a duplicate delivery does nothing."""
    job = bulk.bulk_suspension_chunk(job_id=job_id, position=position)
    return job.done if job is not None else 0


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=15 * 60, soft_time_limit=870)
def policy_updates_enrol_task(policy_change_id: int) -> int:
    """
    Ask the holders of certificates earned on an older revision of a changed lesson to read it
    again; delivered twice or run again after a worker died, nobody is asked twice.
    """
    return policy_updates.policy_updates_enrol(policy_change_id=policy_change_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=2 * 60, soft_time_limit=90)
def policy_updates_complete_task(staff_id: int, lesson_id: int) -> int:
    """Complete the person's policy updates the lesson they just read covers; safe to run again."""
    return policy_updates.policy_updates_complete(staff_id=staff_id, lesson_id=lesson_id)


@shared_task(
    name="certificates.policy_updates_missed_task",
    acks_late=True,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def policy_updates_missed_task() -> int:
    """Suspend the certificates whose policy update is past due; run again, nothing changes."""
    return policy_updates.policy_updates_miss()
