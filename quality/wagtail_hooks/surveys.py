"""
The admin of the satisfaction survey, and its parts of the compliance pages: the link on the
public outlet page, and the satisfaction section of an outlet's compliance report.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import hooks as core_hooks
from core.i18n import reads_english

from ..models.surveys import SurveyQuestion
from ..selectors.surveys import may_see_satisfaction_overview, outlet_satisfaction


class SurveyQuestionViewSet(SnippetViewSet):
    """
    The questions customers are asked, written by the quality department (the Auditors group
    holds add, change and view; trainers view). Retired with "active", never deleted by them.
    """

    model = SurveyQuestion
    icon = "help"
    menu_label = _("Survey questions")
    menu_name = "survey_questions"
    # In the quality department's menu (quality.wagtail_hooks.audits.QualityViewSetGroup).
    add_to_admin_menu = True
    menu_hook = "register_quality_menu_item"
    menu_order = 300
    list_display = ["code", "text", "text_en", "service_area", "sort_order", "is_active"]
    list_filter = ["is_active", "service_area"]
    search_fields = ["code", "text", "text_en"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order"), FieldPanel("is_active")]),
        FieldPanel("text"),
        FieldPanel("text_en"),
        FieldPanel("service_area"),
    ]

    def get_queryset(self, request):
        return SurveyQuestion.objects.select_related("service_area")


register_snippet(SurveyQuestionViewSet)


@hooks.register(core_hooks.PUBLIC_OUTLET_LINKS)
def survey_link(*, outlet, request):
    """The survey, offered to every customer on the outlet's public page (no queries)."""
    return [(gettext("Rate our service"), reverse("quality:survey", args=[outlet.code]))]


@hooks.register(core_hooks.OUTLET_REPORT_SECTIONS)
def satisfaction_section(*, outlet, user):
    """
    The outlet's customer satisfaction on its compliance report, for whoever reads the report;
    the customers' comments for the auditors and the outlet's own side only.
    """
    data = outlet_satisfaction(outlet=outlet, user=user, today=timezone.localdate())
    english = reads_english()
    questions = data.questions
    labels = [q.text_for(english=english) for q in questions]

    def cells(figures):
        return [
            {**cell, "label": label}
            for cell, label in zip(figures.cells(questions), labels, strict=True)
        ]

    return core_hooks.RecordSection(
        order=200,
        template="quality/survey/report_section.html",
        context={
            "satisfaction": data,
            "figures": data.figures,
            "question_labels": labels,
            "cells": cells(data.figures),
            "trend": [
                {"month": month, "figures": figures, "cells": cells(figures)}
                for month, figures in data.trend
            ],
            "overview_url": reverse("quality:satisfaction")
            if may_see_satisfaction_overview(user)
            else "",
        },
    )
