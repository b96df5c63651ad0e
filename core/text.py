"""Text from files and forms, checked before it is stored."""

import unicodedata

# Bidirectional overrides and isolates: invisible, and able to make a name read as another.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_characters(value: str, *, allow_newlines: bool = False) -> bool:
    """
    True when `value` holds a control character (NUL, escape, a bidirectional override...).
    Such characters break spreadsheet exports and PDFs, and nobody types them into a name.
    """
    for ch in value:
        if allow_newlines and ch in "\n\r\t":
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            return True
    return False
