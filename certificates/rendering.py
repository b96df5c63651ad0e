"""
The stored PDF of a certificate: drawn from the certificate's frozen snapshot, saved through
Django's storage API under ``certificates/<serial>.pdf``, drawn again whenever asked.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile

from .models import Certificate
from .pdf import CertificateData, certificate_pdf
from .verification import verification_url

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
    """Return the stored PDF of `certificate`, drawing it first when it is missing."""
    if not pdf_present(certificate):
        certificate = certificate_pdf_render(certificate_id=certificate.pk)
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        return handle.read()


def queue_render(certificate: Certificate) -> None:
    """
    Queue the drawing of `certificate`'s PDF. Called once the issuing transaction has committed:
    with no transaction open the task is sent at once; inside a caller's transaction it is sent
    all the same, without another on-commit callback, and the task retries until the row is
    visible to the worker.
    """
    from .rendering_tasks import certificate_pdf_render_task

    certificate_pdf_render_task.delay(certificate.pk)
