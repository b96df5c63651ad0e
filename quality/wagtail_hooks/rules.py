"""The admin of corrective training rules, and their part of an outlet's compliance report."""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import hooks as core_hooks
from core.permissions import ReadOnlyPolicy
from network.models import Role

from ..models.rules import CorrectiveAssignment, CorrectiveRule
from ..selectors.rules import outlet_corrective_record
from ..services.rules import assignment_reason

# The roles that serve customers at an outlet: those corrective training is for.
RULE_ROLES = (Role.FRONT_DESK, Role.TECHNICIAN, Role.SENIOR_TECHNICIAN, Role.OUTLET_MANAGER)


class CorrectiveRuleForm(WagtailAdminModelForm):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("For the roles"),
        choices=[(r.value, r.label) for r in RULE_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        trigger = data.get("trigger")
        if trigger == CorrectiveRule.Trigger.SURVEY_RATE:
            if not data.get("survey_question"):
                self.add_error(
                    "survey_question", gettext_lazy("Choose the question whose answers count.")
                )
            if not data.get("threshold_percent"):
                self.add_error(
                    "threshold_percent", gettext_lazy("Give the lowest acceptable yes-rate.")
                )
        track = data.get("track")
        if track is not None and not track.live:
            self.add_error("track", gettext_lazy("This track is not published."))
        return data


class CorrectiveRuleViewSet(SnippetViewSet):
    model = CorrectiveRule
    icon = "warning"
    menu_label = gettext_lazy("Corrective training rules")
    add_to_admin_menu = True
    menu_hook = "register_quality_menu_item"
    menu_order = 400
    list_display = ["name", "trigger", "track", "is_active"]
    list_filter = ["trigger", "is_active"]
    search_fields = ["name", "name_en"]
    search_backend_name = None

    edit_handler = ObjectList(CorrectiveRule.panels, base_form_class=CorrectiveRuleForm)

    def get_queryset(self, request):
        return CorrectiveRule.objects.select_related("track")


class CorrectiveAssignmentViewSet(SnippetViewSet):
    """What the rules assigned: a record, read only (the rules write it, nobody edits it)."""

    model = CorrectiveAssignment
    icon = "list-ul"
    menu_label = gettext_lazy("Corrective training assigned")
    add_to_admin_menu = True
    menu_hook = "register_quality_menu_item"
    menu_order = 500
    list_display = ["outlet", "rule", "status", "due_on", "created_at"]
    list_filter = ["status", "rule"]
    search_fields = ["outlet__code", "outlet__name"]
    search_backend_name = None
    inspect_view_enabled = True

    def get_queryset(self, request):
        return CorrectiveAssignment.objects.select_related("outlet", "rule")


register_permission_policy(CorrectiveAssignment, ReadOnlyPolicy(CorrectiveAssignment))
register_snippet(CorrectiveRuleViewSet)
register_snippet(CorrectiveAssignmentViewSet)


@hooks.register(core_hooks.OUTLET_REPORT_SECTIONS)
def outlet_corrective_section(*, outlet, user):
    """The corrective training the rules assigned at the outlet, each with its reason."""
    record = outlet_corrective_record(outlet=outlet, user=user)
    if record is None:
        return None
    for assignment in record["assignments"]:
        assignment.reason = assignment_reason(assignment)
    return core_hooks.RecordSection(
        order=20, template="quality/rules/_outlet_section.html", context=record
    )
