"""
What every PDF of the platform shares: the embedded CJK font, the house colours and the QR code.

Chinese must show in every viewer. Chrome's viewer draws nothing for fonts that are not embedded,
so a TrueType CJK font is embedded (subset); reportlab's STSong-Light CID font, which is never
embedded, is the logged last resort.
"""

import logging
import threading
from pathlib import Path

import segno
from django.conf import settings
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)

AUTHOR = "Service Network Academy · 售后服务培训认证平台"

# Searched in order when CERTIFICATE_CJK_FONT names nothing usable. reportlab embeds TrueType
# outlines only: Noto CJK is OpenType CFF and fails to load, which is logged and skipped.
CJK_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
FALLBACK_CID_FONT = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"

INK = Color(0.13, 0.16, 0.20)
MUTED = Color(0.38, 0.42, 0.47)
ACCENT = Color(0.55, 0.11, 0.13)
GOLD = Color(0.72, 0.58, 0.30)


# One registration per process and font choice: parsing a CJK font takes far longer than drawing
# a certificate. Keyed by the setting and the candidate list so that a changed setting is honoured.
_fonts: dict[tuple[str, tuple[str, ...]], str] = {}
_fonts_lock = threading.Lock()


def cjk_font_name() -> str:
    """
    Return the name of the registered CJK font, registering it on first use in this process.
    """
    configured = getattr(settings, "CERTIFICATE_CJK_FONT", "") or ""
    key = (configured, tuple(CJK_FONT_CANDIDATES))
    name = _fonts.get(key)
    if name is None:
        with _fonts_lock:
            name = _fonts.get(key)
            if name is None:
                name = _fonts[key] = _register_cjk_font(configured, key[1])
    return name


def cjk_font_paths(configured: str, candidates=None) -> list[str]:
    """Return the font files to try, in order: the configured one, then the well-known ones."""
    paths = [configured] if configured else []
    paths += CJK_FONT_CANDIDATES if candidates is None else list(candidates)
    return list(dict.fromkeys(paths))


_TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"true")


def has_truetype_outlines(path: str) -> bool:
    """
    Return whether `path` is a TrueType font, or a collection whose first face is one: what
    reportlab can embed. Reads a few header bytes instead of parsing the font, so a system check
    can afford it; an OpenType CFF font ("OTTO", Noto CJK's) answers False.
    """
    try:
        with open(path, "rb") as font:
            tag = font.read(4)
            if tag == b"ttcf":
                font.seek(12)  # tag, version, number of faces, then the first face's offset
                font.seek(int.from_bytes(font.read(4), "big"))
                tag = font.read(4)
    except OSError:
        return False
    return tag in _TRUETYPE_TAGS


def _register_cjk_font(configured: str, candidates: tuple[str, ...]) -> str:
    for path in cjk_font_paths(configured, candidates):
        if not Path(path).is_file():
            if path == configured:
                logger.warning("CERTIFICATE_CJK_FONT=%s: no such file", path)
            continue
        name = "CJK-" + Path(path).stem
        if name in pdfmetrics.getRegisteredFontNames():
            return name
        try:
            # A .ttc collection holds several faces; the first is the regular one in every
            # candidate above. asciiReadable=0 embeds only the glyphs drawn: reportlab otherwise
            # adds all of ASCII to every subset, a fifth of the file and of the rendering time
            # (Latin text is drawn in Helvetica; the text still extracts through ToUnicode).
            font = TTFont(name, path, subfontIndex=0, asciiReadable=0)
        except Exception as exc:  # reportlab raises TTFError, struct.error, ... on foreign fonts
            level = logging.WARNING if path == configured else logging.INFO
            logger.log(level, "CJK font %s cannot be embedded by reportlab, skipped: %s", path, exc)
            continue
        pdfmetrics.registerFont(font)
        logger.info("Certificates embed the CJK font %s", path)
        return name
    logger.warning(
        "No embeddable TrueType CJK font found (CERTIFICATE_CJK_FONT=%r, searched %s): "
        "certificates fall back to %s, which is not embedded, so Chrome's PDF viewer shows "
        "Chinese as blanks. Install Debian's fonts-wqy-microhei "
        "(apt-get install fonts-wqy-microhei) or set CERTIFICATE_CJK_FONT "
        "to a TrueType .ttf/.ttc file.",
        configured,
        ", ".join(candidates),
        FALLBACK_CID_FONT,
    )
    if FALLBACK_CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT


def qr_draw(c: Canvas, text: str, *, x: float, y: float, size: float, color=INK) -> None:
    """Draw `text` as a QR code `size` wide with its lower left corner at (x, y)."""
    # Every one of the eight masks decodes; segno's search for the best-scoring one costs
    # 6 ms, more than the rest of the certificate, so the mask is fixed.
    matrix = segno.make(text, error="m", micro=False, mask=1).matrix
    n = len(matrix)
    # One rectangle per run of dark modules, all in one path, written in module units under
    # a scaling matrix: a few hundred short operators, where reportlab's QR widget draws
    # thousands of shapes and costs more than the rest of the certificate.
    ops = []
    for row_index, row in enumerate(matrix):
        row_y = n - 1 - row_index
        col = 0
        while col < n:
            if row[col] & 1:
                start = col
                while col < n and row[col] & 1:
                    col += 1
                ops.append(f"{start} {row_y} {col - start} 1 re")
            else:
                col += 1
    c.saveState()
    c.setFillColor(color)
    module = size / n
    c.transform(module, 0, 0, module, x, y)
    c.addLiteral("\n".join(ops) + "\nf")
    c.restoreState()
