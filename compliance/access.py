"""Who may read the compliance reports at all; which outlets they see is `visible_to`'s answer."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from network.models import Role, Staff

# People who answer for outlets' certification: their own outlet, their company's or all.
REPORT_ROLES = (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN, Role.TRAINER, Role.AUDITOR)
SESSION_KEY = "compliance_reports"


def may_see_reports(user) -> bool:
    """Return whether `user` may open the compliance reports; read once per user object."""
    cached = getattr(user, "_compliance_reports", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        allowed = False
    elif user.is_superuser:
        allowed = True
    else:
        allowed = Staff.objects.filter(user=user, is_active=True, role__in=REPORT_ROLES).exists()
    user._compliance_reports = allowed
    return allowed


def nav_shows_reports(request) -> bool:
    """
    Return whether the site navigation offers the reports. Every page draws the navigation, so
    the answer is kept in the session from sign-in rather than read on each page; the pages
    themselves ask `may_see_reports` on every request.
    """
    if not request.user.is_authenticated:
        return False
    shown = request.session.get(SESSION_KEY)
    if shown is None:  # a session from before this key existed
        shown = request.session[SESSION_KEY] = may_see_reports(request.user)
    return shown


@receiver(user_logged_in, dispatch_uid="compliance_reports_in_session")
def remember_report_access(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = may_see_reports(user)
