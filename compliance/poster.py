"""
The counter poster: an A4 page an outlet hangs at its counter, with its name, the service areas
it is certified for and a large QR code of its public status page, so a customer can check
today's status rather than trust the paper. Drawn with reportlab like the certificate, with the
certificate's embedded CJK font and QR drawing.
"""

import dataclasses
import datetime
import io

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.pdf import ACCENT, AUTHOR, INK, LATIN, LATIN_BOLD, MUTED, cjk_font_name, qr_draw

PAGE_WIDTH, PAGE_HEIGHT = A4
CENTRE = PAGE_WIDTH / 2
# Big enough to scan from across a counter, about a metre away.
QR_SIZE = 110 * mm
GREEN = Color(0.02, 0.46, 0.28)


@dataclasses.dataclass(frozen=True)
class PosterData:
    code: str
    name: str
    name_en: str
    city: str
    areas: list[tuple[str, str]]  # (Chinese, English) names of the areas certified for
    as_of: datetime.date


def outlet_poster_pdf(data: PosterData, *, url: str) -> bytes:
    """Return the poster as the bytes of a one-page A4 portrait PDF whose QR code holds `url`."""
    cjk = cjk_font_name()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, pageCompression=1)
    c.setTitle(f"服务网点认证状态公示 Outlet certification status {data.code}")
    c.setAuthor(AUTHOR)
    c.setCreator(AUTHOR)
    c.setSubject(f"{data.name} / {data.name_en}")

    def text(y, value, size, *, font=cjk, color=INK, max_width=PAGE_WIDTH - 40 * mm):
        while size > 6 and c.stringWidth(value, font, size) > max_width:
            size -= 1
        c.setFont(font, size)
        c.setFillColor(color)
        c.drawCentredString(CENTRE, y, value)

    c.setStrokeColor(ACCENT)
    c.setLineWidth(2.5)
    c.rect(12 * mm, 12 * mm, PAGE_WIDTH - 24 * mm, PAGE_HEIGHT - 24 * mm)

    y = PAGE_HEIGHT - 34 * mm
    # The heading is what a customer reads first: it says "certified" only of an outlet that is
    # certified today for at least one service area.
    if data.areas:
        text(y, "授权服务网点认证公示", 24, color=ACCENT)
        text(y - 9 * mm, "Certified service outlet", 13, font=LATIN_BOLD, color=ACCENT)
    else:
        text(y, "服务网点认证状态公示", 24, color=MUTED)
        text(y - 9 * mm, "Service outlet certification status", 13, font=LATIN_BOLD, color=MUTED)

    y -= 28 * mm
    text(y, data.name, 26)
    if data.name_en:
        text(y - 9 * mm, data.name_en, 13, font=LATIN)
    text(y - 16 * mm, f"{data.city}  ·  {data.code}", 10, color=MUTED)

    y -= 30 * mm
    if data.areas:
        text(y, "本网点已获认证的服务项目  Certified for", 12, color=MUTED)
        for zh, en in data.areas:
            y -= 8 * mm
            text(y, f"✓ {zh}" if _has_check(cjk) else zh, 15, color=GREEN)
            if en:
                y -= 5.5 * mm
                text(y, en, 10, font=LATIN, color=GREEN)
    else:
        text(y, "本网点暂未获得任何服务项目认证", 12, color=MUTED)
        text(y - 5.5 * mm, "Not yet certified for any service area", 10, font=LATIN, color=MUTED)

    qr_y = 46 * mm
    # Many areas leave less room: the code shrinks rather than overlap them.
    qr_size = max(50 * mm, min(QR_SIZE, y - 10 * mm - qr_y))
    qr_draw(c, url, x=CENTRE - qr_size / 2, y=qr_y, size=qr_size)
    text(qr_y - 9 * mm, "扫码查验本网点的认证状态", 16)
    text(qr_y - 16 * mm, "Scan to check this outlet's certification", 12, font=LATIN)
    text(qr_y - 23 * mm, url, 8, font=LATIN, color=MUTED)

    printed = f"打印日期 {data.as_of:%Y-%m-%d}，认证状态以扫码查询结果为准"
    text(18 * mm, printed, 8, color=MUTED)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _has_check(font_name: str) -> bool:
    # The CID fallback font has no check mark; drawing it there would show a blank box.
    return font_name.startswith("CJK-")
