"""Language helpers shared by the apps' pages, PDFs and exports."""

import hashlib

from django.utils import translation


def reads_english() -> bool:
    """Return whether the active language is English (content is written in Chinese first)."""
    return (translation.get_language() or "").startswith("en")


SLUG_MAX_LENGTH = 80


def readable_slug(title: str) -> str:
    """
    Return an ASCII slug for `title`: Chinese characters as pinyin syllables, other words as
    Django's `slugify` writes them. A Chinese slug would appear %-encoded in every link a
    trainer copies; pinyin stays readable. A title with nothing to spell gets a short id that
    stays the same for the same title.
    """
    from django.utils.text import slugify
    from pypinyin import lazy_pinyin

    words = slugify(" ".join(lazy_pinyin(title or "")))
    if len(words) > SLUG_MAX_LENGTH:
        words = words[: SLUG_MAX_LENGTH + 1].rsplit("-", 1)[0]
    if words:
        return words
    return "page-" + hashlib.sha256((title or "").encode()).hexdigest()[:8]
