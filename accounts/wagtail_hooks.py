"""How accounts takes part in other apps' pages and moments (see core/hooks.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import hooks as core_hooks
from core.permissions import ReadOnlyPolicy
from network.access import nav_role_in
from network.models import Staff

from . import selectors, services
from .models import SignInEvent, SmsMessage

_BADGES = {selectors.PENDING: "bad", selectors.INVITED: "warn", selectors.ACTIVE: "ok"}


@hooks.register(core_hooks.STAFF_TABLE_COLUMNS)
def sign_in_column(*, people, request):
    """Pending, invited or active, for those who issue activations."""
    if not nav_role_in(request, selectors.ISSUING_ROLES):
        return None
    states = selectors.sign_in_states(people)
    return core_hooks.StaffColumn(
        heading=_("Account"),
        cells={
            staff_id: {"text": selectors.STATE_LABELS[state], "badge": _BADGES[state]}
            for staff_id, state in states.items()
        },
    )


@hooks.register(core_hooks.STAFF_RECORD_SECTIONS)
def sign_in_record(*, staff, user):
    """The person's account on their record: state, lock, recent sign-ins, the issuer's actions."""
    may_issue = (
        staff.user_id is not None
        and staff.is_active
        and selectors.issuable_staff(user).filter(pk=staff.pk).exists()
    )
    return core_hooks.RecordSection(
        order=5,
        template="accounts/record/sign_in.html",
        context={
            "person": staff,
            "account": selectors.account_summary(staff=staff),
            "may_issue": may_issue,
        },
    )


@hooks.register(core_hooks.OUTLET_LINKS)
def outlet_activation_link(*, outlet, request):
    if not nav_role_in(request, selectors.ISSUING_ROLES):
        return []
    return [(_("Account activation"), reverse("accounts:outlet_activation", args=[outlet.code]))]


@hooks.register(core_hooks.STAFF_CHANGED)
def staff_changed(*, staff_ids):
    """Whoever left (or lost their account) is signed out everywhere, at once."""
    for person in Staff.objects.filter(pk__in=staff_ids, is_active=False).select_related("user"):
        if person.user is not None:
            services.sessions_end(user=person.user, reason="left")


register_permission_policy(SignInEvent, ReadOnlyPolicy(SignInEvent))
register_permission_policy(SmsMessage, ReadOnlyPolicy(SmsMessage))


class SignInEventViewSet(SnippetViewSet):
    """The audit trail, read-only: nobody adds or edits what happened."""

    model = SignInEvent
    icon = "key"
    menu_label = _("Sign-in events")
    list_display = ["created_at", "kind", "user", "identifier", "actor", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["identifier", "user__username", "user__first_name"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    ordering = ["-created_at"]


class SmsMessageViewSet(SnippetViewSet):
    model = SmsMessage
    icon = "mail"
    menu_label = _("SMS sent")
    list_display = ["created_at", "purpose", "phone", "status", "error", "user"]
    list_filter = ["purpose", "status"]
    search_fields = ["phone", "user__username"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    ordering = ["-created_at"]


class AccountsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Sign-in")
    menu_icon = "key"
    menu_order = 320
    items = (SignInEventViewSet, SmsMessageViewSet)


register_snippet(AccountsViewSetGroup)
