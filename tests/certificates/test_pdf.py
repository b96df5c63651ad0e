import datetime
import io
import logging
import subprocess

import pytest
from PIL import Image

from certificates.pdf import CertificateData, certificate_pdf
from core import pdf as core_pdf

pytestmark = pytest.mark.pdftools

TOKEN = "eyJ2IjoxLCJzIjoiU05BLTIwMjUtMDAwMTIzIn0.c2lnbmF0dXJlLW9mLXRoZS1pc3N1ZXI"
QR_TEXT = f"https://academy.example.com/verify/K7Q2M9XW4T/?t={TOKEN}"


@pytest.fixture
def data():
    return CertificateData(
        serial="SNA-2025-000123",
        holder="罗娜",
        employee_number="E102938",
        outlet="长沙五一大道授权服务中心",
        partner_company="湖南星联电子服务有限公司",
        track="手机维修工程师",
        track_en="Mobile Repair Technician",
        issued_on=datetime.date(2025, 3, 1),
        expires_on=datetime.date(2027, 3, 1),
        status="valid",
        course_lines=["柜台三包政策 r12", "主板维修基础 r4"],
    )


@pytest.fixture
def wqy_font(settings):
    settings.CERTIFICATE_CJK_FONT = ""


def _poppler(tool, pdf_bytes, tmp_path, *args) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(
        [tool, *args, str(path), *([] if tool != "pdftotext" else ["-"])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _text(pdf_bytes, tmp_path) -> str:
    return _poppler("pdftotext", pdf_bytes, tmp_path)


def test_text_holds_chinese_holder_name_and_serial(data, wqy_font, tmp_path):
    text = _text(certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN), tmp_path)

    assert "罗娜" in text
    assert "SNA-2025-000123" in text
    assert "手机维修工程师" in text
    assert "长沙五一大道授权服务中心" in text
    assert "湖南星联电子服务有限公司" in text
    assert "2025年3月1日" in text
    assert "2027年3月1日" in text
    assert "柜台三包政策 r12" in text
    assert "Verify at: https://academy.example.com/verify/K7Q2M9XW4T/" in text
    assert TOKEN not in text


def test_cjk_font_is_embedded(data, wqy_font, tmp_path):
    fonts = _poppler("pdffonts", certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN), tmp_path)

    wqy = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert len(wqy) == 1
    # Columns: name type encoding emb sub uni object generation.
    assert wqy[0].split()[-5:-2] == ["yes", "yes", "yes"]


def test_qr_code_decodes_to_the_verification_url(data, wqy_font, tmp_path):
    import zxingcpp

    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")

    codes = zxingcpp.read_barcodes(Image.open(png))

    assert [code.text for code in codes] == [QR_TEXT]


def test_keywords_carry_the_token_and_title_names_the_serial(data, wqy_font, tmp_path):
    info = _poppler("pdfinfo", certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN), tmp_path)
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)

    assert fields["Keywords"].strip() == f"lms-cert:{TOKEN}"
    assert "SNA-2025-000123" in fields["Title"]
    assert fields["Subject"].strip() == "罗娜 · 手机维修工程师 / Mobile Repair Technician"
    assert fields["Pages"].strip() == "1"
    # A4 landscape in points.
    assert fields["Page size"].split("pts")[0].split() == ["841.89", "x", "595.276"]


def test_chinese_comes_first_in_chinese(data, wqy_font, tmp_path):
    text = _text(certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN), tmp_path)

    assert text.index("培训合格证书") < text.index("Certificate of Qualification")
    assert text.index("手机维修工程师") < text.index("Mobile Repair Technician")
    assert "证书编号 Certificate No." in text


def test_english_comes_first_in_english(data, wqy_font, tmp_path):
    text = _text(certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN, language="en"), tmp_path)

    assert text.index("Certificate of Qualification") < text.index("培训合格证书")
    assert text.index("Mobile Repair Technician") < text.index("手机维修工程师")
    assert text.index("1 March 2025") < text.index("2025年3月1日")
    assert "Certificate No. 证书编号" in text
    assert "罗娜" in text


def test_empty_seal_slot_is_labelled(data, wqy_font, tmp_path):
    text = _text(certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN), tmp_path)

    assert "盖章处 / Seal" in text


def test_seal_image_is_drawn_in_the_slot(data, wqy_font, tmp_path):
    seal = io.BytesIO()
    Image.new("RGBA", (120, 120), (200, 30, 30, 255)).save(seal, format="PNG")

    document = certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN, seal_png=seal.getvalue())

    images = _poppler("pdfimages", document, tmp_path, "-list").splitlines()[2:]
    # The seal and its transparency mask.
    assert [line.split()[2:5] for line in images] == [
        ["image", "120", "120"],
        ["smask", "120", "120"],
    ]
    assert "盖章处" not in _text(document, tmp_path)


def test_without_a_cjk_font_the_pdf_falls_back_to_stsong_with_a_warning(
    data, settings, monkeypatch, tmp_path, caplog
):
    settings.CERTIFICATE_CJK_FONT = ""
    monkeypatch.setattr(core_pdf, "CJK_FONT_CANDIDATES", [str(tmp_path / "missing.ttc")])

    with caplog.at_level(logging.WARNING, logger="core.pdf"):
        document = certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN)

    assert document.startswith(b"%PDF")
    assert "STSong-Light" in _poppler("pdffonts", document, tmp_path)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Chrome" in warnings[0]
    assert "fonts-wqy-microhei" in warnings[0]
    assert "CERTIFICATE_CJK_FONT" in warnings[0]


def test_a_font_reportlab_cannot_embed_is_skipped_with_its_reason(
    data, settings, monkeypatch, tmp_path, caplog
):
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"OTTO" + bytes(60))
    settings.CERTIFICATE_CJK_FONT = str(not_a_font)
    monkeypatch.setattr(core_pdf, "CJK_FONT_CANDIDATES", [core_pdf.CJK_FONT_CANDIDATES[0]])

    with caplog.at_level(logging.INFO, logger="core.pdf"):
        document = certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN)

    assert "WenQuanYi" in _poppler("pdffonts", document, tmp_path)
    skipped = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(skipped) == 1
    assert str(not_a_font) in skipped[0]


def test_the_font_is_registered_once_per_process(data, wqy_font, monkeypatch):
    certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN)
    loads = []
    monkeypatch.setattr(core_pdf, "TTFont", lambda *args, **kwargs: loads.append(args))

    certificate_pdf(data, qr_text=QR_TEXT, token=TOKEN)

    assert loads == []
