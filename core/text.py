"""Text from files and forms, checked before it is stored."""

import functools
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides and isolates: invisible, and able to make a name read as another.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(value: str, *, allow_newlines: bool = False) -> str | None:
    """
    Return the first control character of `value` (NUL, escape, DEL, a C1 control, a lone
    surrogate, a bidirectional override...), or None. With `allow_newlines`, tab, CR and LF pass.
    """
    for ch in value:
        if allow_newlines and ch in "\n\r\t":
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            return ch
    return None


def has_control_characters(value: str, *, allow_newlines: bool = False) -> bool:
    """
    True when `value` holds a control character (NUL, escape, a bidirectional override...).
    Such characters break spreadsheet exports and PDFs, and nobody types them into a name.
    """
    return control_character(value, allow_newlines=allow_newlines) is not None


@deconstructible
class ControlCharacterValidator:
    """
    Refuse text holding a control character other than tab, CR and LF (see `control_character`),
    in strings and in the strings of lists and dicts (a JSON field's value, a list of tags).
    """

    message = _("Contains an invisible control character (%(character)s); remove it.")
    code = "control_characters"

    def __call__(self, value):
        found = _first_control_character(value)
        if found is not None:
            raise ValidationError(
                self.message, code=self.code, params={"character": f"U+{ord(found):04X}"}
            )

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator)

    def __hash__(self):
        return hash(ControlCharacterValidator)


def _first_control_character(value) -> str | None:
    if isinstance(value, str):
        return control_character(value, allow_newlines=True)
    if isinstance(value, dict):
        return next((c for item in value.items() if (c := _first_control_character(item))), None)
    if isinstance(value, list | tuple | set | frozenset):
        return next((c for item in value if (c := _first_control_character(item))), None)
    if value is None:
        return None
    # As Django's ProhibitNullCharactersValidator, which this one replaces, judges other values.
    return control_character(str(value), allow_newlines=True)


def form_text_check_install() -> None:
    """
    Give every `django.forms.CharField` made from now on (and its subclasses: e-mail, URL, slug,
    password and rich-text fields, the fields of model forms, snippets and page editors, the
    fields of StreamField text blocks) a `ControlCharacterValidator` in place of Django's
    `ProhibitNullCharactersValidator`, which refuses NUL only. Safe to call twice.
    """
    init = forms.CharField.__init__
    if getattr(init, "refuses_control_characters", False):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        # Django's NUL check is replaced, not doubled: a NUL answers one error, not two.
        self.validators = [
            FORM_TEXT_VALIDATOR if isinstance(v, ProhibitNullCharactersValidator) else v
            for v in self.validators
        ]
        if FORM_TEXT_VALIDATOR not in self.validators:
            self.validators.append(FORM_TEXT_VALIDATOR)

    __init__.refuses_control_characters = True
    forms.CharField.__init__ = __init__


FORM_TEXT_VALIDATOR = ControlCharacterValidator()
