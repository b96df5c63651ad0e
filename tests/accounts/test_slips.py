import datetime
import math
import re
import subprocess

import pytest
from PIL import Image
from reportlab.lib.units import mm

from accounts.slips import SLIP_WIDTH, SLIPS_PER_PAGE, Slip, slips_pdf

SIGN_IN_URL = "https://academy.example.com/accounts/activate/"
EXPIRES_AT = datetime.datetime(2025, 3, 15, 10, 0, tzinfo=datetime.UTC)
PEOPLE = [
    ("王芳", "E100001", "长沙五一大道授权服务中心"),
    (
        "欧阳明月",
        "E100002",
        "湖南省株洲市芦淞区建设中路与新华西路交汇处东南角星联电子授权售后服务中心",
    ),
    ("李娜", "E100003", ""),
    ("张伟", "E100004", "岳阳巴陵中路店"),
    ("司马相如", "E100005", "衡阳解放路店"),
]


def _slips(count=None) -> list[Slip]:
    slips = []
    for index in range(len(PEOPLE) if count is None else count):
        name, number, outlet = PEOPLE[index % len(PEOPLE)]
        token = f"{index:02d}" + "tY3xQ9mZr2LpW8vKb5NcJ7hF4dS6aG1eU0oIyTqRw"[: 43 - 2]
        slips.append(
            Slip(
                name=name,
                employee_number=number,
                outlet=outlet,
                link=f"https://academy.example.com/accounts/activate/{token}/",
                code=f"K7P{index % 10}-3MQ{(index // 10) % 10}",
                expires_at=EXPIRES_AT,
                purpose="activation" if index % 2 == 0 else "reset",
                sign_in_url=SIGN_IN_URL,
            )
        )
    return slips


@pytest.fixture
def wqy_font(settings):
    settings.CERTIFICATE_CJK_FONT = ""


def _poppler(tool, pdf_bytes, tmp_path, *args) -> str:
    path = tmp_path / "slips.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.pdftools
def test_text_holds_every_chinese_name_and_code(wqy_font, tmp_path):
    slips = _slips()

    text = _poppler("pdftotext", slips_pdf(slips), tmp_path)

    for slip in slips:
        assert slip.name in text
        assert slip.code in text
        assert slip.employee_number in text
    assert "长沙五一大道授权服务中心" in text
    assert text.count("Activate your training account") == 3
    assert text.count("Reset your password") == 2
    assert text.count("Keep this slip to yourself.") == 5
    # Beijing time: 10:00 UTC is 18:00 in Asia/Shanghai.
    assert text.count("Valid until 2025-03-15 18:00.") == 5
    assert SIGN_IN_URL in text


@pytest.mark.pdftools
def test_the_link_is_only_in_the_qr_code_never_in_the_text(wqy_font, tmp_path):
    slips = _slips()

    text = _poppler("pdftotext", slips_pdf(slips), tmp_path)

    for slip in slips:
        assert slip.link.rsplit("/", 2)[-2] not in text


@pytest.mark.pdftools
def test_every_qr_code_decodes_to_its_slips_link(wqy_font, tmp_path):
    import zxingcpp

    slips = _slips()
    path = tmp_path / "slips.pdf"
    path.write_bytes(slips_pdf(slips))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)

    decoded = []
    for png in sorted(tmp_path.glob("page*.png")):
        decoded += [code.text for code in zxingcpp.read_barcodes(Image.open(png))]

    assert sorted(decoded) == sorted(slip.link for slip in slips)


@pytest.mark.pdftools
def test_every_font_is_embedded(wqy_font, tmp_path):
    fonts = _poppler("pdffonts", slips_pdf(_slips()), tmp_path)

    rows = fonts.splitlines()[2:]
    assert len(rows) == 1
    assert "WenQuanYi" in rows[0]
    # Columns: name type encoding emb sub uni object generation.
    assert rows[0].split()[-5:-2] == ["yes", "yes", "yes"]


@pytest.mark.pdftools
@pytest.mark.parametrize("count", [1, 4, 5, 8, 9])
def test_four_slips_to_a_page(count, wqy_font, tmp_path):
    info = _poppler("pdfinfo", slips_pdf(_slips(count)), tmp_path)
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)

    assert SLIPS_PER_PAGE == 4
    assert int(fields["Pages"]) == math.ceil(count / SLIPS_PER_PAGE)
    # A4 portrait in points.
    assert fields["Page size"].split("pts")[0].split() == ["595.276", "x", "841.89"]


@pytest.mark.pdftools
def test_metadata_names_the_document_and_the_platform(wqy_font, tmp_path):
    info = _poppler("pdfinfo", slips_pdf(_slips(), title="长沙片区 2025-03"), tmp_path)
    fields = {k: v.strip() for k, v in (line.split(":", 1) for line in info.splitlines())}

    assert fields["Title"] == "长沙片区 2025-03"
    assert fields["Author"] == "Service Network Academy · 售后服务培训认证平台"


@pytest.mark.pdftools
def test_default_title_says_what_the_slips_are_for(wqy_font, tmp_path):
    resets = [slip for slip in _slips() if slip.purpose == "reset"]

    info = _poppler("pdfinfo", slips_pdf(resets), tmp_path)

    assert "Title:           Password reset slips\n" in info


@pytest.mark.pdftools
def test_all_text_wraps_inside_the_slip(wqy_font, tmp_path):
    slip = _slips(2)[1]  # the long outlet name, and the sign-in URL inside a sentence

    html = _poppler("pdftotext", slips_pdf([slip]), tmp_path, "-bbox")
    words = [
        (float(x_max), text)
        for x_max, text in re.findall(
            r'<word xMin="[^"]+" yMin="[^"]+" xMax="([^"]+)"[^>]*>([^<]*)<', html
        )
    ]

    # The first slip is the upper left quarter of the page, with a 9 mm margin inside it.
    right_edge = SLIP_WIDTH - 9 * mm
    assert max(x_max for x_max, _text in words) <= right_edge + 1
    outlet_words = [text for _x_max, text in words if text and text in PEOPLE[1][2]]
    assert len(outlet_words) >= 2
    assert "".join(outlet_words) == PEOPLE[1][2]


def test_no_slips_is_refused():
    with pytest.raises(ValueError):
        slips_pdf([])


def test_a_naive_expiry_time_is_refused():
    slip = _slips(1)[0]
    naive = Slip(**{**slip.__dict__, "expires_at": datetime.datetime(2025, 3, 15, 18, 0)})

    with pytest.raises(ValueError):
        slips_pdf([naive])


def test_an_unknown_purpose_is_refused():
    slip = _slips(1)[0]

    with pytest.raises(ValueError):
        slips_pdf([Slip(**{**slip.__dict__, "purpose": "password_reset"})])
