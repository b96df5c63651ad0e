"""Wagtail admin of the assessments app; one module per concern, registered on import."""

from . import banks, courses, regrades  # noqa: F401
