"""The Simplified Chinese catalogue is complete, compiled from the current .po, and used."""

import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from network.models import CityTier, Ownership, Role

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]


def read_po(path: Path) -> list[Entry]:
    """Read the entries of a .po file: enough of the format for the checks below."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def append(key, index, text):
        value = _unescape(text)
        if key == "msgstr" and index is not None:
            entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + value
        elif key == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif key == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        else:
            setattr(entry, key, getattr(entry, key) + value)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank, or an obsolete entry
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            key, index, text = keyword.groups()
            key = "msgstr" if key.startswith("msgstr") else key
            index = int(index) if index is not None else None
            # An entry opens with msgctxt, or with a msgid that no msgctxt just announced.
            if key == "msgctxt" or (key == "msgid" and (target is None or target[0] != "msgctxt")):
                entry = Entry(flags=pending_flags, line=number)
                entries.append(entry)
                pending_flags = set()
            if key == "msgstr" and index is not None:
                entry.msgstr_plural.setdefault(index, "")
            target = (key, index)
            append(key, index, text)
            continue
        continuation = _CONTINUATION.match(line)
        assert continuation and target, f"{path}:{number}: cannot read {raw!r}"
        append(*target, continuation.group(1))
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = read_po(PO_FILE)
    assert len(entries) > 100, "the catalogue looks truncated"
    return entries


def test_po_file_has_a_translation_for_every_message(po_entries):
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in po_entries
        if not e.is_header and (not e.translations or not all(e.translations))
    ]
    assert untranslated == []


def test_po_file_has_no_fuzzy_entries(po_entries):
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in po_entries if "fuzzy" in e.flags]
    assert fuzzy == []


def test_po_header_declares_simplified_chinese_utf8_and_one_plural_form(po_entries):
    header = next(e for e in po_entries if e.is_header).msgstr
    assert "Language: zh_Hans\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header


def test_plural_messages_have_exactly_the_one_chinese_plural_form(po_entries):
    plurals = [e for e in po_entries if e.msgid_plural is not None]
    assert plurals
    assert [e.msgid for e in plurals if set(e.msgstr_plural) != {0}] == []


def test_python_format_placeholders_are_kept_in_translations(po_entries):
    placeholder = re.compile(r"%\(\w+\)[sdr]")
    wrong = [
        (e.msgid, text)
        for e in po_entries
        if not e.is_header
        for text in e.translations
        if set(placeholder.findall(text)) != set(placeholder.findall(e.msgid))
    ]
    assert wrong == []


def test_compiled_mo_holds_every_translation_of_the_po(po_entries):
    with MO_FILE.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    stale = []
    for e in po_entries:
        if e.is_header:
            continue
        if e.msgid_plural is None:
            if e.msgctxt is None:
                found = compiled.gettext(e.msgid)
            else:
                found = compiled.pgettext(e.msgctxt, e.msgid)
            if found != e.msgstr:
                stale.append((e.msgid, e.msgstr, found))
        elif compiled.ngettext(e.msgid, e.msgid_plural, 1) != e.msgstr_plural[0]:
            stale.append((e.msgid, e.msgstr_plural[0], compiled.ngettext(e.msgid, "", 1)))
    assert stale == [], "django.mo is older than django.po: run compilemessages"


def test_sign_in_is_translated_into_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
        assert translation.gettext("Service Network Academy") == "售后服务学院"


def test_role_labels_use_the_chinese_job_titles():
    with translation.override("zh-hans"):
        labels = {role: str(role.label) for role in Role}
    assert labels == {
        Role.FRONT_DESK: "前台接待",
        Role.TECHNICIAN: "维修技术员",
        Role.SENIOR_TECHNICIAN: "高级技术员",
        Role.OUTLET_MANAGER: "网点经理",
        Role.PARTNER_ADMIN: "外包服务商管理员",
        Role.TRAINER: "培训讲师",
        Role.AUDITOR: "稽核",
    }


def test_city_tiers_and_ownership_use_the_chinese_terms():
    with translation.override("zh-hans"):
        assert [str(label) for _, label in CityTier.choices] == [
            "一线城市",
            "二线城市",
            "三线及以下城市",
        ]
        assert str(Ownership.BRAND.label) == "直营服务中心"
        assert str(Ownership.PARTNER.label) == "合作网点"


def test_english_stays_the_source_text():
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
        assert str(Role.AUDITOR.label) == "Auditor"


@pytest.mark.django_db
def test_login_page_requested_in_chinese_shows_chinese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert "登录" in page
    assert "用户名" in page
    assert '<html lang="zh-hans">' in page


@pytest.mark.django_db
def test_login_page_requested_in_english_stays_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
