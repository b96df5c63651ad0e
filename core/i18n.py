"""Language helpers shared by the apps' pages, PDFs and exports."""

from django.utils import translation


def reads_english() -> bool:
    """Return whether the active language is English (content is written in Chinese first)."""
    return (translation.get_language() or "").startswith("en")
