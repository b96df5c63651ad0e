"""HTML cleaned by nh3 and read as text, and the two languages of Moodle's multilang filter."""

import re
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext as _

from .items import _Problems

# Question texts are stored and shown as plain text (the attempt page escapes them and keeps
# their line breaks), so HTML from Moodle or Word is first cleaned by nh3 (Ammonia) down to this
# allow-list, then read as lines. Everything else goes: <style>, <script> and the like with what
# is inside them, event handler attributes, javascript: and data: links, Word's <o:p> and its
# mso classes (no class or style attribute is allowed), comments (Word's <!--[if gte mso 9]>).
HTML_TAGS = frozenset(
    {
        "p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "sub", "sup", "span",
        "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
        "a",
    }
)  # fmt: skip
# No <img>: texts show no images (an image is noticed, and the import says it is left out).
HTML_ATTRIBUTES = {"a": {"href"}}
HTML_URL_SCHEMES = frozenset({"http", "https"})
# Removed with their content: a browser never shows it as text.
HTML_DROPPED = frozenset(
    {"style", "script", "head", "title", "template", "xml", "noscript", "iframe", "object"}
)
_IMAGE = re.compile(r"<img\b", re.I)


def html_sanitise(markup: str) -> str:
    """Return `markup` cleaned to the allow-list `HTML_TAGS` (see above), entities kept."""
    return nh3.clean(
        markup,
        tags=set(HTML_TAGS),
        clean_content_tags=set(HTML_DROPPED),
        attributes={tag: set(names) for tag, names in HTML_ATTRIBUTES.items()},
        url_schemes=set(HTML_URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


class _TextOf(HTMLParser):
    """The lines of markup that `html_sanitise` cleaned: one per paragraph, list item, row."""

    _BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    _CELLS = {"td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._BREAKS:
            self.parts.append("\n")
        elif tag in self._CELLS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def _clean_lines(text: str) -> str:
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{2,}", "\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> tuple[str, bool]:
    """
    Return the text of an HTML fragment, cleaned by `html_sanitise`, one line per paragraph,
    and whether it had images.
    """
    parser = _TextOf()
    parser.feed(html_sanitise(markup))
    parser.close()
    return _clean_lines("".join(parser.parts)), bool(_IMAGE.search(markup))


_MULTILANG_OPEN = re.compile(
    r"<span\b(?=[^>]*\bclass=\"multilang\")[^>]*\blang=\"([\w-]+)\"[^>]*>", re.I
)
_SPAN_TAG = re.compile(r"<span\b[^>]*>|</span\s*>", re.I)
_MLANG = re.compile(r"\{mlang\s+([\w-]+)\}(.*?)\{mlang\}", re.S | re.I)


def _multilang_keep(raw: str, prefix: str) -> str:
    """
    Return `raw` with each multilang span of a language starting with `prefix` replaced by its
    content and every other multilang span removed. Spans inside a multilang span (Word's and
    the editor's <span style=...>) are counted, so its end is its own </span>.
    """
    out, pos = [], 0
    while (found := _MULTILANG_OPEN.search(raw, pos)) is not None:
        out.append(raw[pos : found.start()])
        depth, inner_end, end = 1, len(raw), len(raw)
        for tag in _SPAN_TAG.finditer(raw, found.end()):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                inner_end, end = tag.start(), tag.end()
                break
        if found.group(1).lower().startswith(prefix):
            out.append(raw[found.end() : inner_end])
        pos = end
    out.append(raw[pos:])
    return "".join(out)


def _languages(raw: str) -> tuple[str, str]:
    """
    Return the Chinese and the English text of a Moodle text written for the multilang filters
    (<span lang="en" class="multilang"> or {mlang en}); a text without them is Chinese only.
    """
    if not (_MULTILANG_OPEN.search(raw) or _MLANG.search(raw)):
        return raw, ""

    def keep(prefix):
        def choose(match):
            return match.group(2) if match.group(1).lower().startswith(prefix) else ""

        return _MLANG.sub(choose, _multilang_keep(raw, prefix))

    return keep("zh"), keep("en")


def _plain_answer(raw: str) -> tuple[str, str]:
    """
    Return the Chinese and English text of an answer Moodle keeps as plain text (a short
    answer, a matching answer); multilang spans in it are HTML, as Moodle's filter reads them.
    """
    chinese, english = _languages(raw)
    if (chinese, english) == (raw, ""):
        return _clean_lines(raw), ""
    return html_to_text(chinese)[0], html_to_text(english)[0]


def _rich_text(raw: str, is_html: bool, problems: _Problems, field_name: str) -> tuple[str, str]:
    chinese, english = _languages(raw)
    if not is_html:
        return _clean_lines(chinese), _clean_lines(english)
    chinese, image = html_to_text(chinese)
    english, image_en = html_to_text(english)
    if image or image_en or "@@PLUGINFILE@@" in raw:
        problems.warning(field_name, _("Images and attached files are not imported."))
    return chinese, english


def _html_of(text: str) -> str:
    """Return plain text as the HTML Moodle shows: escaped, one <br> per line break."""
    import html

    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def _multilang(text: str, text_en: str) -> str:
    """Return the HTML of a text in one language, or in both for Moodle's multilang filter."""
    if not text_en:
        return _html_of(text)
    return (
        f'<span lang="zh" class="multilang">{_html_of(text)}</span>'
        f'<span lang="en" class="multilang">{_html_of(text_en)}</span>'
    )


def _plain_multilang(text: str, text_en: str) -> str:
    """An answer Moodle keeps as plain text: as it is, or in multilang spans for two languages."""
    return _multilang(text, text_en) if text_en else text
