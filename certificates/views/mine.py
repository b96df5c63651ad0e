"""A learner's own certificates, their PDFs, and an outlet's certificates as one ZIP."""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from network import selectors as network_selectors
from network.models import Staff

from ..models import Certificate
from ..selectors.desk import may_use_desk
from ..services import rendering
from ..services.issuance import may_audit

# How long the page of a PDF still being drawn waits before it asks again: one PDF takes a
# worker about 10 ms, a queue behind a re-rendering job a few seconds.
RETRY_SECONDS = 3


def _viewer_staff(user) -> Staff | None:
    return network_selectors.viewer_staff(user=user)


@require_GET
@login_required
def my_certificates(request):
    staff = _viewer_staff(request.user)
    certificates = (
        Certificate.objects.filter(holder=staff).order_by("-issued_on", "-pk")
        if staff is not None
        else Certificate.objects.none()
    )
    return render(
        request,
        "certificates/my_certificates.html",
        {"staff": staff, "certificates": list(certificates)},
    )


def _pdf_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _preparing(request, *, missing: int, total: int) -> HttpResponse:
    """
    Tell the reader that PDFs are being drawn by the worker and that the page asks again by
    itself: 202, since nothing is wrong and the same URL answers the file in a moment.
    """
    response = render(
        request,
        "certificates/pdf_preparing.html",
        {"missing": missing, "total": total, "retry_seconds": RETRY_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def _visible_certificate(request, serial: str) -> Certificate:
    visible = Staff.objects.visible_to(request.user).values("pk")
    certificate = Certificate.objects.filter(serial=serial, holder__in=visible).first()
    if certificate is None:
        raise Http404("No such certificate")
    return certificate


def _back(request) -> str:
    """Where a POST came from, if it is this site, else My certificates."""
    target = request.POST.get("next") or request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("certificates:my_certificates")


@require_http_methods(["GET", "POST"])
@login_required
def certificate_pdf_download(request, serial):
    """
    The certificate's stored PDF. A PDF not drawn yet is queued, and the reader is asked to wait
    a moment. An auditor POSTs here to have the PDF drawn again (after a correction of the
    template), and is sent back to where the request came from.
    """
    certificate = _visible_certificate(request, serial)
    if request.method == "POST":
        if not may_audit(user=request.user):
            raise PermissionDenied
        rendering.queue_render(certificate)
        messages.success(request, _("The PDF of %(serial)s is drawn again.") % {"serial": serial})
        return redirect(_back(request))
    if rendering.queue_missing([certificate]):
        return _preparing(request, missing=1, total=1)
    content = rendering.pdf_bytes(certificate)
    return _pdf_response(content, f"{certificate.serial}.pdf", "application/pdf")


@require_GET
@login_required
def outlet_certificates_zip(request, code):
    """
    Every valid certificate of an outlet as one ZIP, for those who answer for the outlet's
    certification (its manager, its partner, the quality department); a learner has their own.
    """
    if not may_use_desk(user=request.user):
        raise PermissionDenied
    outlet = network_selectors.outlet_in_scope(user=request.user, code=code)
    certificates = list(
        Certificate.objects.filter(holder__outlet=outlet, status=Certificate.Status.VALID).order_by(
            "serial"
        )
    )
    missing = rendering.queue_missing(certificates)
    if missing:
        return _preparing(request, missing=len(missing), total=len(certificates))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(f"{certificate.serial}.pdf", rendering.pdf_bytes(certificate))
    return _pdf_response(buffer.getvalue(), f"{outlet.code}-certificates.zip", "application/zip")
