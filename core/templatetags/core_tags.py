from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag
def record_section(section) -> str:
    """Render one `core.hooks.RecordSection` of a person's record with its own context."""
    return get_template(section.template).render(section.context)
