"""
The pictures and printable documents of the demo courses, drawn here rather than downloaded: small
PNG diagrams made of shapes and numbers (the lesson text explains the numbers in either language)
and one-page PDF forms with Chinese and English text.

Every function returns bytes; `demo_courses` stores them as Wagtail images and documents.
"""

import dataclasses
import io
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# A TrueType CJK font is embedded when the system has one; otherwise the PDF names Adobe's
# STSong-Light, which readers supply from their own Asian font pack.
CJK_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

WIDTH, HEIGHT = 800, 450
INK = (38, 50, 56)
GREY = (176, 190, 197)
LIGHT = (236, 239, 241)
GREEN = (56, 142, 60)
BLUE = (30, 136, 229)
ORANGE = (245, 124, 0)
RED = (211, 47, 47)
YELLOW = (251, 192, 45)
MAT = (129, 199, 132)


@dataclasses.dataclass(frozen=True)
class Picture:
    title: str
    alt: str
    alt_en: str
    draw: Callable[[], bytes]


@dataclasses.dataclass(frozen=True)
class Printable:
    title: str
    filename: str
    build: Callable[[], bytes]


def _font(size: int):
    return ImageFont.load_default(size=size)


def _canvas():
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    return image, ImageDraw.Draw(image)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.convert("P", palette=Image.Palette.ADAPTIVE, colors=32).save(out, "PNG", optimize=True)
    return out.getvalue()


def _marker(draw, xy, number: int, fill=INK):
    """A numbered circle, the legend of which is in the lesson text."""
    x, y = xy
    draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=fill)
    draw.text((x, y), str(number), fill="white", font=_font(20), anchor="mm")


def _arrow(draw, start, end, fill=INK, width=4):
    draw.line((start, end), fill=fill, width=width)
    (x0, y0), (x1, y1) = start, end
    if x1 != x0:
        sign = 1 if x1 > x0 else -1
        draw.polygon([(x1, y1), (x1 - 14 * sign, y1 - 8), (x1 - 14 * sign, y1 + 8)], fill=fill)
    else:
        sign = 1 if y1 > y0 else -1
        draw.polygon([(x1, y1), (x1 - 8, y1 - 14 * sign), (x1 + 8, y1 - 14 * sign)], fill=fill)


def warranty_timeline() -> bytes:
    image, draw = _canvas()
    bands = ((60, 200, GREEN, "0", 1), (200, 340, BLUE, "7", 2), (340, 740, ORANGE, "15", 3))
    for x0, x1, colour, label, number in bands:
        draw.rectangle((x0, 170, x1, 260), fill=colour)
        draw.line((x0, 150, x0, 280), fill=INK, width=3)
        draw.text((x0, 300), label, fill=INK, font=_font(28), anchor="mt")
        _marker(draw, ((x0 + x1) // 2, 215), number, fill=INK)
    draw.line((740, 150, 740, 280), fill=INK, width=3)
    draw.text((740, 300), "365", fill=INK, font=_font(28), anchor="mt")
    return _png(image)


def _phone(draw, box, screen=True):
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=28, fill=LIGHT, outline=INK, width=5)
    if screen:
        draw.rounded_rectangle((x0 + 14, y0 + 14, x1 - 14, y1 - 14), radius=18, fill=INK)


def intake_checkpoints() -> bytes:
    image, draw = _canvas()
    _phone(draw, (120, 40, 320, 420))
    _marker(draw, (220, 230), 1, fill=BLUE)
    for corner in ((120, 40), (320, 40), (120, 420), (320, 420)):
        draw.ellipse(
            (corner[0] - 10, corner[1] - 10, corner[0] + 10, corner[1] + 10),
            outline=ORANGE,
            width=4,
        )
    _marker(draw, (360, 60), 2, fill=ORANGE)
    _phone(draw, (480, 40, 680, 420), screen=False)
    draw.rounded_rectangle((500, 62, 590, 150), radius=16, fill=GREY, outline=INK, width=3)
    for cx, cy in ((525, 88), (565, 88), (525, 125)):
        draw.ellipse((cx - 12, cy - 12, cx + 12, cy + 12), fill=INK)
    _marker(draw, (620, 100), 5, fill=INK)
    draw.rectangle((676, 200, 700, 290), fill=GREY, outline=INK, width=2)
    draw.rectangle((684, 215, 694, 235), fill=RED)
    _marker(draw, (740, 245), 3, fill=RED)
    draw.rounded_rectangle((550, 412, 610, 428), radius=6, fill=INK)
    _marker(draw, (580, 400), 4, fill=GREEN)
    return _png(image)


def diagnosis_flow() -> bytes:
    image, draw = _canvas()
    xs = (40, 190, 340, 490, 640)
    fills = (BLUE, BLUE, GREEN, ORANGE, INK)
    for number, (x, fill) in enumerate(zip(xs, fills, strict=True), start=1):
        draw.rounded_rectangle((x, 175, x + 120, 275), radius=16, fill=fill)
        draw.text((x + 60, 225), str(number), fill="white", font=_font(44), anchor="mm")
        if number < len(xs):
            _arrow(draw, (x + 122, 225), (x + 148, 225))
    # Solved by the software check: straight to the verdict, no disassembly.
    draw.line(((400, 175), (400, 110), (700, 110)), fill=GREEN, width=4)
    _arrow(draw, (700, 110), (700, 173), fill=GREEN)
    return _png(image)


def esd_workstation() -> bytes:
    image, draw = _canvas()
    draw.rectangle((60, 250, 620, 290), fill=GREY, outline=INK, width=3)
    draw.rectangle((80, 236, 600, 252), fill=MAT, outline=INK, width=2)
    draw.rectangle((110, 290, 130, 420), fill=GREY)
    draw.rectangle((550, 290, 570, 420), fill=GREY)
    _phone(draw, (250, 200, 370, 240), screen=False)
    draw.ellipse((150, 120, 210, 160), outline=BLUE, width=8)
    draw.line(((210, 140), (700, 140), (700, 300)), fill=BLUE, width=4)
    draw.line(((600, 244), (660, 244), (660, 300), (700, 300)), fill=INK, width=4)
    draw.rectangle((680, 300, 720, 330), fill=YELLOW, outline=INK, width=3)
    for i, half in enumerate((30, 20, 10)):
        y = 350 + i * 12
        draw.line((700 - half, y, 700 + half, y), fill=INK, width=4)
    draw.line((700, 330, 700, 350), fill=INK, width=4)
    draw.rounded_rectangle((430, 180, 500, 236), radius=6, fill=(144, 164, 174), outline=INK)
    _marker(draw, (180, 90), 1, fill=BLUE)
    _marker(draw, (480, 270), 2, fill=GREEN)
    _marker(draw, (760, 315), 3, fill=ORANGE)
    _marker(draw, (640, 200), 4, fill=INK)
    _marker(draw, (465, 208), 5, fill=INK)
    return _png(image)


def wrist_strap_test() -> bytes:
    image, draw = _canvas()
    draw.rounded_rectangle((220, 60, 580, 400), radius=24, fill=LIGHT, outline=INK, width=5)
    lights = ((300, YELLOW, "LOW", False), (400, GREEN, "PASS", True), (500, RED, "HIGH", False))
    for x, colour, label, lit in lights:
        fill = colour if lit else "white"
        draw.ellipse((x - 30, 110, x + 30, 170), fill=fill, outline=colour, width=6)
        draw.text((x, 190), label, fill=INK, font=_font(24), anchor="mt")
    draw.rounded_rectangle((310, 260, 490, 360), radius=12, fill=GREY, outline=INK, width=3)
    draw.ellipse((60, 280, 140, 330), outline=BLUE, width=8)
    draw.line(((140, 305), (220, 305)), fill=BLUE, width=4)
    _marker(draw, (400, 310), 1, fill=INK)
    _marker(draw, (620, 140), 2, fill=GREEN)
    return _png(image)


def phone_internals() -> bytes:
    image, draw = _canvas()
    draw.rounded_rectangle((220, 20, 580, 430), radius=36, fill=LIGHT, outline=INK, width=5)
    draw.rounded_rectangle((250, 170, 550, 400), radius=10, fill=(255, 224, 178), outline=INK)
    draw.polygon(
        [(250, 50), (550, 50), (550, 160), (420, 160), (420, 110), (250, 110)],
        fill=(165, 214, 167),
        outline=INK,
    )
    draw.rectangle((430, 140, 480, 176), fill=RED, outline=INK, width=3)
    draw.rectangle((300, 60, 360, 90), fill=GREY, outline=INK, width=2)
    for x, y in ((262, 62), (538, 62), (538, 148), (262, 98), (410, 62)):
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=INK)
    _marker(draw, (630, 158), 1, fill=RED)
    draw.line((484, 158, 612, 158), fill=RED, width=3)
    _marker(draw, (170, 62), 2, fill=INK)
    draw.line((186, 62, 255, 62), fill=INK, width=3)
    _marker(draw, (400, 290), 3, fill=ORANGE)
    _marker(draw, (630, 75), 4, fill=INK)
    draw.line((362, 75, 612, 75), fill=INK, width=3)
    return _png(image)


def battery_swollen() -> bytes:
    image, draw = _canvas()
    draw.rounded_rectangle(
        (60, 200, 340, 236), radius=6, fill=(255, 224, 178), outline=INK, width=4
    )
    _marker(draw, (200, 150), 1, fill=GREEN)
    draw.rounded_rectangle(
        (420, 200, 700, 236), radius=6, fill=(255, 224, 178), outline=INK, width=4
    )
    draw.ellipse((440, 150, 680, 270), fill=(255, 204, 128), outline=RED, width=5)
    _marker(draw, (560, 110), 2, fill=RED)
    # A heat gun, struck through: never heat a swollen battery.
    draw.rounded_rectangle((470, 330, 600, 370), radius=8, fill=GREY, outline=INK, width=3)
    draw.rectangle((520, 370, 550, 420), fill=GREY, outline=INK, width=3)
    draw.polygon([(600, 340), (640, 330), (640, 370), (600, 360)], fill=ORANGE)
    draw.line((450, 320, 660, 430), fill=RED, width=10)
    draw.line((450, 430, 660, 320), fill=RED, width=10)
    return _png(image)


def parts_label() -> bytes:
    image, draw = _canvas()
    draw.rounded_rectangle((100, 80, 700, 370), radius=14, fill="white", outline=INK, width=4)
    rng = random.Random(2026)
    cell, left, top, size = 10, 130, 110, 21
    for row in range(size):
        for col in range(size):
            finder = any(
                r <= row < r + 7 and c <= col < c + 7 for r, c in ((0, 0), (0, 14), (14, 0))
            )
            if finder:
                ring = min(row % 14, col % 14, 6 - row % 14, 6 - col % 14)
                dark = ring != 1
            else:
                dark = rng.random() < 0.5
            if dark:
                x, y = left + col * cell, top + row * cell
                draw.rectangle((x, y, x + cell - 1, y + cell - 1), fill=INK)
    x = 370
    for _ in range(60):
        bar = rng.choice((2, 3, 5))
        draw.rectangle((x, 120, x + bar - 1, 200), fill=INK)
        x += bar + rng.choice((2, 3))
        if x > 670:
            break
    font = _font(26)
    draw.text((370, 230), "P/N 02355FKX", fill=INK, font=font)
    draw.text((370, 270), "S/N 8H2T6A1Q0049", fill=INK, font=font)
    draw.text((370, 310), "2026-03", fill=INK, font=font)
    _marker(draw, (235, 350), 1, fill=BLUE)
    _marker(draw, (720, 160), 2, fill=INK)
    _marker(draw, (720, 290), 3, fill=INK)
    return _png(image)


def current_curve() -> bytes:
    image, draw = _canvas()
    draw.line((80, 40, 80, 400, 760, 400), fill=INK, width=4)
    limit = 90
    for x in range(80, 760, 24):
        draw.line((x, limit, x + 12, limit), fill=ORANGE, width=3)
    normal = [(80, 400), (160, 400), (175, 330), (230, 300), (290, 250), (350, 280), (420, 230),
              (480, 260), (560, 240), (640, 250), (760, 245)]  # fmt: skip
    draw.line(normal, fill=GREEN, width=5, joint="curve")
    draw.line([(80, 392), (160, 392), (170, limit + 4), (760, limit + 4)], fill=RED, width=5)
    _marker(draw, (160, 430), 1, fill=INK)
    _marker(draw, (60, limit), 2, fill=ORANGE)
    _marker(draw, (600, 280), 3, fill=GREEN)
    _marker(draw, (600, limit + 40), 4, fill=RED)
    return _png(image)


def return_rate_chart() -> bytes:
    image, draw = _canvas()
    draw.line((80, 40, 80, 390, 760, 390), fill=INK, width=4)
    rates = (1.4, 1.7, 2.6, 3.1, 2.2, 1.6)  # per cent
    scale = 90  # pixels per percentage point
    target = 390 - 2 * scale
    for month, rate in enumerate(rates, start=1):
        x = 80 + month * 105 - 40
        colour = RED if rate > 2 else GREEN
        draw.rectangle((x, 390 - int(rate * scale), x + 60, 390), fill=colour)
        draw.text((x + 30, 400), str(month), fill=INK, font=_font(24), anchor="mt")
    for x in range(80, 760, 24):
        draw.line((x, target, x + 12, target), fill=INK, width=3)
    draw.text((70, target), "2%", fill=INK, font=_font(22), anchor="rm")
    return _png(image)


PICTURES = {
    "warranty-timeline": Picture(
        "三包期限示意 Warranty periods at a glance",
        "三包期限：①售出7日内可退货、换货或修理 ②第8至15日可换货或修理 ③15日后至一年内免费修理",
        "Three-guarantees periods: (1) refund, exchange or repair within 7 days of sale, "
        "(2) exchange or repair on days 8 to 15, (3) free repair from then on until one year",
        warranty_timeline,
    ),
    "intake-checkpoints": Picture(
        "接机检查点 Intake checkpoints",
        "接机检查点：①屏幕 ②边框与四角 ③卡托槽内的进水标签 ④充电口 ⑤后摄像头",
        "Intake checkpoints: (1) screen, (2) frame and corners, (3) liquid contact indicator in "
        "the SIM tray slot, (4) charging port, (5) rear cameras",
        intake_checkpoints,
    ),
    "diagnosis-flow": Picture(
        "故障诊断流程 Diagnosis flow",
        "诊断流程：①问诊 ②复现 ③软件排查 ④硬件检测 ⑤判定与报价；软件问题解决后直接判定",
        "Diagnosis flow: (1) questions, (2) reproduce, (3) software check, (4) hardware test, "
        "(5) verdict and quote; a fault fixed by software goes straight to the verdict",
        diagnosis_flow,
    ),
    "esd-workstation": Picture(
        "防静电工位 ESD workstation",
        "防静电工位：①防静电腕带 ②接地的防静电台垫 ③公共接地点 ④接地线 ⑤防静电屏蔽袋",
        "ESD workstation: (1) wrist strap, (2) grounded dissipative mat, (3) common ground point, "
        "(4) ground cords, (5) static-shielding bag",
        esd_workstation,
    ),
    "wrist-strap-test": Picture(
        "腕带测试仪 Wrist strap tester",
        "腕带测试：①手指按住测试板 ②绿灯PASS方可上岗，LOW或HIGH须检查后重测",
        "Wrist strap test: (1) press the touch plate, (2) start work only on the green PASS light; "
        "LOW or HIGH means check and test again",
        wrist_strap_test,
    ),
    "phone-internals": Picture(
        "手机内部结构 Inside the phone",
        "手机内部：①电池排线接口（最先断开、最后连接） ②螺丝位置 ③电池 ④屏幕排线",
        "Inside the phone: (1) battery connector, disconnected first and connected last, "
        "(2) screw positions, (3) battery, (4) display flex cable",
        phone_internals,
    ),
    "battery-swollen": Picture(
        "正常电池与鼓包电池 Normal and swollen batteries",
        "①正常电池 ②鼓包电池；鼓包电池不得加热",
        "(1) A normal battery, (2) a swollen battery; never heat a swollen battery",
        battery_swollen,
    ),
    "parts-label": Picture(
        "原厂配件追溯标签 Genuine part traceability label",
        "原厂配件标签：①追溯二维码 ②条码 ③料号、序列号与生产年月",
        "Genuine part label: (1) traceability QR code, (2) barcode, (3) part number, serial "
        "number and month of manufacture",
        parts_label,
    ),
    "current-curve": Picture(
        "开机电流曲线 Power-on current curves",
        "开机电流：①按下开机键 ②可调电源限流值 ③正常开机曲线 ④短路时电流直接升到限流值",
        "Power-on current: (1) power button pressed, (2) the supply's current limit, (3) a normal "
        "boot, (4) a short circuit, with current straight at the limit",
        current_curve,
    ),
    "return-rate-chart": Picture(
        "网点90日返修率 Outlet 90-day repeat repair rate",
        "某网点1至6月的90日返修率，虚线为2%目标线，超出目标的月份为红色",
        "An outlet's 90-day repeat repair rate from January to June; the dashed line is the 2% "
        "target, months above it are red",
        return_rate_chart,
    ),
}


# The printable documents.


def _cjk_font() -> str:
    if CJK_TTF.exists():
        name = "WenQuanYiMicroHei"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(CJK_TTF), subfontIndex=0))
        return name
    name = "STSong-Light"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def _styles():
    font = _cjk_font()
    base = {"fontName": font, "wordWrap": "CJK", "textColor": colors.HexColor("#263238")}
    return {
        "title": ParagraphStyle("title", fontSize=17, leading=22, spaceAfter=2, **base),
        "subtitle": ParagraphStyle("subtitle", fontSize=11, leading=14, spaceAfter=8, **base),
        "h": ParagraphStyle("h", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, **base),
        "p": ParagraphStyle("p", fontSize=9.5, leading=13.5, **base),
        "cell": ParagraphStyle("cell", fontSize=9, leading=12, **base),
        "small": ParagraphStyle("small", fontSize=7.5, leading=10, spaceBefore=6, **base),
    }


def _table(rows, widths, styles, *, header=True, row_height=None):
    cells = [[Paragraph(str(c), styles["cell"]) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, rowHeights=row_height, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#90a4ae")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")))
    table.setStyle(TableStyle(commands))
    return table


def _pdf(title: str, subtitle: str, build_story) -> bytes:
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=12 * mm,
        title=title,
        subject=subtitle,
        author="售后服务学院 Service Network Academy",
    )
    story = [Paragraph(title, styles["title"]), Paragraph(subtitle, styles["subtitle"])]
    story.extend(build_story(styles, doc.width))
    doc.build(story)
    return out.getvalue()


def warranty_card() -> bytes:
    def story(s, width):
        return [
            Paragraph("手机主机出现性能故障 Performance fault of a phone", s["h"]),
            _table(
                [
                    ("自售出之日起 Since the sale", "客户可以选择 The customer may choose"),
                    ("7日内 Within 7 days", "退货、换货或修理；退货按发票价格一次退清货款<br/>"
                     "Refund, exchange or repair; a refund is the full invoice price"),
                    ("第8日至第15日 Days 8 to 15", "换货（同型号同规格）或修理<br/>"
                     "Exchange for the same model and specification, or repair"),
                    ("三包有效期内 Within the warranty period",
                     "免费修理；两次修理仍不能正常使用的，凭修理记录换货<br/>"
                     "Free repair; after two repairs that did not fix it, an exchange on the "
                     "repair record"),
                ],
                [0.32 * width, 0.68 * width],
                s,
            ),
            Paragraph("三包有效期 Warranty periods", s["h"]),
            _table(
                [
                    ("商品 Product", "三包有效期 Period"),
                    ("手机主机 Phone", "1年 1 year"),
                    ("充电器 Charger", "1年 1 year"),
                    ("电池 Battery", "6个月 6 months"),
                    ("外接有线耳机 Wired headset", "3个月 3 months"),
                    ("笔记本电脑整机 Laptop", "1年 1 year"),
                    ("笔记本主要部件：主板、CPU、内存、硬盘、显示屏、键盘、电源适配器<br/>"
                     "Laptop main parts: mainboard, CPU, memory, disk, display, keyboard, "
                     "power adapter", "2年 2 years"),
                ],
                [0.68 * width, 0.32 * width],
                s,
            ),
            Paragraph("三包有效期自开具发票之日起计算，扣除修理占用和无零配件待修的时间。"
                      "The period runs from the invoice date, not counting days in repair or "
                      "waiting for parts.", s["p"]),
            Paragraph("不实行三包（可收费修理） Not covered (paid repair possible)", s["h"]),
            Paragraph("超过三包有效期；未按说明书使用、维护、保管造成损坏（如进水、摔裂）；"
                      "非承担三包的修理者拆动造成损坏；无三包凭证及有效发票且不能证明在三包期内；"
                      "凭证内容与实物不符或涂改；不可抗力造成损坏。", s["p"]),
            Paragraph("Out of the warranty period; damage from use, care or storage against the "
                      "manual (liquid, drops); opened by a repairer not responsible for the "
                      "warranty; no warranty card or invoice and no other proof; records that do "
                      "not match the device or were altered; force majeure.", s["p"]),
            Paragraph("柜台要点 At the counter", s["h"]),
            Paragraph("1. 7日内的性能故障由客户选择退、换、修，不替客户决定。"
                      "2. 人为损坏须经技术员检测并拍照确认，前台不凭外观下结论。"
                      "3. 只收公示价目表上的费用；先报价、客户签字确认，再维修。", s["p"]),
            Paragraph("1. Within 7 days the customer chooses refund, exchange or repair; never "
                      "choose for them. 2. Damage is confirmed by a technician's test and photos, "
                      "never judged from the outside at the counter. 3. Charge only what the "
                      "published price list shows; quote, get the customer's signature, then "
                      "repair.", s["p"]),
            Paragraph("依据 Sources："
                      "《移动电话机商品修理更换退货责任规定》（2001年11月15日起施行）；"
                      "《微型计算机商品修理更换退货责任规定》（2002年9月1日起施行）。"
                      "本卡为培训材料，以规定原文为准。This card is training material; the "
                      "regulations' own text prevails.", s["small"]),
        ]  # fmt: skip

    return _pdf("三包速查卡", "Three-guarantees quick reference card: phones and laptops", story)


def esd_log() -> bytes:
    def story(s, width):
        header = (
            "日期<br/>Date",
            "腕带测试<br/>Wrist strap<br/>PASS / FAIL",
            "台垫接地<br/>Mat ground<br/>OK / NG",
            "相对湿度<br/>RH %",
            "绝缘物已清理<br/>Insulators cleared",
            "检查人<br/>Checked by",
        )
        rows = [header] + [(f"{day:02d}", "", "", "", "", "") for day in range(1, 32)]
        return [
            Paragraph("网点 Outlet：________________　　工位号 Bench：________　　"
                      "月份 Month：________", s["p"]),
            Spacer(1, 4 * mm),
            _table(rows, [width / 6] * 6, s, row_height=[40] + [17.2] * 31),
            Paragraph("腕带测试不合格不得拆机；相对湿度保持在40%~60%；本表保存不少于12个月。"
                      "Do not open a device before the wrist strap passes; keep relative humidity "
                      "at 40–60%; keep this log for at least 12 months.", s["small"]),
        ]  # fmt: skip

    return _pdf("防静电工位日检记录表", "ESD workstation daily check log", story)


def parts_consent() -> bytes:
    def story(s, width):
        fields = [
            ("工单号 Repair order no.", ""),
            ("客户姓名 Customer", ""),
            ("联系电话 Phone", ""),
            ("设备型号 Model", ""),
            ("IMEI / 序列号 Serial no.", ""),
            ("配件名称 Part", ""),
            ("配件类型 Kind of part", "□ 翻新件 Refurbished　　□ 拆机件 Salvaged"),
            ("本次配件价格 Price of this part", "￥"),
            ("原厂新件价格 Price of a genuine new part", "￥"),
            ("本配件保修期 Warranty of this part", ""),
        ]
        return [
            _table(fields, [0.4 * width, 0.6 * width], s, header=False, row_height=24),
            Spacer(1, 5 * mm),
            Paragraph("本人已知悉：上述配件不是原厂新件，其性能和使用寿命可能低于原厂新件；"
                      "网点已向本人说明配件类型、价格差异和保修期。本人自愿选择使用上述配件。"
                      "本人也可以选择使用原厂新件维修。", s["p"]),
            Spacer(1, 2 * mm),
            Paragraph("I understand that the part above is not a genuine new part and may "
                      "perform worse or last less long than one. The outlet has told me the kind "
                      "of part, the difference in price and its warranty. I choose this part of "
                      "my own will; I could have chosen a genuine new part instead.", s["p"]),
            Spacer(1, 10 * mm),
            _table(
                [
                    ("客户签字 Customer's signature", "", "日期 Date", ""),
                    ("网点经办人 Outlet staff", "", "日期 Date", ""),
                ],
                [0.3 * width, 0.3 * width, 0.15 * width, 0.25 * width],
                s,
                header=False,
                row_height=34,
            ),
            Paragraph("一式两份，客户与网点各执一份；网点扫描后上传至工单。保内维修不得使用"
                      "翻新件或拆机件。Two copies, one for the customer and one for the outlet, "
                      "scanned into the repair order. Never for repairs under warranty.",
                      s["small"]),
        ]  # fmt: skip

    return _pdf(
        "非原厂新件使用确认书", "Consent to the use of a part that is not genuine new", story
    )


def assessment_checklist() -> bytes:
    def story(s, width):
        items = [
            ("1", "开工前测试腕带并记录 Wrist strap tested and logged", "关键 Critical", ""),
            ("2", "全程佩戴腕带，设备在接地台垫上 Strap worn throughout, device on the "
                  "grounded mat", "关键 Critical", ""),
            ("3", "核对工单、拍照、确认电量≤25% Order checked, photos, battery ≤25%",
             "一般 General", "10"),
            ("4", "加热前检查电池是否鼓包 Battery checked for swelling before heating",
             "关键 Critical", ""),
            ("5", "只用塑料工具开启，撬片深度合适 Plastic tools only, pick depth kept",
             "关键 Critical", ""),
            ("6", "先断开电池排线 Battery disconnected first", "关键 Critical", ""),
            ("7", "螺丝按位置摆放、无错装 Screws kept by position, none misplaced",
             "一般 General", "20"),
            ("8", "拆下部件放入屏蔽袋 Removed parts in shielding bags", "一般 General", "15"),
            ("9", "复装：新防水胶、最后连接电池 Reassembly: new adhesive, battery last",
             "一般 General", "25"),
            ("10", "按质检清单完成功能测试 Function test by the checklist", "关键 Critical", ""),
            ("11", "工单记录配件追溯码 Part traceability code recorded", "一般 General", "15"),
            ("12", "工位整洁、工具归位 Bench tidy, tools put back", "一般 General", "15"),
        ]  # fmt: skip
        rows = [("#", "考核项 Item", "类别<br/>Kind", "分值<br/>Points", "结果<br/>Result")]
        rows += [(n, item, kind, points, "") for n, item, kind, points in items]
        return [
            _table(
                [
                    ("考生 Candidate", "", "工号 Employee no.", ""),
                    ("网点 Outlet", "", "日期 Date", ""),
                    ("评估员 Assessor", "", "机型 Device", ""),
                ],
                [0.2 * width, 0.3 * width, 0.2 * width, 0.3 * width],
                s,
                header=False,
                row_height=22,
            ),
            Spacer(1, 4 * mm),
            _table(rows, [0.06 * width, 0.54 * width, 0.14 * width, 0.12 * width, 0.14 * width], s),
            Paragraph("任一关键项不合格即不通过；关键项全部合格且一般项合计不低于80分为通过。"
                      "Any failed critical item fails the assessment; it passes when every "
                      "critical item is met and the general items score 80 or more.", s["small"]),
            Spacer(1, 8 * mm),
            Paragraph("结论 Result：□ 通过 Pass　　□ 不通过 Fail　　"
                      "评估员签字 Assessor's signature：________________", s["p"]),
        ]  # fmt: skip

    return _pdf(
        "实操考核评分表：防静电拆机", "Practical assessment checklist: ESD-safe disassembly", story
    )


PRINTABLES = {
    "warranty-card": Printable(
        "三包速查卡 Three-guarantees quick reference", "sanbao-quick-reference.pdf", warranty_card
    ),
    "esd-log": Printable(
        "防静电工位日检记录表 ESD workstation daily check log", "esd-daily-check-log.pdf", esd_log
    ),
    "parts-consent": Printable(
        "非原厂新件使用确认书 Consent to a non-genuine part",
        "non-genuine-part-consent.pdf",
        parts_consent,
    ),
    "assessment-checklist": Printable(
        "实操考核评分表：防静电拆机 Practical assessment checklist",
        "practical-assessment-esd-checklist.pdf",
        assessment_checklist,
    ),
}
