"""
The public outlet status, for anyone at the counter with a phone and for the warranty-claim
system: no sign-in, no names, only whether the outlet is certified for each service area and how
many people of each role are certified. Rate-limited per client address like certificate
verification, and cacheable for a few minutes since it changes at most daily.

The counter poster that points at the page is here too, for signed-in people whose scope holds
the outlet.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from core import hooks as core_hooks
from core.i18n import reads_english
from core.ratelimit import rate_limit_hit
from network.models import OUTLET_ROLES, Outlet, Ownership, Role

from ..models import ServiceArea
from ..poster import PosterData, outlet_poster_pdf
from ..selectors import PublicStatus, ReportNotFound, outlet_public_status

TEMPLATE = "compliance/public/outlet.html"
# The status changes when a certificate is issued, expires or is revoked: a few minutes' delay
# is acceptable at the counter and spares the computation on busy days.
PUBLIC_MAX_AGE = 5 * 60


def public_url(code: str) -> str:
    """Return the absolute address of an outlet's public status page, as a QR code holds it."""
    path = reverse("compliance:public_outlet", kwargs={"code": code})
    return settings.OUTLET_STATUS_BASE_URL.rstrip("/") + path


def _retry_after(request) -> int | None:
    # REMOTE_ADDR, not X-Forwarded-For, for the reason certificates/views_public.py gives.
    return rate_limit_hit(
        scope="outlet-status",
        key=request.META.get("REMOTE_ADDR", ""),
        rate=settings.OUTLET_STATUS_RATE,
    )


def _cacheable(response):
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # A refusal or a 404 must not outlive the moment: the outlet may open tomorrow.
        patch_cache_control(response, no_store=True)
    # The page's language follows the visitor's browser or language cookie.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _json(data: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return _cacheable(response)


def _today():
    return timezone.localdate()


def _status(code: str) -> PublicStatus | None:
    try:
        return outlet_public_status(code=code, today=_today())
    except ReportNotFound:
        return None


def status_as_json(status: PublicStatus) -> dict:
    """Return the public status with the keys the API promises to keep."""
    outlet = status.outlet
    return {
        "outlet": {
            "code": outlet.code,
            "name": outlet.name,
            "name_en": outlet.name_en,
            "city": outlet.city,
            "ownership": outlet.ownership,
        },
        "as_of": status.as_of.isoformat(),
        "service_areas": [
            {
                "code": s.area.code,
                "name": s.area.name,
                "name_en": s.area.name_en,
                "certified": s.certified,
            }
            for s in status.areas
        ],
        # Every outlet role, so a client never meets a missing key.
        "certified_people": {
            role.value: status.certified_by_role.get(role.value, 0) for role in OUTLET_ROLES
        },
    }


@require_safe
def outlet(request, code):
    """Show an outlet's certification to anyone, in the visitor's language."""
    retry_after = _retry_after(request)
    if retry_after is not None:
        response = render(request, TEMPLATE, {"rate_limited": True}, status=429)
        response["Retry-After"] = str(retry_after)
        return _cacheable(response)
    status = _status(code)
    if status is None:
        return _cacheable(render(request, TEMPLATE, {"not_found": True}, status=404))
    english = reads_english()
    roles = [
        (Role(role).label, count)
        for role, count in status_as_json(status)["certified_people"].items()
    ]
    context = {
        "status": status,
        "outlet": status.outlet,
        "outlet_name": (status.outlet.name_en or status.outlet.name)
        if english
        else status.outlet.name,
        "outlet_other_name": status.outlet.name if english else status.outlet.name_en,
        "ownership": Ownership(status.outlet.ownership).label,
        "areas": [
            {
                "code": s.area.code,
                "name": (s.area.name_en or s.area.name) if english else s.area.name,
                "certified": s.certified,
            }
            for s in status.areas
        ],
        "roles": roles,
        "links": [
            link
            for links in core_hooks.collect(
                core_hooks.PUBLIC_OUTLET_LINKS, outlet=status.outlet, request=request
            )
            for link in links
        ],
    }
    return _cacheable(render(request, TEMPLATE, context))


@require_safe
def outlet_status_api(request, code):
    """
    Return an outlet's public status as JSON; with ?area=<code>, only whether the outlet is
    certified for that service area today (the warranty-claim system's question).
    """
    retry_after = _retry_after(request)
    if retry_after is not None:
        response = _json({"error": "rate_limited", "retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    status = _status(code)
    if status is None:
        return _json({"error": "not_found"}, status=404)
    area_code = request.GET.get("area")
    if area_code is None:
        return _json(status_as_json(status))
    certified = {s.area.code: s.certified for s in status.areas}
    # An area that exists but has no rule for this outlet is not offered there: not certified.
    if (
        area_code not in certified
        and not ServiceArea.objects.filter(code=area_code, is_active=True).exists()
    ):
        return _json({"error": "unknown_area"}, status=404)
    return _json(
        {
            "outlet": status.outlet.code,
            "area": area_code,
            "certified": certified.get(area_code, False),
            "as_of": status.as_of.isoformat(),
        }
    )


@login_required
@require_safe
def poster(request, code):
    """Return the counter poster of an outlet in the user's scope: its areas and a QR code."""
    if not Outlet.objects.visible_to(request.user).filter(code=code, is_active=True).exists():
        raise Http404("No such outlet in your scope.")
    status = outlet_public_status(code=code, today=_today())
    outlet_ = status.outlet
    data = PosterData(
        code=outlet_.code,
        name=outlet_.name,
        name_en=outlet_.name_en,
        city=outlet_.city,
        areas=[(s.area.name, s.area.name_en) for s in status.areas if s.certified],
        as_of=status.as_of,
    )
    response = HttpResponse(
        outlet_poster_pdf(data, url=public_url(outlet_.code)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="outlet-{outlet_.code}-poster.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response
