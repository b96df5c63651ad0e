"""A learner's own certificates, their PDFs, and an outlet's certificates as one ZIP."""

import io
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from network import selectors as network_selectors
from network.models import Staff

from ..models import Certificate
from ..services import rendering
from ..services.issuance import may_audit


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


@require_GET
@login_required
def certificate_pdf_download(request, serial):
    visible = Staff.objects.visible_to(request.user).values("pk")
    certificate = Certificate.objects.filter(serial=serial, holder__in=visible).first()
    if certificate is None:
        raise Http404("No such certificate")
    if request.GET.get("regenerate") == "1" and may_audit(user=request.user):
        rendering.queue_render(certificate)
    content = rendering.pdf_bytes(certificate)
    return _pdf_response(content, f"{certificate.serial}.pdf", "application/pdf")


@require_GET
@login_required
def outlet_certificates_zip(request, code):
    outlet = network_selectors.outlet_get_or_404(user=request.user, code=code)
    certificates = Certificate.objects.filter(
        holder__outlet=outlet, status=Certificate.Status.VALID
    ).order_by("serial")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(f"{certificate.serial}.pdf", rendering.pdf_bytes(certificate))
    return _pdf_response(buffer.getvalue(), f"{outlet.code}-certificates.zip", "application/zip")
