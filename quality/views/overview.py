"""The quality view (质量总览): the four figures of the supervision loop, per outlet and partner."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.i18n import reads_english

from ..selectors import overview as selectors

ROWS_PER_PAGE = 50


@require_GET
@login_required
def quality_overview(request):
    if not selectors.may_see_quality(request.user):
        raise PermissionDenied
    sort = request.GET.get("sort", "attention")
    if sort not in selectors.SORTS:
        sort = "attention"
    overview = selectors.quality_overview(user=request.user, today=timezone.localdate(), sort=sort)
    key = overview.key_question
    page = Paginator(overview.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/overview.html",
        {
            "overview": overview,
            "page": page,
            "sort": sort,
            "key_label": key.text_for(english=reads_english()) if key else "",
        },
    )
