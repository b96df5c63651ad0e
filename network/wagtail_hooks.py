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
from .models import AdditionalRole, Outlet, PartnerCompany, Staff
from .services import staff_assignment_sync


class PartnerCompanyViewSet(SnippetViewSet):
    model = PartnerCompany
    icon = "group"
    menu_label = _("Partner companies")
    list_display = ["code", "name", "name_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("is_active")]),
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("contact_email"),
    ]


class OutletViewSet(SnippetViewSet):
    model = Outlet
    icon = "site"
    menu_label = _("Service outlets")
    list_display = ["code", "name", "province", "city", "city_tier", "ownership", "is_active"]
    list_filter = ["city_tier", "ownership", "province", "is_active", "partner_company"]
    search_fields = ["code", "name", "name_en", "city"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("is_active")]),
        FieldPanel("name"),
        FieldPanel("name_en"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("province"), FieldPanel("city"), FieldPanel("city_tier")]
                ),
                FieldPanel("address"),
            ],
            heading=_("Location"),
        ),
        FieldRowPanel([FieldPanel("ownership"), FieldPanel("partner_company")]),
    ]

    def get_queryset(self, request):
        return Outlet.objects.select_related("partner_company")


class _StaffSave:
    """
    Save a person through the network's service inside the admin's save transaction: editing
    outlet or role in the admin keeps the history of where the person was, or nothing is saved.
    """

    def save_instance(self):
        staff = super().save_instance()
        staff_assignment_sync(staff=staff, actor=self.request.user, reason="admin edit")
        return staff


class StaffCreateView(_StaffSave, CreateView):
    pass


class StaffEditView(_StaffSave, EditView):
    pass


class _AdditionalRoleSave:
    """A second role brings that role's tracks, as a change of main role would."""

    def save_instance(self):
        role = super().save_instance()
        core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=[role.staff_id])
        return role


class AdditionalRoleCreateView(_AdditionalRoleSave, CreateView):
    pass


class AdditionalRoleEditView(_AdditionalRoleSave, EditView):
    pass


class StaffViewSet(SnippetViewSet):
    model = Staff
    icon = "user"
    menu_label = _("Staff")
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    list_display = ["employee_number", "name", "role", "outlet", "hire_date", "is_active"]
    list_filter = ["role", "is_active", "outlet__city_tier", "outlet__ownership"]
    search_fields = ["employee_number", "user__first_name", "user__username"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("employee_number"), FieldPanel("is_active")]),
        FieldPanel("user"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("hire_date")]),
        FieldPanel("outlet"),
        FieldPanel("partner_company"),
        FieldPanel("phone"),
    ]

    def get_queryset(self, request):
        return Staff.objects.select_related("user", "outlet")


class AdditionalRoleViewSet(SnippetViewSet):
    model = AdditionalRole
    icon = "tag"
    menu_label = _("Additional roles")
    add_view_class = AdditionalRoleCreateView
    edit_view_class = AdditionalRoleEditView
    list_display = ["staff", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["staff__employee_number", "staff__user__first_name"]
    search_backend_name = None
    panels = [FieldPanel("staff"), FieldPanel("role")]

    def get_queryset(self, request):
        return AdditionalRole.objects.select_related("staff__user")


class NetworkViewSetGroup(SnippetViewSetGroup):
    items = (PartnerCompanyViewSet, OutletViewSet, StaffViewSet, AdditionalRoleViewSet)
    menu_icon = "site"
    menu_label = _("Service network")
    menu_name = "network"


register_snippet(NetworkViewSetGroup)


@hooks.register("after_delete_snippet")
def follow_removed_additional_roles(request, instances):
    staff_ids = [i.staff_id for i in instances if isinstance(i, AdditionalRole)]
    if staff_ids:
        core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=staff_ids)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("network/import/", admin_views.import_upload, name="network_import"),
        path("network/import/<int:pk>/", admin_views.import_detail, name="network_import_detail"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("network.add_importbatch")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import outlets and staff"), reverse("network_import"), icon_name="upload", order=900
    )
