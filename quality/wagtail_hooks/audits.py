"""The admin of field audits, and what audits add to the pages of other apps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core import hooks as core_hooks
from network.access import nav_role_in

from ..models.audits import AuditPlan, AuditTemplate
from ..selectors.audits import ANSWERING_ROLES, AUDIT_ROLES, outlet_audit_record
from ..services.audits import audit_plan_schedule


class AuditTemplateViewSet(SnippetViewSet):
    model = AuditTemplate
    icon = "list-ul"
    menu_label = gettext_lazy("Audit templates")
    list_display = ["name", "name_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en"]
    search_backend_name = None


class _PlanSave:
    """A saved plan schedules its audits: the outlets picked by hand and those sampled by risk."""

    def save_instance(self):
        plan = super().save_instance()
        try:
            created = audit_plan_schedule(plan=plan, actor=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            if created:
                messages.success(
                    self.request,
                    ngettext(
                        "%(count)s audit scheduled.", "%(count)s audits scheduled.", len(created)
                    )
                    % {"count": len(created)},
                )
        return plan


class AuditPlanCreateView(_PlanSave, CreateView):
    pass


class AuditPlanEditView(_PlanSave, EditView):
    pass


class AuditPlanViewSet(SnippetViewSet):
    model = AuditPlan
    add_view_class = AuditPlanCreateView
    edit_view_class = AuditPlanEditView
    icon = "date"
    menu_label = gettext_lazy("Audit plans")
    list_display = ["name", "starts_on", "ends_on", "template", "sample_size"]
    search_fields = ["name"]
    search_backend_name = None

    def get_queryset(self, request):
        return AuditPlan.objects.select_related("template")


class QualityViewSetGroup(SnippetViewSetGroup):
    """The quality department's menu: audits; the survey questions and the corrective training
    rules join it from their modules (menu_hook "register_quality_menu_item")."""

    items = (AuditTemplateViewSet, AuditPlanViewSet)
    menu_icon = "clipboard-list"
    menu_label = gettext_lazy("Quality supervision")
    menu_name = "quality"


register_snippet(QualityViewSetGroup)


@hooks.register(core_hooks.OUTLET_REPORT_SECTIONS)
def outlet_audit_section(*, outlet, user):
    """The outlet's audit history and unclosed findings, for the quality department and the
    outlet's own managers."""
    record = outlet_audit_record(outlet=outlet, user=user)
    if record is None:
        return None
    return core_hooks.RecordSection(
        order=10, template="quality/audits/_outlet_section.html", context=record
    )


@hooks.register(core_hooks.OUTLET_LINKS)
def outlet_audit_links(*, outlet, request):
    if nav_role_in(request, AUDIT_ROLES):
        return [
            (
                _("Start an audit of the outlet"),
                f"{reverse('quality:audit_start')}?outlet={outlet.code}",
            )
        ]
    if nav_role_in(request, ANSWERING_ROLES):
        return [(_("Audit findings"), reverse("quality:finding_list"))]
    return []
