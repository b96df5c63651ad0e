"""How the satisfaction figures read on a page: a dash where nobody answered."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rate(value) -> str:
    """A yes-rate in percent (0 to 100) as a whole percentage."""
    if value is None:
        return "—"
    return f"{number_format(round(value))}%"


@register.filter
def mean(value) -> str:
    """A mean satisfaction (1 to 5) with one decimal."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=1)


@register.filter
def nps(value) -> str:
    """A net promoter score (-100 to 100), signed."""
    if value is None:
        return "—"
    value = round(value)
    return f"+{value}" if value > 0 else str(value)
