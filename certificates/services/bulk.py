"""
Suspending every valid certificate of an outlet at once: the auditor previews the list, confirms
it with one reason, and a Celery task suspends exactly that list in chunks, each chunk one
transaction that also moves the job's progress, so a delivery twice suspends nothing twice.
"""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.errors import NotFound

from ..models import BulkSuspension, Certificate
from .issuance import audit_reason_clean, certificate_suspend, may_audit

logger = logging.getLogger(__name__)

CHUNK_SIZE = 50
# An outlet has tens of people; the bound keeps one preview and one job's id list small.
MAX_CERTIFICATES = 5000


class OutletHasNoCertificates(NotFound):
    """No valid certificate was earned at, or is held by someone working at, that outlet."""


def bulk_suspension_candidates(*, outlet_code: str) -> list[Certificate]:
    """The valid certificates earned at outlet `outlet_code` or held by people working there."""
    code = outlet_code.strip()
    return list(
        Certificate.objects.filter(status=Certificate.Status.VALID)
        .filter(Q(outlet_code__iexact=code) | Q(holder__outlet__code__iexact=code))
        .order_by("serial")[: MAX_CERTIFICATES + 1]
    )


def preview_digest(certificates) -> str:
    """A short fingerprint of a preview: what the auditor saw is what the job suspends."""
    ids = ",".join(str(c.pk) for c in certificates)
    return hashlib.sha256(ids.encode()).hexdigest()[:32]


def bulk_suspension_start(*, actor, outlet_code: str, reason: str, digest: str) -> BulkSuspension:
    """
    Record the suspension of the certificates the preview of `outlet_code` showed and queue it.
    Raise PermissionDenied for anyone but an auditor, ValidationError without a reason or when
    the outlet's certificates changed since the preview (`digest`), and OutletHasNoCertificates.
    """
    if not may_audit(user=actor):
        raise PermissionDenied(_("Only quality supervision may change a certificate."))
    reason = audit_reason_clean(actor=actor, reason=reason)
    certificates = bulk_suspension_candidates(outlet_code=outlet_code)
    if not certificates:
        raise OutletHasNoCertificates(f"No valid certificate at {outlet_code!r}")
    if len(certificates) > MAX_CERTIFICATES:
        raise ValidationError(
            _("More than %(limit)s certificates: suspend them outlet by outlet.")
            % {"limit": MAX_CERTIFICATES}
        )
    if digest != preview_digest(certificates):
        raise ValidationError(
            _("The outlet's certificates changed since the preview; look at the list again."),
            code="stale",
        )
    with transaction.atomic():
        job = BulkSuspension.objects.create(
            requested_by=actor,
            outlet_code=outlet_code.strip().upper(),
            reason=reason,
            certificate_ids=[c.pk for c in certificates],
            total=len(certificates),
        )
        _queue(job_id=job.pk, position=0)
    logger.info("Bulk suspension %s of %s certificates at %s", job.pk, job.total, outlet_code)
    return job


def _queue(*, job_id: int, position: int) -> None:
    from ..tasks import bulk_suspension_chunk_task

    outbox.enqueue(bulk_suspension_chunk_task, job_id, position)


def bulk_suspension_chunk(*, job_id: int, position: int) -> BulkSuspension | None:
    """
    Suspend the next chunk of job `job_id`, from index `position` of its list, and queue the
    chunk after. The job's row is locked for the chunk and `position` must be where the job
    stands, so a chunk delivered twice suspends nothing twice.
    """
    with transaction.atomic():
        job = (
            BulkSuspension.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.finished or job.done + job.failed != position:
            return job
        now = timezone.now()
        if job.status == BulkSuspension.Status.QUEUED:
            job.status, job.started_at = BulkSuspension.Status.RUNNING, now
        if not may_audit(user=job.requested_by):
            job.status, job.finished_at = BulkSuspension.Status.FAILED, now
            job.error = _("The auditor who started it may no longer change certificates.")
            job.save()
            return job
        ids = job.certificate_ids[position : position + CHUNK_SIZE]
        certificates = {c.pk: c for c in Certificate.objects.filter(pk__in=ids)}
        for certificate_id in ids:
            certificate = certificates.get(certificate_id)
            if certificate is None or certificate.status != Certificate.Status.VALID:
                job.failed += 1
                continue
            certificate_suspend(certificate=certificate, actor=job.requested_by, reason=job.reason)
            job.done += 1
        if job.done + job.failed >= job.total:
            job.status, job.finished_at = BulkSuspension.Status.DONE, now
        else:
            _queue(job_id=job.pk, position=job.done + job.failed)
        job.save()
    return job


def bulk_suspension_for(*, user, job_id: int) -> BulkSuspension:
    """The job `job_id` for an auditor to follow; raise NotFound for anyone else."""
    job = BulkSuspension.objects.filter(pk=job_id).first() if may_audit(user=user) else None
    if job is None:
        raise NotFound(f"No bulk suspension {job_id}")
    return job
