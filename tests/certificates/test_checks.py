import pytest
from django.core import checks

from core import pdf
from tests.conftest import WQY_FONT


def _font_issues():
    return [
        (issue.id, issue.level)
        for issue in checks.run_checks(tags=["certificates"])
        if issue.id.startswith("certificates.W")
    ]


@pytest.fixture
def no_system_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "CJK_FONT_CANDIDATES", [str(tmp_path / "wqy-microhei.ttc")])


def test_a_missing_configured_font_and_no_system_font_warn(settings, tmp_path, no_system_fonts):
    settings.CERTIFICATE_CJK_FONT = str(tmp_path / "missing.ttc")

    assert _font_issues() == [
        ("certificates.W002", checks.WARNING),
        ("certificates.W001", checks.WARNING),
    ]


def test_the_warning_names_the_fallback_and_the_paths_searched(settings, tmp_path, no_system_fonts):
    settings.CERTIFICATE_CJK_FONT = ""

    (issue,) = [i for i in checks.run_checks(tags=["certificates"]) if i.id == "certificates.W001"]

    assert issue.msg == (
        f"No TrueType CJK font found (searched {tmp_path / 'wqy-microhei.ttc'}): certificate "
        "PDFs fall back to STSong-Light, which Chrome's PDF viewer shows blank."
    )
    assert "fonts-wqy-microhei" in issue.hint


def test_an_opentype_cff_font_is_not_embeddable(settings, tmp_path, no_system_fonts):
    cff = tmp_path / "NotoSansCJK-Regular.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 60)
    settings.CERTIFICATE_CJK_FONT = str(cff)

    assert [i for i, _level in _font_issues()] == ["certificates.W002", "certificates.W001"]


def test_a_truetype_collection_given_by_the_setting_is_enough(settings, tmp_path, no_system_fonts):
    collection = tmp_path / "font.ttc"
    # A collection header whose first face, at offset 16, has TrueType outlines.
    collection.write_bytes(b"ttcf\0\1\0\0\0\0\0\1\0\0\0\x10" + b"\0\1\0\0" + b"\0" * 40)
    settings.CERTIFICATE_CJK_FONT = str(collection)

    assert _font_issues() == []


@pytest.mark.pdftools
def test_the_installed_wenquanyi_font_is_found_without_a_setting(settings):
    settings.CERTIFICATE_CJK_FONT = ""

    assert pdf.has_truetype_outlines(WQY_FONT)
    assert _font_issues() == []
