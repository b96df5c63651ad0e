from django import template
from django.template.loader import get_template
from django.utils.formats import number_format

from ..access import nav_shows_reports

register = template.Library()


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as a whole percentage; a dash where nothing is required."""
    if share is None:
        return "—"
    return f"{number_format(round(share * 100))}%"


@register.filter
def sees_compliance_reports(request) -> bool:
    return nav_shows_reports(request)


@register.simple_tag(takes_context=True)
def optional_include(context, template_name: str) -> str:
    """
    Render `template_name` with the page's context if it exists, nothing otherwise: the report
    pages leave a place for parts (exports) that another part of the app supplies.
    """
    try:
        included = get_template(template_name)
    except template.TemplateDoesNotExist:
        return ""
    return included.render(context.flatten(), context.get("request"))
