"""
Stored-XSS payloads, one per field, each carrying a token that names its field.

A token is "xss" and three digits ("xss017"): all tokens have the same length, so none is a
prefix of another, and a dialog, a CSP report or a page that shows the text can be traced back
to the one field the payload was stored in.
"""

from dataclasses import dataclass, field

# Markup that runs by itself when it reaches the page unescaped: no click, no hover. Which one
# a field gets rotates, so that every kind reaches every layer of templates somewhere.
MARKUP = (
    '<script>alert("{token}")</script>',
    '"><img src=x onerror=alert("{token}")>',
    '</textarea><svg onload=alert("{token}")>',
    '\'"><details open ontoggle=alert("{token}")>',
    '" autofocus onfocus=alert("{token}") x="',
    "<iframe srcdoc=\"<script>parent.alert('{token}')</script>\"></iframe>",
)
# The shortest, for identifiers of 32 characters.
SHORT = '"><svg onload=alert("{token}")>'
# Without spaces, dashes, dots or brackets, which phone numbers lose on the way in.
COMPACT = '"><svg/onload=alert`{token}`>'
# For fields that end up in an href or a src.
URL = 'javascript:alert("{token}")'
# A valid address: a quoted local part may hold markup.
EMAIL = '"<svg/onload=alert(`{token}`)>"@example.com'


@dataclass
class Payload:
    token: str
    field: str
    value: str
    # Whether a page must show the token: not for what the server rightly drops on the way in
    # (a javascript: link in rich text).
    expect_seen: bool = True


@dataclass
class Payloads:
    """Every payload handed out, by token; `field` names where it was stored."""

    by_token: dict[str, Payload] = field(default_factory=dict)

    def _keep(self, name: str, template: str, *, suffix: str = "", expect_seen=True) -> str:
        token = f"xss{len(self.by_token) + 1:03d}"
        value = template.format(token=token) + suffix
        self.by_token[token] = Payload(token, name, value, expect_seen)
        return value

    def text(
        self,
        name: str,
        *,
        max_length: int = 300,
        suffix: str = "",
        no_slash: bool = False,
        no_comma: bool = False,
        short: bool = False,
        compact: bool = False,
        expect_seen: bool = True,
    ) -> str:
        """
        Return markup for the text field `name`: the next kind in rotation that fits its length
        and the characters its importer would split on (`no_slash`: category paths, `no_comma`:
        tag lists).
        """
        if compact:
            candidates = [COMPACT]
        elif short:
            candidates = [SHORT]
        else:
            start = len(self.by_token)
            candidates = [MARKUP[(start + i) % len(MARKUP)] for i in range(len(MARKUP))]
            candidates.append(SHORT)
        for template in candidates:
            sample = template.format(token="xss000") + suffix
            if len(sample) > max_length:
                continue
            if (no_slash and "/" in sample) or (no_comma and "," in sample):
                continue
            return self._keep(name, template, suffix=suffix, expect_seen=expect_seen)
        raise ValueError(f"No payload fits {name} ({max_length} characters)")

    def url(self, name: str, *, expect_seen: bool = True) -> str:
        return self._keep(name, URL, expect_seen=expect_seen)

    def email(self, name: str) -> str:
        return self._keep(name, EMAIL)

    def value_of(self, name: str) -> str:
        """The payload stored in the field `name`."""
        return next(p.value for p in self.by_token.values() if p.field == name)

    def fields_in(self, text: str) -> str:
        """The fields whose tokens `text` (a dialog, a CSP report) carries, or ""."""
        return ", ".join(
            f"{p.field} ({token})" for token, p in self.by_token.items() if token in text
        )
