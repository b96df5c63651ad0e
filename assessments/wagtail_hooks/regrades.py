"""Regrading and item statistics in the Wagtail admin."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from .. import tasks  # noqa: F401  (registers the regrade task with Celery in the web process)
from ..models import Attempt, GradeChange, Question, QuestionCategory, Regrade
from ..services.regrades import RegradeRefused, regrade_confirm, regrade_preview
from ..statistics import item_statistics

CHANGE = "assessments.change_question"
VIEW = "assessments.view_question"


class RegradeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the question regraded?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept with every grade this changes, e.g. “Option B is also right”."
        ),
    )


class StatisticsFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.select_related("parent"),
        required=False,
    )
    flagged = forms.BooleanField(label=gettext_lazy("Only likely bad questions"), required=False)


@permission_required(VIEW, raise_exception=True)
def statistics_index(request):
    form = StatisticsFilterForm(request.GET or None)
    questions = Question.objects.all()
    flagged_only = False
    if form.is_valid():
        category = form.cleaned_data["category"]
        if category is not None:
            questions = questions.filter(Q(category=category) | Q(category__parent=category))
        flagged_only = form.cleaned_data["flagged"]
    rows = item_statistics(questions)
    if flagged_only:
        rows = [r for r in rows if r.flagged]
    return render(
        request,
        "assessments/admin/item_statistics.html",
        {
            "form": form,
            "rows": rows,
            "flagged_count": sum(1 for r in rows if r.flagged),
            "can_regrade": request.user.has_perm(CHANGE),
            "page_title": _("Item statistics"),
            "header_icon": "table",
        },
    )


@permission_required(CHANGE, raise_exception=True)
def regrade_start(request, question_id):
    question = get_object_or_404(Question.objects.select_related("category"), pk=question_id)
    form = RegradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            regrade = regrade_preview(
                question=question, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RegradeRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("assessments_regrade_detail", pk=regrade.pk)
    earlier = question.regrades.select_related("created_by", "to_version").order_by("-pk")[:20]
    return render(
        request,
        "assessments/admin/regrade_start.html",
        {
            "question": question,
            "form": form,
            "earlier": earlier,
            "page_title": _("Regrade: %(question)s") % {"question": question},
            "header_icon": "resubmit",
        },
    )


@permission_required(CHANGE, raise_exception=True)
def regrade_detail(request, pk):
    regrade = get_object_or_404(
        Regrade.objects.select_related("question", "created_by", "to_version"), pk=pk
    )
    if request.method == "POST":
        try:
            confirmed = regrade_confirm(regrade=regrade, actor=request.user)
        except RegradeRefused as exc:
            messages.error(request, str(exc))
        else:
            if regrade.status == Regrade.Status.PREVIEWED:
                messages.success(request, _("The regrade is being applied."))
            regrade = confirmed
        return redirect("assessments_regrade_detail", pk=regrade.pk)
    preview = regrade.preview or {}
    return render(
        request,
        "assessments/admin/regrade_detail.html",
        {
            "regrade": regrade,
            "preview": preview,
            "applied": preview.get("applied"),
            "busy": regrade.status == Regrade.Status.APPLYING,
            "page_title": _("Regrade of “%(question)s”") % {"question": regrade.question},
            "header_icon": "resubmit",
        },
    )


def _grade_changes_page(request, changes, *, title, subject):
    changes = changes.select_related(
        "attempt__staff__user", "attempt__assessment", "actor", "regrade"
    ).order_by("-created_at", "-pk")
    page = Paginator(changes, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "assessments/admin/regrade_history.html",
        {"page": page, "subject": subject, "page_title": title, "header_icon": "history"},
    )


@permission_required(VIEW, raise_exception=True)
def question_grade_changes(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    return _grade_changes_page(
        request,
        GradeChange.objects.filter(regrade__question=question),
        title=_("Grade changes: %(question)s") % {"question": question},
        subject=question,
    )


@permission_required(VIEW, raise_exception=True)
def attempt_grade_changes(request, attempt_id):
    attempt = get_object_or_404(
        Attempt.objects.select_related("staff__user", "assessment"), pk=attempt_id
    )
    return _grade_changes_page(
        request,
        GradeChange.objects.filter(attempt=attempt),
        title=_("Grade changes: %(person)s, %(exam)s, attempt %(number)s")
        % {"person": attempt.staff, "exam": attempt.assessment, "number": attempt.number},
        subject=attempt,
    )


@hooks.register("register_admin_urls")
def register_regrade_urls():
    return [
        path(
            "assessments/item-statistics/",
            statistics_index,
            name="assessments_item_statistics",
        ),
        path(
            "assessments/questions/<int:question_id>/regrade/",
            regrade_start,
            name="assessments_regrade_start",
        ),
        path(
            "assessments/regrades/<int:pk>/",
            regrade_detail,
            name="assessments_regrade_detail",
        ),
        path(
            "assessments/questions/<int:question_id>/grade-changes/",
            question_grade_changes,
            name="assessments_question_grade_changes",
        ),
        path(
            "assessments/attempts/<int:attempt_id>/grade-changes/",
            attempt_grade_changes,
            name="assessments_attempt_grade_changes",
        ),
    ]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        gettext_lazy("Item statistics"),
        reverse("assessments_item_statistics"),
        icon_name="table",
        order=850,
    )


@hooks.register("register_snippet_listing_buttons")
def question_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Question) or not user.has_perm(CHANGE):
        return []
    return [
        Button(
            _("Regrade"),
            reverse("assessments_regrade_start", args=[snippet.pk]),
            icon_name="resubmit",
            priority=60,
        ),
        Button(
            _("Grade changes"),
            reverse("assessments_question_grade_changes", args=[snippet.pk]),
            icon_name="history",
            priority=70,
        ),
    ]
