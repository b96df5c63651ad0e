"""Wagtail admin of the assessments app; one module per concern, registered on import."""

from . import banks, courses, record, regrades  # noqa: F401
