"""
Activation and password reset slips: an A4 page of four slips an outlet manager prints, cuts
along the dashed lines and hands out, one to each person. Drawn with reportlab in the embedded
CJK font of every PDF of the platform (see core.pdf), in the active language.

A slip carries a secret (the link in its QR code and the typed code), so the PDF holds nothing
else worth keeping: the link itself is never printed as text, only the sign-in address.
"""

import dataclasses
import datetime
import io
import math
import zoneinfo

from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.pdf import ACCENT, AUTHOR, INK, MUTED, cjk_font_name, qr_draw

PAGE_WIDTH, PAGE_HEIGHT = A4
COLUMNS, ROWS = 2, 2
SLIPS_PER_PAGE = COLUMNS * ROWS
SLIP_WIDTH = PAGE_WIDTH / COLUMNS
SLIP_HEIGHT = PAGE_HEIGHT / ROWS
# Office printers leave 4-6 mm unprinted at the edges of the sheet; the padding keeps every slip's
# text clear of it, and of a crooked cut.
PADDING = 9 * mm
TEXT_WIDTH = SLIP_WIDTH - 2 * PADDING
# Read by a phone camera from a slip held in the hand: a module of about a millimetre.
QR_SIZE = 45 * mm
QR_MIN_SIZE = 30 * mm
OUTLET_MAX_LINES = 3

# The people are in China and the slip names no time zone, so the time printed is Beijing time,
# whatever the server's zone.
SLIP_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")

CUT_LINE = Color(0.6, 0.6, 0.6)

# Chinese typesetting never starts a line with closing punctuation: it hangs at the end of the
# line before instead.
_NO_LINE_START = set("，。、；：！？）」』》〉”’,.;:!?)]}%")

PURPOSES = ("activation", "reset")


@dataclasses.dataclass(frozen=True)
class Slip:
    name: str
    employee_number: str
    outlet: str  # the outlet's name (or the company's), may be ""
    link: str  # the absolute URL the QR code holds
    code: str  # what is typed instead, as printed: "K7PX-3MQ9"
    expires_at: datetime.datetime  # aware
    purpose: str  # "activation" or "reset"
    sign_in_url: str  # where the code is typed


def slips_pdf(slips: list[Slip], *, title: str = "") -> bytes:
    """
    Return the slips as the bytes of an A4 portrait PDF, four to a page with dashed cut lines.
    `title` names the document (its metadata title) and is printed small at the top of each slip,
    so that slips printed for one batch can be told from another's.
    """
    if not slips:
        raise ValueError("slips_pdf() needs at least one slip")
    for slip in slips:
        if slip.purpose not in PURPOSES:
            raise ValueError(f"Unknown slip purpose {slip.purpose!r}")
        if slip.expires_at.tzinfo is None or slip.expires_at.utcoffset() is None:
            # A naive time would be printed as if it were Beijing time, silently wrong.
            raise ValueError("Slip.expires_at must be an aware datetime")

    cjk = cjk_font_name()
    buffer = io.BytesIO()
    # The initial font is the CJK one: reportlab otherwise names Helvetica on every page, a font
    # never embedded, though nothing is drawn in it.
    c = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=cjk)
    if not title:
        purposes = {slip.purpose for slip in slips}
        if purposes == {"reset"}:
            title = _("Password reset slips")
        elif purposes == {"activation"}:
            title = _("Activation slips")
        else:
            title = _("Activation and password reset slips")
    c.setTitle(title)
    c.setAuthor(AUTHOR)
    c.setCreator(AUTHOR)

    pages = math.ceil(len(slips) / SLIPS_PER_PAGE)
    for page in range(pages):
        _cut_lines(c)
        on_page = slips[page * SLIPS_PER_PAGE : (page + 1) * SLIPS_PER_PAGE]
        for index, slip in enumerate(on_page):
            column, row = index % COLUMNS, index // COLUMNS
            left = column * SLIP_WIDTH
            top = PAGE_HEIGHT - row * SLIP_HEIGHT
            _SlipDrawing(c, cjk, left=left, top=top).draw(slip, batch=title)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _cut_lines(c: Canvas) -> None:
    c.saveState()
    c.setStrokeColor(CUT_LINE)
    c.setLineWidth(0.5)
    c.setDash(4, 3)
    for column in range(1, COLUMNS):
        c.line(column * SLIP_WIDTH, 0, column * SLIP_WIDTH, PAGE_HEIGHT)
    for row in range(1, ROWS):
        c.line(0, row * SLIP_HEIGHT, PAGE_WIDTH, row * SLIP_HEIGHT)
    c.restoreState()


def wrap(text: str, font: str, size: float, width: float, c: Canvas) -> list[str]:
    """
    Return `text` broken into lines no wider than `width`: between words where there are spaces,
    between any two characters where there are none (Chinese, or a long URL).
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            candidate = line + char
            if not line or c.stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if char in _NO_LINE_START:
                lines.append(candidate)
                line = ""
                continue
            if char == " ":
                lines.append(line)
                line = ""
                continue
            space = line.rfind(" ")
            if space > 0:
                lines.append(line[:space])
                line = line[space + 1 :] + char
            else:
                lines.append(line)
                line = char
        lines.append(line.strip())
    return [line.strip() for line in lines]


class _SlipDrawing:
    """The drawing of one slip whose upper left corner is at (left, top)."""

    def __init__(self, c: Canvas, font: str, *, left: float, top: float):
        self.c = c
        self.font = font
        self.x = left + PADDING
        self.bottom = top - SLIP_HEIGHT + PADDING
        self.y = top - PADDING  # the top of the next line to draw

    def lines(self, text, size, *, color=INK, max_lines=None, leading=1.3, wrapped=None):
        """Draw `text` wrapped (or its lines `wrapped` already), at most `max_lines` of them."""
        lines = wrapped if wrapped is not None else wrap(text, self.font, size, TEXT_WIDTH, self.c)
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while last and self.c.stringWidth(last + "…", self.font, size) > TEXT_WIDTH:
                last = last[:-1]
            lines[-1] = last + "…"
        self.c.setFont(self.font, size)
        self.c.setFillColor(color)
        for line in lines:
            self.y -= size
            self.c.drawString(self.x, self.y, line)
            self.y -= size * (leading - 1)
        return lines

    def fitted(self, text, size, *, color=INK, minimum=9):
        """Draw one line, smaller rather than wrapped: a name reads best on one line."""
        while size > minimum and self.c.stringWidth(text, self.font, size) > TEXT_WIDTH:
            size -= 1
        self.lines(text, size, color=color)

    def gap(self, height):
        self.y -= height

    def draw(self, slip: Slip, *, batch: str):
        if batch:
            self.lines(batch, 7, color=MUTED, max_lines=1)
            self.gap(1.5 * mm)
        heading = (
            _("Activate your training account")
            if slip.purpose == "activation"
            else _("Reset your password")
        )
        self.lines(heading, 15, color=ACCENT)
        self.gap(2.5 * mm)
        self.fitted(slip.name, 20)
        self.gap(1 * mm)
        self.lines(f"{_('Employee number')}: {slip.employee_number}", 10, color=MUTED)
        if slip.outlet:
            self.lines(slip.outlet, 10, color=MUTED, max_lines=OUTLET_MAX_LINES)
        self.gap(3 * mm)

        # The instructions go at the bottom of the slip and the QR code takes the room between:
        # a long outlet name shrinks the code a little rather than push text off the slip.
        valid_until = slip.expires_at.astimezone(SLIP_TIME_ZONE).strftime("%Y-%m-%d %H:%M")
        instructions = [
            (
                _(
                    "Scan the QR code with your phone, or open {sign_in_url} and type your "
                    "employee number and this code. Then choose your password."
                ).format(sign_in_url=slip.sign_in_url),
                INK,
            ),
            (
                _("Valid until {date_time}. Single use: a new slip replaces this one.").format(
                    date_time=valid_until
                ),
                INK,
            ),
            (_("Keep this slip to yourself."), ACCENT),
        ]
        size, leading, spacing = 9.5, 1.35, 2 * mm
        wrapped = [
            wrap(text, self.font, size, TEXT_WIDTH, self.c) for text, _colour in instructions
        ]
        block = sum(len(lines) for lines in wrapped) * size * leading + spacing * len(wrapped)

        qr_top = self.y
        qr_size = max(QR_MIN_SIZE, min(QR_SIZE, qr_top - (self.bottom + block) - 4 * mm))
        qr_draw(self.c, slip.link, x=self.x, y=qr_top - qr_size, size=qr_size)
        self.code(slip.code, x=self.x + qr_size + 6 * mm, top=qr_top, height=qr_size)

        self.y = qr_top - qr_size - 4 * mm
        for (text, color), lines in zip(instructions, wrapped, strict=True):
            self.lines(text, size, color=color, leading=leading, wrapped=lines)
            self.gap(spacing)

    def code(self, code: str, *, x: float, top: float, height: float):
        """Draw the typed code beside the QR code: a label, then the code large."""
        width = self.x + TEXT_WIDTH - x
        self.c.setFillColor(MUTED)
        self.c.setFont(self.font, 9)
        label_y = top - height / 2 + 6 * mm
        self.c.drawString(x, label_y, _("Your code"))
        size = 26
        while size > 10 and self.c.stringWidth(code, self.font, size) > width:
            size -= 1
        self.c.setFillColor(INK)
        self.c.setFont(self.font, size)
        self.c.drawString(x, label_y - size - 1 * mm, code)
