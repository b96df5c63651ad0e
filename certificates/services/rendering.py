"""
The stored PDF of a certificate: drawn from the certificate's frozen snapshot, saved through
Django's storage API under ``certificates/<serial>.pdf``, drawn again whenever asked.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox

from ..models import Certificate, RenderJob
from ..pdf import CertificateData, certificate_pdf
from ..verification import verification_url

logger = logging.getLogger(__name__)


def pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.serial}.pdf"


def _course_lines(course_revisions) -> list[str]:
    lines = []
    for entry in course_revisions or []:
        if not isinstance(entry, dict):
            continue
        title = str(entry.get("title") or "")
        revision = entry.get("revision")
        lines.append(f"{title} r{revision}" if revision else title)
    return lines


def certificate_data(certificate: Certificate) -> CertificateData:
    return CertificateData(
        serial=certificate.serial,
        holder=certificate.holder_name,
        employee_number=certificate.employee_number,
        outlet=certificate.outlet_name,
        partner_company=certificate.partner_company_name,
        track=certificate.track_title,
        track_en=certificate.track_title_en,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        status=certificate.status,
        course_lines=_course_lines(certificate.course_revisions),
    )


def certificate_pdf_render(*, certificate_id: int) -> Certificate:
    """
    Draw the PDF of certificate `certificate_id` and store it, replacing any earlier one; return
    the certificate. Run twice, it keeps one file under the same name.
    """
    certificate = Certificate.objects.get(pk=certificate_id)
    content = certificate_pdf(
        certificate_data(certificate),
        qr_text=verification_url(certificate.code, certificate.token),
        token=certificate.token,
        language=settings.LANGUAGE_CODE,
    )
    name = pdf_name(certificate)
    storage = certificate.pdf.storage
    if certificate.pdf.name and certificate.pdf.name != name:
        storage.delete(certificate.pdf.name)
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    Certificate.objects.filter(pk=certificate.pk).update(pdf=saved)
    certificate.pdf.name = saved
    logger.info("Certificate %s PDF stored as %s", certificate.serial, saved)
    return certificate


def pdf_present(certificate: Certificate) -> bool:
    return bool(certificate.pdf.name) and certificate.pdf.storage.exists(certificate.pdf.name)


def pdf_bytes(certificate: Certificate) -> bytes:
    """Return the stored PDF of `certificate`; see `pdf_present` first."""
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        return handle.read()


def queue_render(certificate: Certificate) -> None:
    """
    Queue the drawing of `certificate`'s PDF once the caller's transaction commits (at once when
    none is open), so the worker always finds the row, and a rolled-back issuance draws nothing.
    Queued twice, the PDF is drawn twice and stored once.
    """
    from ..tasks import certificate_pdf_render_task

    outbox.enqueue(certificate_pdf_render_task, certificate.pk)


def queue_missing(certificates) -> list[Certificate]:
    """Queue the drawing of every certificate among `certificates` without a stored PDF."""
    missing = [certificate for certificate in certificates if not pdf_present(certificate)]
    for certificate in missing:
        queue_render(certificate)
    return missing


# Certificates drawn per chunk of a re-rendering job: each chunk is one short transaction that
# moves the job's progress, so the admin page sees it advance and a dead worker loses one chunk.
RENDER_CHUNK_SIZE = 50


class RenderJobRunning(ValidationError):
    """A re-rendering job is already queued or running."""


def render_job_start(*, actor=None) -> RenderJob:
    """
    Start re-rendering the PDF of every certificate that exists now and return the job. Refused
    with `RenderJobRunning` while another job is queued or running: the database allows one.
    """
    try:
        with transaction.atomic():
            bounds = Certificate.objects.aggregate(up_to=Max("pk"))
            up_to = bounds["up_to"] or 0
            job = RenderJob.objects.create(
                requested_by=actor if actor is not None and actor.is_authenticated else None,
                up_to_certificate_id=up_to,
                total=Certificate.objects.filter(pk__lte=up_to).count(),
            )
            _queue_chunk(job_id=job.pk, after_id=0)
    except IntegrityError as exc:
        raise RenderJobRunning(
            _("Certificates are already being re-rendered: wait until that job ends.")
        ) from exc
    logger.info("PDF re-rendering %s of %s certificates started", job.pk, job.total)
    return job


def render_job_resume(*, job: RenderJob) -> RenderJob:
    """
    Queue the next chunk of an unfinished `job` again, for when its worker died and the broker
    lost the message; a chunk that is still queued as well is dropped by `render_job_chunk`.
    """
    job.refresh_from_db()
    if job.status in RenderJob.ACTIVE_STATUSES:
        transaction.on_commit(
            lambda: _queue_chunk(job_id=job.pk, after_id=job.last_certificate_id, now=True)
        )
    return job


def _queue_chunk(*, job_id: int, after_id: int, now: bool = False) -> None:
    from ..tasks import render_job_chunk_task

    if now:
        render_job_chunk_task.delay(job_id, after_id)
    else:
        outbox.enqueue(render_job_chunk_task, job_id, after_id)


def render_job_chunk(*, job_id: int, after_id: int) -> RenderJob | None:
    """
    Draw the next chunk of job `job_id`, the certificates after id `after_id`, move the job's
    progress past them and queue the chunk after; return the job.

    The job's row is locked for the chunk and `after_id` must be where the job stands: a chunk
    delivered twice, or run again after a worker died, draws nothing twice and counts nothing
    twice. A worker that died mid-chunk rolled its progress back, so the redelivered message
    draws the same chunk again.
    """
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in RenderJob.ACTIVE_STATUSES:
            return job
        if job.last_certificate_id != after_id:
            logger.info("PDF re-rendering %s: chunk after %s already drawn", job_id, after_id)
            return job
        if job.status == RenderJob.Status.QUEUED:
            job.status = RenderJob.Status.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
        ids = list(
            Certificate.objects.filter(pk__gt=after_id, pk__lte=job.up_to_certificate_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:RENDER_CHUNK_SIZE]
        )
        rendered = failed = 0
        for certificate_id in ids:
            try:
                certificate_pdf_render(certificate_id=certificate_id)
            except Certificate.DoesNotExist:
                failed += 1
            except Exception:
                # One unreadable snapshot must not stop the other thousands; it is counted and
                # logged, and the job ends "done" with the number failed shown.
                logger.exception(
                    "PDF re-rendering %s: certificate %s failed", job_id, certificate_id
                )
                failed += 1
            else:
                rendered += 1
        finished = len(ids) < RENDER_CHUNK_SIZE or ids[-1] >= job.up_to_certificate_id
        RenderJob.objects.filter(pk=job_id).update(
            last_certificate_id=ids[-1] if ids else after_id,
            done=F("done") + rendered,
            failed=F("failed") + failed,
        )
        if finished:
            job.refresh_from_db()
            job.status = (
                RenderJob.Status.FAILED
                if job.total and job.failed == job.total
                else RenderJob.Status.DONE
            )
            job.active = None
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "active", "finished_at"])
            logger.info(
                "PDF re-rendering %s ended: %s rendered, %s failed", job_id, job.done, job.failed
            )
        else:
            _queue_chunk(job_id=job_id, after_id=ids[-1])
    job.refresh_from_db()
    return job
