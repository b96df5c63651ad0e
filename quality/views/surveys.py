"""
The satisfaction survey a customer answers from the counter poster, without signing in, and the
quality department's roll-ups of its results.

The survey's pages are never cached by anyone but the visitor's own browser, unlike the public
outlet page that links to them: each carries its own signed token and a CSRF cookie.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from core.i18n import reads_english
from core.ratelimit import rate_limit_hit

from ..forms.surveys import SatisfactionFilterForm, SurveyForm
from ..selectors import surveys as selectors
from ..services import surveys as services

FORM_TEMPLATE = "quality/survey/form.html"
THANKS_TEMPLATE = "quality/survey/thanks.html"
REFUSED_TEMPLATE = "quality/survey/refused.html"
# Refusals after which the form's token cannot be sent again: the page gets a fresh one.
FRESH_TOKEN_CODES = {"token_bad", "token_old", "token_used"}
ROWS_PER_PAGE = 50


def _private(response):
    # The page holds a token and the CSRF cookie of one visitor, and its language is theirs.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _refused(request, *, status: int, retry_after: int | None = None):
    response = render(
        request,
        REFUSED_TEMPLATE,
        {"rate_limited": status == 429, "not_found": status == 404},
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return _private(response)


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, code):
    """Show an outlet's survey in the visitor's language, and take one answer to it."""
    # REMOTE_ADDR, not X-Forwarded-For, for the reason certificates/views_public.py gives. Each
    # answer counts against the address, page views against the outlet page's own rate.
    address = request.META.get("REMOTE_ADDR", "")
    posted = request.method == "POST"
    retry_after = rate_limit_hit(
        scope="survey-address" if posted else "survey-page",
        key=address,
        rate=settings.SURVEY_RATE_PER_ADDRESS if posted else settings.OUTLET_STATUS_RATE,
    )
    if retry_after is not None:
        return _refused(request, status=429, retry_after=retry_after)
    try:
        outlet = selectors.survey_outlet(code=code)
    except selectors.SurveyOutletNotFound:
        return _refused(request, status=404)
    english = reads_english()
    questions = selectors.survey_questions()
    status = 200
    if posted:
        # A busy outlet's counter gets a hundred answers an hour, a script many more.
        retry_after = rate_limit_hit(
            scope="survey-outlet", key=str(outlet.pk), rate=settings.SURVEY_RATE_PER_OUTLET
        )
        if retry_after is not None:
            return _refused(request, status=429, retry_after=retry_after)
        form = SurveyForm(request.POST, questions=questions, english=english)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.survey_response_submit(
                    outlet=outlet,
                    token=data["token"],
                    satisfaction=data["satisfaction"],
                    recommend=data["recommend"],
                    answers=form.answers(),
                    comment=data["comment"],
                    order_number=data["order_number"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                if {e.code for e in exc.error_list} & FRESH_TOKEN_CODES:
                    form.data = form.data.copy()
                    form.data["token"] = services.survey_token_issue(outlet=outlet)
            else:
                return _private(
                    redirect("quality:survey_thanks", code=outlet.code, permanent=False)
                )
        status = 400
    else:
        form = SurveyForm(
            initial={"token": services.survey_token_issue(outlet=outlet)},
            questions=questions,
            english=english,
        )
    context = {
        "outlet": outlet,
        "outlet_name": (outlet.name_en or outlet.name) if english else outlet.name,
        "form": form,
    }
    return _private(render(request, FORM_TEMPLATE, context, status=status))


@require_safe
def survey_thanks(request, code):
    """Thank the customer; the page names the outlet and nothing of the answer."""
    try:
        outlet = selectors.survey_outlet(code=code)
    except selectors.SurveyOutletNotFound:
        return _refused(request, status=404)
    english = reads_english()
    context = {
        "outlet": outlet,
        "outlet_name": (outlet.name_en or outlet.name) if english else outlet.name,
    }
    return _private(render(request, THANKS_TEMPLATE, context))


@require_GET
@login_required
def satisfaction(request):
    """The satisfaction of every outlet in the viewer's scope, rolled up and per outlet."""
    # Outlet managers read their own outlet's figures on its compliance report instead.
    if not selectors.may_see_satisfaction_overview(request.user):
        raise PermissionDenied
    english = reads_english()
    questions = selectors.survey_questions()
    form = SatisfactionFilterForm(request.GET or None, questions=questions, english=english)
    values = form.values()
    overview = selectors.satisfaction_overview(
        user=request.user, today=timezone.localdate(), questions=questions, **values
    )
    page = Paginator(overview.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    questions_shown = overview.questions
    labels = [q.text_for(english=english) for q in questions_shown]

    def cells(figures):
        return [
            {**cell, "label": label}
            for cell, label in zip(figures.cells(questions_shown), labels, strict=True)
        ]

    rows = [
        {"outlet": row.outlet, "figures": row.figures, "cells": cells(row.figures)} for row in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/survey/results.html",
        {
            "form": form,
            "overview": overview,
            "page": page,
            "rows": rows,
            "total_cells": cells(overview.total),
            "query": query.urlencode(),
            "question_labels": labels,
            "rollups": [
                (
                    name,
                    [{"rollup": r, "cells": cells(r.figures)} for r in rollups],
                )
                for name, rollups in (
                    ("partner", overview.by_partner),
                    ("province", overview.by_province),
                    ("tier", overview.by_tier),
                )
            ],
        },
    )
