"""
What the site navigation needs to know about the signed-in person: their role, kept in the
session from sign-in, because every page draws the navigation and should not read the person
for it. Each app decides from the role what it offers; its pages still check the person's
permissions on every request, so a stale navigation shows a link, never a page.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Staff

SESSION_KEY = "network_role"
# The role of a superuser who is no person in the network.
SUPERUSER = "superuser"


def _role_of(user) -> str:
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser:
        return SUPERUSER
    role = Staff.objects.filter(user=user, is_active=True).values_list("role", flat=True).first()
    return role or ""


def session_role(request) -> str:
    """The signed-in person's role as the navigation sees it; "" for nobody or no role."""
    if not request.user.is_authenticated:
        return ""
    role = request.session.get(SESSION_KEY)
    if role is None:  # a session from before this key existed
        role = request.session[SESSION_KEY] = _role_of(request.user)
    return role


def nav_role_in(request, roles) -> bool:
    """Whether the navigation offers what `roles` (and superusers) may use."""
    role = session_role(request)
    return role == SUPERUSER or role in roles


@receiver(user_logged_in, dispatch_uid="network_role_in_session")
def remember_role(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _role_of(user)
