from django import template

from network.access import nav_role_in

from ..selectors.desk import DESK_ROLES

register = template.Library()


@register.filter
def sees_certificate_desk(request) -> bool:
    """Whether the navigation offers the certificate desk (the desk checks on every request)."""
    return nav_role_in(request, DESK_ROLES)
