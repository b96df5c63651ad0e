from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core import hooks as core_hooks

from . import admin_views
from .access import nav_shows_reports
from .models import HeadcountRule, ServiceArea, TrackRequirement
from .services import requirements


def _applies_to():
    return MultiFieldPanel(
        [FieldRowPanel([FieldPanel("ownership"), FieldPanel("city_tier")])],
        heading=_("Applies to"),
    )


class ServiceAreaViewSet(SnippetViewSet):
    model = ServiceArea
    icon = "tag"
    menu_label = _("Service areas")
    list_display = ["code", "name", "name_en", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order"), FieldPanel("is_active")]),
        FieldPanel("name"),
        FieldPanel("name_en"),
    ]


class _RequirementSave:
    """
    A saved requirement enrols the people it applies to in its track (and an edit that moved it
    to another track withdraws the old track's unfinished enrolments it caused), after the commit.
    """

    def save_instance(self):
        current = getattr(self, "object", None)
        previous = (
            list(TrackRequirement.objects.filter(pk=current.pk).values_list("track_id", flat=True))
            if current is not None and current.pk
            else []
        )
        requirement = super().save_instance()
        requirements.requirements_changed(track_ids=[requirement.track_id, *previous])
        return requirement


class TrackRequirementCreateView(_RequirementSave, CreateView):
    pass


class TrackRequirementEditView(_RequirementSave, EditView):
    pass


class TrackRequirementViewSet(SnippetViewSet):
    model = TrackRequirement
    add_view_class = TrackRequirementCreateView
    edit_view_class = TrackRequirementEditView
    icon = "tick-inverse"
    menu_label = _("Required certificates")
    list_display = ["role", "track", "ownership", "city_tier", "is_active"]
    list_filter = ["role", "ownership", "city_tier", "is_active"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("role"), FieldPanel("is_active")]),
        FieldPanel("track"),
        _applies_to(),
    ]

    def get_queryset(self, request):
        return TrackRequirement.objects.select_related("track")


class HeadcountRuleViewSet(SnippetViewSet):
    model = HeadcountRule
    icon = "group"
    menu_label = _("Headcount rules")
    list_display = [
        "service_area",
        "role",
        "track",
        "minimum",
        "ownership",
        "city_tier",
        "is_active",
    ]
    list_filter = ["service_area", "role", "ownership", "city_tier", "is_active"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("service_area"), FieldPanel("is_active")]),
        FieldRowPanel([FieldPanel("role"), FieldPanel("minimum")]),
        FieldPanel("track"),
        _applies_to(),
    ]

    def get_queryset(self, request):
        return HeadcountRule.objects.select_related("service_area", "track")


class ComplianceViewSetGroup(SnippetViewSetGroup):
    items = (ServiceAreaViewSet, TrackRequirementViewSet, HeadcountRuleViewSet)
    menu_icon = "tick-inverse"
    menu_label = _("Compliance")
    menu_name = "compliance"
    submenu_hook = "register_compliance_menu_item"


register_snippet(ComplianceViewSetGroup)


@hooks.register("register_admin_urls")
def register_snapshot_urls():
    return [path("compliance/snapshots/", admin_views.snapshots, name="compliance_snapshots")]


class SnapshotMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("compliance.view_compliancesnapshot")


@hooks.register("register_compliance_menu_item")
def register_snapshot_menu_item():
    return SnapshotMenuItem(
        _("Snapshots"), reverse("compliance_snapshots"), icon_name="history", order=900
    )


@hooks.register(core_hooks.OUTLET_LINKS)
def outlet_compliance_links(*, outlet, request):
    if not nav_shows_reports(request):
        return []
    return [
        (
            _("Certification compliance of the outlet"),
            reverse("compliance:outlet", args=[outlet.code]),
        ),
        (_("Counter poster (PDF)"), reverse("compliance:poster", args=[outlet.code])),
    ]


@hooks.register(core_hooks.ENROLMENT_TARGETS)
def requirement_targets(*, track_ids):
    """Whoever must hold a track's certificate is enrolled in the track."""
    return requirements.enrolment_targets(track_ids=track_ids)


@hooks.register("after_delete_snippet")
def follow_removed_requirements(request, instances):
    track_ids = [i.track_id for i in instances if isinstance(i, TrackRequirement)]
    requirements.requirements_changed(track_ids=track_ids)
