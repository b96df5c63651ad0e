from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def record_section(context, section) -> str:
    """
    Render one `core.hooks.RecordSection` of a person's record with its own context, and with
    the page's request, so that a section's forms carry their CSRF token.
    """
    return get_template(section.template).render(section.context, request=context.get("request"))
