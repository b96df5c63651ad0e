"""
The certificate as a one-page PDF, drawn with reportlab from plain data.

The module knows nothing of models or signing: the caller passes a `CertificateData`, the text of
the QR code (the verification URL carrying the signed token) and the token itself, which goes into
the document's Keywords as ``lms-cert:<token>`` so that an offline verifier can read it back.

The embedded CJK font, the colours and the QR code are those of every PDF: see `core.pdf`.
"""

import dataclasses
import datetime
import io
import logging
from urllib.parse import urlsplit, urlunsplit

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from core.pdf import ACCENT, AUTHOR, GOLD, INK, LATIN, LATIN_BOLD, MUTED, cjk_font_name, qr_draw

logger = logging.getLogger(__name__)

# reportlab wraps every compressed stream in ASCII85 by default, a relic of 7-bit mail that makes
# files a quarter larger and costs a tenth of the rendering time. Binary streams are valid PDF.
rl_config.useA85 = 0

KEYWORDS_PREFIX = "lms-cert:"

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

STATUS_LABELS = {
    "valid": ("有效", "Valid"),
    "expired": ("已过期", "Expired"),
    "suspended": ("已暂停", "Suspended"),
    "revoked": ("已撤销", "Revoked"),
    "superseded": ("已被取代", "Superseded"),
}


@dataclasses.dataclass(frozen=True)
class CertificateData:
    serial: str
    holder: str
    employee_number: str
    outlet: str
    partner_company: str
    track: str
    track_en: str
    issued_on: datetime.date
    expires_on: datetime.date
    status: str
    course_lines: list[str] = dataclasses.field(default_factory=list)


def certificate_pdf(
    data: CertificateData,
    *,
    qr_text: str,
    token: str,
    seal_png: bytes | None = None,
    language: str = "zh-hans",
) -> bytes:
    """
    Return the certificate as the bytes of a one-page A4 landscape PDF.

    `language` "en" puts English first; anything else ("zh-hans") puts Chinese first.
    """
    english = language.lower().startswith("en")
    cjk = cjk_font_name()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    title = f"培训合格证书 Certificate of Qualification {data.serial}"
    c.setTitle(title)
    c.setAuthor(AUTHOR)
    c.setSubject(f"{data.holder} · {data.track} / {data.track_en}")
    c.setKeywords(KEYWORDS_PREFIX + token)
    c.setCreator(AUTHOR)

    _frame(c)
    page = _Page(c, cjk, english)
    page.header()
    page.holder(data)
    page.track(data)
    page.details(data)
    page.courses(data.course_lines)
    page.qr(qr_text)
    page.seal(seal_png)
    page.footer(data.serial, _url_without_token(qr_text, token))
    c.showPage()
    c.save()
    return buffer.getvalue()


def _url_without_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    if token and token in bare:
        bare = bare.replace(token, "").replace("//", "/").replace(":/", "://")
    return bare


def _frame(c: Canvas) -> None:
    c.setStrokeColor(GOLD)
    c.setLineWidth(3)
    c.rect(10 * mm, 10 * mm, PAGE_WIDTH - 20 * mm, PAGE_HEIGHT - 20 * mm)
    c.setLineWidth(0.7)
    c.rect(13 * mm, 13 * mm, PAGE_WIDTH - 26 * mm, PAGE_HEIGHT - 26 * mm)


def _date_zh(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _date_en(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class _Page:
    """The drawing of one certificate: each method draws one region of the page."""

    left = 28 * mm
    right = PAGE_WIDTH - 28 * mm
    centre = PAGE_WIDTH / 2
    qr_size = 38 * mm

    def __init__(self, c: Canvas, cjk: str, english: bool):
        self.c = c
        self.cjk = cjk
        self.english = english

    def pair(self, zh: str, en: str) -> tuple[str, str]:
        """Return (first, second) of a bilingual text in the reader's order."""
        return (en, zh) if self.english else (zh, en)

    def text(self, x, y, value, size, *, font=None, color=INK, align="left", max_width=None):
        font = font or self.cjk
        if max_width:
            while size > 6 and self.c.stringWidth(value, font, size) > max_width:
                size -= 1
        self.c.setFont(font, size)
        self.c.setFillColor(color)
        if align == "centre":
            self.c.drawCentredString(x, y, value)
        elif align == "right":
            self.c.drawRightString(x, y, value)
        else:
            self.c.drawString(x, y, value)
        return size

    def label(self, x, y, zh, en, size=9):
        """Draw a bilingual label, the reader's language first and larger."""
        first, second = self.pair(zh, en)
        first_font = LATIN if self.english else self.cjk
        second_font = self.cjk if self.english else LATIN
        self.text(x, y, first, size, font=first_font, color=MUTED)
        x += self.c.stringWidth(first, first_font, size) + 4
        self.text(x, y, second, size - 1, font=second_font, color=MUTED)

    def header(self):
        top = PAGE_HEIGHT - 36 * mm
        if self.english:
            self.text(
                self.centre,
                top,
                "Certificate of Qualification",
                26,
                font=LATIN_BOLD,
                color=ACCENT,
                align="centre",
            )
            self.text(self.centre, top - 9 * mm, "培训合格证书", 16, color=ACCENT, align="centre")
            intro = ("This is to certify that", "兹证明")
        else:
            self.text(self.centre, top, "培训合格证书", 30, color=ACCENT, align="centre")
            self.text(
                self.centre,
                top - 9 * mm,
                "Certificate of Qualification",
                13,
                font=LATIN,
                color=ACCENT,
                align="centre",
            )
            intro = ("兹证明", "This is to certify that")
        self.text(
            self.centre,
            top - 19 * mm,
            intro[0],
            11,
            color=MUTED,
            align="centre",
            font=LATIN if self.english else self.cjk,
        )
        self.text(
            self.centre,
            top - 24 * mm,
            intro[1],
            9,
            color=MUTED,
            align="centre",
            font=self.cjk if self.english else LATIN,
        )

    def holder(self, data: CertificateData):
        y = PAGE_HEIGHT - 79 * mm
        self.text(self.centre, y, data.holder, 36, align="centre", max_width=150 * mm)
        self.c.setStrokeColor(GOLD)
        self.c.setLineWidth(0.8)
        self.c.line(self.centre - 60 * mm, y - 4 * mm, self.centre + 60 * mm, y - 4 * mm)
        label = "  ".join(self.pair("员工编号", "Employee No."))
        self.text(
            self.centre,
            y - 10 * mm,
            f"{label}  {data.employee_number}",
            9,
            color=MUTED,
            align="centre",
        )

    def track(self, data: CertificateData):
        y = PAGE_HEIGHT - 101 * mm
        first, second = self.pair(
            "已完成下列认证的全部课程，通过认证考试和实操考核",
            "has completed every course, passed the examination and the practical assessment of",
        )
        self.text(self.centre, y, first, 10, color=MUTED, align="centre")
        self.text(self.centre, y - 5 * mm, second, 8.5, color=MUTED, align="centre")
        first, second = self.pair(data.track, data.track_en)
        self.text(
            self.centre, y - 15 * mm, first, 20, color=ACCENT, align="centre", max_width=200 * mm
        )
        self.text(
            self.centre, y - 22 * mm, second, 12, color=ACCENT, align="centre", max_width=200 * mm
        )

    def details(self, data: CertificateData):
        rows = [
            (("服务网点", "Outlet"), data.outlet),
            (("合作公司", "Partner company"), data.partner_company),
            (
                ("发证日期", "Issued on"),
                "  ".join(self.pair(_date_zh(data.issued_on), _date_en(data.issued_on))),
            ),
            (
                ("有效期至", "Valid until"),
                "  ".join(self.pair(_date_zh(data.expires_on), _date_en(data.expires_on))),
            ),
            (
                ("证书状态", "Status"),
                "  ".join(self.pair(*STATUS_LABELS.get(data.status, (data.status, data.status)))),
            ),
        ]
        y = 74 * mm
        for (zh, en), value in rows:
            self.label(self.left, y, zh, en, size=8)
            self.text(self.left + 38 * mm, y, value, 10, max_width=60 * mm)
            y -= 7 * mm

    def courses(self, lines: list[str]):
        if not lines:
            return
        x = self.left + 104 * mm
        y = 74 * mm
        self.label(x, y, "所学课程（版本）", "Courses (revision)", size=8)
        shown = lines[:6]
        for line in shown:
            y -= 5 * mm
            self.text(x, y, line, 8, max_width=50 * mm)
        if len(lines) > len(shown):
            more = "  ".join(self.pair(f"另 {len(lines) - 6} 门", f"and {len(lines) - 6} more"))
            self.text(x, y - 5 * mm, more, 7.5, color=MUTED)

    def qr(self, qr_text: str):
        x0 = self.right - self.qr_size
        y0 = 38 * mm
        qr_draw(self.c, qr_text, x=x0, y=y0, size=self.qr_size)
        first, second = self.pair("扫码查验", "Scan to verify")
        self.text(
            x0 + self.qr_size / 2,
            y0 - 5 * mm,
            first,
            8,
            color=MUTED,
            align="centre",
            font=LATIN if self.english else self.cjk,
        )
        self.text(
            x0 + self.qr_size / 2,
            y0 - 9 * mm,
            second,
            7,
            color=MUTED,
            align="centre",
            font=self.cjk if self.english else LATIN,
        )

    def seal(self, seal_png: bytes | None):
        size = 30 * mm
        cx = self.right - self.qr_size - 26 * mm
        cy = 38 * mm + self.qr_size / 2
        if seal_png:
            image = ImageReader(io.BytesIO(seal_png))
            self.c.drawImage(
                image,
                cx - size / 2,
                cy - size / 2,
                size,
                size,
                mask="auto",
                preserveAspectRatio=True,
                anchor="c",
            )
            return
        self.c.saveState()
        self.c.setStrokeColor(MUTED)
        self.c.setLineWidth(0.6)
        self.c.setDash(3, 2)
        self.c.circle(cx, cy, size / 2)
        self.c.restoreState()
        label = " / ".join(self.pair("盖章处", "Seal"))
        self.text(cx, cy - 3, label, 8, color=MUTED, align="centre")

    def footer(self, serial: str, url: str):
        y = 19 * mm
        first, second = self.pair("证书编号", "Certificate No.")
        self.text(self.left, y, f"{first} {second}  {serial}", 8.5, color=INK)
        first, second = self.pair("查验网址", "Verify at:")
        verify = f"{first} {second} {url}" if not self.english else f"{first} {url}  {second}"
        self.text(self.right, y, verify, 8, color=MUTED, align="right", max_width=150 * mm)
