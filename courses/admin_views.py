"""Admin pages of the catalog that are not page editors."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from core.i18n import readable_slug


@require_GET
def slug_preview(request):
    """Answer the readable slug of the title in `?title=`, for the page editor's slug field."""
    title = request.GET.get("title", "")[:255]
    return JsonResponse({"slug": readable_slug(title) if title.strip() else ""})
