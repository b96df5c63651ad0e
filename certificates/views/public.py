"""
Public verification, for anyone holding a certificate's code (a brand auditor with a phone, a
customer at the counter): no sign-in, rate-limited per client address, and an unknown code gets
the same plain 404 as any guess.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from core.ratelimit import rate_limit_hit

from ..selectors.verification import (
    CODE_RE,
    certificate_code_by_serial,
    certificate_public_get,
    revocation_list,
)
from ..verification import token_from_url

TEMPLATE = "certificates/verify.html"


def _retry_after(request) -> int | None:
    # REMOTE_ADDR, not X-Forwarded-For: a client chooses the latter. Behind a proxy, the proxy
    # must set REMOTE_ADDR (as gunicorn's forwarded-allow-ips does).
    return rate_limit_hit(
        scope="certificate-verify",
        key=request.META.get("REMOTE_ADDR", ""),
        rate=settings.CERTIFICATE_VERIFY_RATE,
    )


def _public_json(data: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _code_typed(text: str) -> tuple[str, str | None]:
    """Return the code and token of what was typed: a code, or a scanned verification address."""
    text = "".join(text.split())
    if "/verify/" in text:
        path = urlsplit(text).path
        return path.split("/verify/", 1)[1].strip("/"), token_from_url(text)
    return text, None


@require_safe
@never_cache
def verify_form(request):
    """
    Show the forms to type a code, or the serial and the holder's name printed on the
    certificate; with either, go to the certificate's page.
    """
    if "serial" in request.GET:
        return _verify_by_serial(request)
    code, token = _code_typed(request.GET.get("code", ""))
    if code and CODE_RE.match(code):
        url = reverse("certificates:verify", kwargs={"code": code})
        return redirect(f"{url}?{urlencode({'t': token})}" if token else url)
    return render(request, TEMPLATE, {"not_found": bool(code)}, status=404 if code else 200)


def _verify_by_serial(request):
    serial = request.GET.get("serial", "")[:40]
    name = request.GET.get("name", "")[:150]
    context = {"serial": serial, "name": name}
    if not serial.strip() or not name.strip():
        return render(request, TEMPLATE, {**context, "serial_needs_name": True}, status=400)
    retry_after = _retry_after(request)
    if retry_after is not None:
        response = render(request, TEMPLATE, {"rate_limited": True}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    code = certificate_code_by_serial(serial=serial, holder_name=name)
    if code is None:
        return render(request, TEMPLATE, {**context, "serial_not_found": True}, status=404)
    return redirect("certificates:verify", code=code)


@require_safe
@never_cache
def verify(request, code):
    """Show a certificate's status to anyone who has its code."""
    retry_after = _retry_after(request)
    if retry_after is not None:
        response = render(request, TEMPLATE, {"rate_limited": True}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    certificate = certificate_public_get(code=code, token=request.GET.get("t"))
    if certificate is None:
        return render(request, TEMPLATE, {"not_found": True}, status=404)
    return render(request, TEMPLATE, {"certificate": certificate})


@require_safe
@never_cache
def verify_json(request, code):
    """Return a certificate's public status as JSON."""
    retry_after = _retry_after(request)
    if retry_after is not None:
        response = _public_json({"error": "rate_limited", "retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    certificate = certificate_public_get(code=code, token=request.GET.get("t"))
    if certificate is None:
        return _public_json({"error": "not_found"}, status=404)
    return _public_json(certificate.as_json())


@require_safe
@cache_control(public=True, max_age=300)
def revocations(request):
    """Return the signed list of revoked and suspended certificates, for offline checkers."""
    return _public_json(revocation_list())
