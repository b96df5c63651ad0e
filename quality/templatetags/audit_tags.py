"""What the site navigation offers of field audits, decided from the role the session knows."""

from django import template

from network.access import nav_role_in

from ..selectors.audits import ANSWERING_ROLES, AUDIT_ROLES
from ..selectors.surveys import OVERVIEW_ROLES

register = template.Library()


@register.filter
def sees_audits(request) -> bool:
    """Whether the navigation offers the quality department's pages (My audits, Findings)."""
    return nav_role_in(request, AUDIT_ROLES)


@register.filter
def sees_audit_findings(request) -> bool:
    """Whether the navigation offers an outlet's managers their audit findings."""
    return nav_role_in(request, ANSWERING_ROLES) and not nav_role_in(request, AUDIT_ROLES)


@register.filter
def sees_quality(request) -> bool:
    """Whether the navigation offers the quality view: the department, managers, partners."""
    return nav_role_in(request, (*AUDIT_ROLES, *ANSWERING_ROLES))


@register.filter
def sees_satisfaction(request) -> bool:
    """Whether the navigation offers the satisfaction roll-ups (quality.selectors.surveys)."""
    return nav_role_in(request, OVERVIEW_ROLES)
