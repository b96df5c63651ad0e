"""Question banks and exams in the Wagtail admin."""

import json

import django_filters
from django import forms
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .. import admin_views
from ..forms.banks import QuestionAdminForm
from ..models import Assessment, PracticalChecklist, Question, QuestionCategory
from ..services.questions import question_version_current


class CategoryIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("assessments.view_question"):
            buttons.append(
                ListingMenuItem(
                    _("Export as XLSX"),
                    url=reverse("assessments_bank_export", args=[instance.pk]),
                    icon_name="download",
                    priority=40,
                )
            )
        return buttons


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    index_view_class = CategoryIndexView
    list_display = ["name", "name_en", "parent", Column("question_count", label=_("Questions"))]
    search_fields = ["name", "name_en"]
    search_backend_name = None

    def get_queryset(self, request):
        return QuestionCategory.objects.select_related("parent").annotate(
            question_count=Count("questions")
        )


class QuestionFilterSet(WagtailFilterSet):
    tags = django_filters.ModelMultipleChoiceFilter(
        label=_("Tags"),
        field_name="tags",
        queryset=Tag.objects.filter(assessments_questiontag_items__isnull=False)
        .distinct()
        .order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Question
        fields = ["category", "kind", "difficulty", "is_active"]


class KindPanel(MultiFieldPanel):
    """
    The fields one group of question types needs. The server renders the panel hidden when the
    question being edited is of another type; `question-kinds.js` shows and hides the panels as
    the type select changes. Hidden fields are still posted, so validation stays the form's.
    """

    def __init__(self, children=(), *args, kinds, **kwargs):
        self.kinds = tuple(kinds)
        super().__init__(children, *args, **kwargs)
        self.attrs["data-question-kinds"] = " ".join(self.kinds)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "kinds": self.kinds}

    class BoundPanel(MultiFieldPanel.BoundPanel):
        @property
        def attrs(self):
            attrs = dict(self.panel.attrs)
            kind = self.form["kind"].value() if "kind" in self.form.fields else None
            if kind not in self.panel.kinds:
                attrs["hidden"] = True
            return attrs

        @property
        def media(self):
            return super().media + forms.Media(js=["assessments/question-kinds.js"])


class KindInlinePanel(InlinePanel):
    """
    The options, for the types that have options; hidden like a `KindPanel`. `headings` names
    the panel by type (a short answer's options are its accepted answers); the script renames
    it as the type changes.
    """

    def __init__(self, relation_name, *args, kinds, headings=None, **kwargs):
        self.kinds = tuple(kinds)
        self.headings = dict(headings or {})
        super().__init__(relation_name, *args, **kwargs)
        self.attrs["data-question-kinds"] = " ".join(self.kinds)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "kinds": self.kinds, "headings": self.headings}

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            kind = self.form["kind"].value() if "kind" in self.form.fields else None
            self.heading = self.panel.headings.get(kind, self.panel.heading)

        @property
        def attrs(self):
            attrs = KindPanel.BoundPanel.attrs.fget(self)
            headings = {"": str(self.panel.heading)}
            headings.update({kind: str(text) for kind, text in self.panel.headings.items()})
            return {**attrs, "data-kind-headings": json.dumps(headings, ensure_ascii=False)}


def _for(kinds, panel):
    """`panel` within an option, shown by the script for the question types `kinds` only."""
    panel.attrs["data-question-kinds"] = " ".join(kinds)
    return panel


Kind = Question.Kind
OPTION_PANELS = [
    FieldPanel("text"),
    FieldPanel("text_en"),
    _for(
        [Kind.MATCHING],
        FieldRowPanel([FieldPanel("match_text"), FieldPanel("match_text_en")]),
    ),
    _for([Kind.SINGLE, Kind.MULTIPLE], FieldPanel("is_correct")),
    _for([Kind.SINGLE, Kind.MULTIPLE, Kind.SHORT_ANSWER], FieldPanel("fraction")),
    _for(
        [Kind.SINGLE, Kind.MULTIPLE, Kind.SHORT_ANSWER],
        FieldRowPanel([FieldPanel("feedback"), FieldPanel("feedback_en")]),
    ),
]
QUESTION_PANELS = [
    FieldRowPanel([FieldPanel("category"), FieldPanel("kind"), FieldPanel("difficulty")]),
    FieldPanel("text"),
    FieldPanel("text_en"),
    KindInlinePanel(
        "options",
        kinds=[Kind.SINGLE, Kind.MULTIPLE, Kind.ORDERING, Kind.SHORT_ANSWER, Kind.MATCHING],
        heading=_("Options (for ordering: in the right order)"),
        headings={
            Kind.SHORT_ANSWER: _("Accepted answers"),
            Kind.MATCHING: _("Pairs to match"),
        },
        help_text=_(
            "Short answer: each accepted answer, where * stands for any characters (“ESD*” "
            "accepts “ESD wrist strap”); a grade below 1 earns part of the points, blank earns "
            "full points. Matching: each item with its matching answer; a pair with no item is "
            "an extra wrong answer offered in every list."
        ),
        label=_("Option"),
        panels=OPTION_PANELS,
    ),
    KindPanel(
        [FieldPanel("true_false_answer")],
        kinds=[Kind.TRUE_FALSE],
        heading=_("Answer"),
    ),
    KindPanel(
        [
            FieldRowPanel([FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance")]),
            FieldPanel("numeric_answers"),
        ],
        kinds=[Kind.NUMERIC],
        heading=_("Answer"),
    ),
    KindPanel(
        [FieldPanel("case_sensitive")],
        kinds=[Kind.SHORT_ANSWER],
        heading=_("Answer"),
    ),
    KindPanel(
        [FieldPanel("partial_credit")],
        kinds=[Kind.MULTIPLE, Kind.MATCHING],
        heading=_("Scoring"),
    ),
    FieldPanel("points"),
    FieldPanel("explanation"),
    FieldPanel("explanation_en"),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("correct_feedback"), FieldPanel("correct_feedback_en")]),
            FieldRowPanel([FieldPanel("partial_feedback"), FieldPanel("partial_feedback_en")]),
            FieldRowPanel([FieldPanel("incorrect_feedback"), FieldPanel("incorrect_feedback_en")]),
        ],
        heading=_("Feedback in the review"),
    ),
    FieldPanel("tags"),
    FieldPanel("is_active"),
]


class _QuestionSave:
    """
    Freeze the question's version in the admin's save transaction: attempts answer frozen
    versions, so an edit after a question was answered must not change what those learners
    saw; the edit becomes a new version, or nothing is saved.
    """

    def save_instance(self):
        question = super().save_instance()
        question_version_current(question=question, actor=self.request.user)
        return question


class QuestionCreateView(_QuestionSave, CreateView):
    pass


class QuestionEditView(_QuestionSave, EditView):
    pass


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    list_display = [
        "text",
        "kind",
        "category",
        "difficulty",
        "is_active",
        Column("version_count", label=_("Versions")),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["text", "text_en", "source_ref"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    edit_handler = ObjectList(QUESTION_PANELS, base_form_class=QuestionAdminForm)

    def get_queryset(self, request):
        return Question.objects.select_related("category__parent").annotate(
            version_count=Count("versions", distinct=True)
        )


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "form"
    menu_label = _("Exams")
    list_display = ["title", "kind", "course", "track", "pass_mark_percent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "title_en"]
    search_backend_name = None

    def get_queryset(self, request):
        return Assessment.objects.select_related("course", "track")


class PracticalChecklistViewSet(SnippetViewSet):
    model = PracticalChecklist
    icon = "tasks"
    menu_label = _("Practical checklists")
    list_display = ["title", "track", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "title_en"]
    search_backend_name = None

    def get_queryset(self, request):
        return PracticalChecklist.objects.select_related("track")


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.add_question")


class QuestionBankViewSetGroup(SnippetViewSetGroup):
    items = (
        QuestionCategoryViewSet,
        QuestionViewSet,
        AssessmentViewSet,
        PracticalChecklistViewSet,
    )
    menu_icon = "help"
    menu_label = _("Question banks")
    menu_name = "question-banks"

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            ImportMenuItem(
                _("Import questions"),
                reverse("assessments_bank_import"),
                icon_name="upload",
                order=len(self.registerables) + 1,
            ),
        ]


register_snippet(QuestionBankViewSetGroup)


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [
        path("assessments/import/", admin_views.bank_import, name="assessments_bank_import"),
        path(
            "assessments/export/template/",
            admin_views.bank_template,
            name="assessments_bank_template",
        ),
        path(
            "assessments/export/<int:pk>/",
            admin_views.bank_export,
            name="assessments_bank_export",
        ),
    ]
