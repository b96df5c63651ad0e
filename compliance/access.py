"""Who may read the compliance reports at all; which outlets they see is `visible_to`'s answer."""

from network.access import nav_role_in
from network.models import Role, Staff

# People who answer for outlets' certification: their own outlet, their company's or all.
REPORT_ROLES = (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN, Role.TRAINER, Role.AUDITOR)


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
    """Return whether the site navigation offers the reports (the pages ask `may_see_reports`)."""
    return nav_role_in(request, REPORT_ROLES)
