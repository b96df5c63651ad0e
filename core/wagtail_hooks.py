"""What core shows in the Wagtail admin: the background work waiting for the broker."""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import OutboxMessage
from .permissions import ReadOnlyPolicy

register_permission_policy(OutboxMessage, ReadOnlyPolicy(OutboxMessage))


class OutboxMessageViewSet(SnippetViewSet):
    """
    For the administrator after a broker outage: what waits, since when, and why the last hand-
    over failed. Empty in normal operation (a row is deleted once Celery took it). The arguments
    are not shown: an activation's SMS task carries its code. Only superusers see it (no group
    is given the permission).
    """

    model = OutboxMessage
    icon = "time"
    menu_label = _("Waiting tasks")
    add_to_settings_menu = True
    list_display = ["task_name", "created_at", "attempts", "last_error"]
    search_fields = ["task_name"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ["task_name", "created_at", "attempts", "last_error"]
    ordering = ["created_at"]


register_snippet(OutboxMessageViewSet)
