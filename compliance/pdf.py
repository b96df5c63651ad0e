"""
Compliance reports as A4 PDFs, drawn with reportlab from a selector's result: the overview of a
scope (landscape, one row per outlet) and one outlet's report (portrait, one row per person and
required track), each with the monthly trend as a bar chart. No database access.

The PDF speaks the language asked for: its labels are the catalogue's strings and the models'
choices, rendered under `translation.override` as the web pages are, so a term reads the same on
the page and in its PDF. The CJK font is every PDF's, found and embedded by `core.pdf`.
"""

import datetime
import io
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from core.pdf import ACCENT, AUTHOR, INK, MUTED, cjk_font_name
from network.models import CityTier, Ownership, Role

from .computation import OutletCompliance, State
from .selectors import GROUPINGS, OutletReport, Overview, Rollup, TrendPoint

# Labels of the documents, translated like the web pages: rendered under the document's
# language (translation.override), with the models' own choices for states, roles, tiers.
LABELS = {
    "as_of": _("As of"),
    "period": _("Month"),
    "scope": _("Scope"),
    "outlets": _("Outlets"),
    "compliant_outlets": _("Compliant outlets"),
    "people": _("People"),
    "requirements": _("Requirements"),
    "met": _("Met"),
    "share": _("Share met"),
    "gaps": _("Gaps"),
    "expiring": _("Expiring"),
    "code": _("Code"),
    "outlet": _("Outlet"),
    "company": _("Partner company"),
    "city": _("City"),
    "tier": _("Tier"),
    "headcount": _("Headcount rules"),
    "verdict": _("Verdict"),
    "compliant": _("Compliant"),
    "not_compliant": _("Not compliant"),
    "brand_owned": _("Brand-owned"),
    "trend": _("Compliant outlets by month"),
    "no_trend": _("No monthly snapshots yet."),
    "rollups": _("Roll-ups"),
    "group": _("Group"),
    "all_outlets": _("All outlets in scope"),
    "person": _("Person"),
    "employee_number": _("Employee no."),
    "roles": pgettext_lazy("job", "Roles"),
    "track": _("Track"),
    "state": _("State"),
    "date": _("Expires / due"),
    "people_table": _("People and their certificates"),
    "area": _("Service area"),
    "role": _("Role"),
    "minimum": _("At least"),
    "certified": _("Certified"),
    "yes": _("yes"),
    "no": _("no"),
    "page": _("Page %(n)s"),
    "overview_title": _("Certification compliance report"),
    "outlet_title": _("Outlet certification compliance report"),
    "monthly_title": _("Certification compliance, %(month)s"),
}
GROUPING_LABELS = {
    "partner_company": _("By partner company"),
    "province": _("By province"),
    "city_tier": _("By city tier"),
    "ownership": _("By ownership"),
}
STATE_LABELS = dict(State.choices)
ROLE_LABELS = dict(Role.choices)
TIER_LABELS = dict(CityTier.choices)
OWNERSHIP_LABELS = dict(Ownership.choices)
GAP_COLOR = colors.Color(0.75, 0.15, 0.15)
OK_COLOR = colors.Color(0.1, 0.5, 0.25)
HEADER_FILL = colors.Color(0.92, 0.93, 0.95)
RULE_COLOR = colors.Color(0.8, 0.82, 0.85)

Progress = Callable[[int], None] | None


def title(key: str, language: str, **values) -> str:
    """Return the document title `key` of LABELS in `language`, with `values` filled in."""
    with translation.override(language):
        text = str(LABELS[key])
    return text % values if values else text


class _Text:
    """The labels, styles and formats of one document in one language."""

    def __init__(self, language: str):
        self.english = (language or "").lower().startswith("en")
        self.font = cjk_font_name()
        base = {"fontName": self.font, "textColor": INK}
        self.title = ParagraphStyle("title", fontSize=16, leading=21, **base)
        self.heading = ParagraphStyle(
            "heading", fontSize=11, leading=15, spaceBefore=8, spaceAfter=4, **base
        )
        self.body = ParagraphStyle("body", fontSize=9, leading=12, **base)
        self.muted = ParagraphStyle("muted", parent=self.body, textColor=MUTED)
        self.cell = ParagraphStyle("cell", fontSize=7.5, leading=9, **base)
        self.number = ParagraphStyle("number", parent=self.cell, alignment=TA_RIGHT)

    # Read while the document's language is active (overview_pdf, outlet_report_pdf).
    def __call__(self, key: str) -> str:
        return str(LABELS[key])

    def label(self, table: dict, key) -> str:
        label = table.get(key)
        return str(label) if label is not None else str(key or "")

    def percent(self, value: float | None) -> str:
        return f"{value * 100:.1f}%" if value is not None else "–"

    def date(self, value: datetime.date | None) -> str:
        if value is None:
            return ""
        return value.isoformat() if self.english else f"{value.year}年{value.month}月{value.day}日"

    def month(self, value: datetime.date) -> str:
        return f"{value:%Y-%m}" if self.english else f"{value.year}年{value.month}月"

    def verdict(self, compliant: bool) -> str:
        return self("compliant") if compliant else self("not_compliant")

    def p(self, text, style=None) -> Paragraph:
        return Paragraph(_escape(text), style or self.cell)


def _escape(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_BASE_STYLE = [
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_COLOR),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_BASE_STYLE))
    return table


def _trend_chart(t: _Text, trend: list[TrendPoint], width: float) -> list[Flowable]:
    """The share of compliant outlets in each month with a snapshot, as bars from 0 to 100 %."""
    flowables: list[Flowable] = [Paragraph(_escape(t("trend")), t.heading)]
    points = [p for p in trend if p.compliant_share is not None]
    if not points:
        return [*flowables, Paragraph(_escape(t("no_trend")), t.muted)]
    height = 45 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = width - 20 * mm, height - 14 * mm
    chart.data = [[round(p.compliant_share * 100, 1) for p in points]]
    chart.categoryAxis.categoryNames = [f"{p.period:%Y-%m}" for p in points]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    last = points[-1]
    drawing.add(
        String(
            width - 2 * mm,
            height - 4 * mm,
            f"{last.compliant_outlets}/{last.outlets}",
            fontName="Helvetica",
            fontSize=7,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    return [KeepTogether([*flowables, drawing])]


def _summary(t: _Text, total: Rollup) -> Table:
    cells = [
        (t("outlets"), str(total.outlets)),
        (t("compliant_outlets"), f"{total.compliant_outlets} ({t.percent(total.compliant_share)})"),
        (t("people"), str(total.people)),
        (t("met"), f"{total.met}/{total.requirements} ({t.percent(total.share)})"),
        (t("gaps"), str(total.gaps)),
        (t("expiring"), str(total.expiring)),
    ]
    row = [t.p(label, t.muted) for label, _ in cells]
    values = [Paragraph(_escape(value), t.heading) for _, value in cells]
    table = Table([row, values], hAlign="LEFT")
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _header_block(t: _Text, *, title: str, scope_label: str, as_of, period) -> list[Flowable]:
    lines = [f"{t('scope')}: {scope_label}", f"{t('as_of')}: {t.date(as_of)}"]
    if period is not None:
        lines.insert(1, f"{t('period')}: {t.month(period)}")
    return [
        Paragraph(_escape(title), t.title),
        Spacer(1, 2 * mm),
        Paragraph(_escape(" · ".join(lines)), t.muted),
        Spacer(1, 3 * mm),
    ]


def _document(buffer, *, pagesize, title: str, t: _Text) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=AUTHOR,
        lang="en" if t.english else "zh-CN",
    )


def _page_footer(t: _Text, title: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(t.font, 7)
        canvas.setFillColor(MUTED)
        width = doc.pagesize[0]
        canvas.drawString(doc.leftMargin, 7 * mm, title)
        canvas.drawRightString(
            width - doc.rightMargin, 7 * mm, t("page") % {"n": canvas.getPageNumber()}
        )
        canvas.restoreState()

    return draw


def _outlet_cells(t: _Text, o: OutletCompliance, brand_owned: str, verdicts: dict) -> list:
    # Plain strings but for the two names that may need wrapping: a Paragraph per cell costs
    # ten times more to lay out, and a network has thousands of outlets.
    return [
        o.code,
        t.p(o.name),
        t.p(o.partner_company_name or brand_owned),
        o.city,
        t.label(TIER_LABELS, o.city_tier),
        str(o.people),
        str(o.requirements),
        str(o.met),
        t.percent(o.share),
        str(o.gaps),
        str(o.expiring),
        f"{o.headcount_rules_met}/{len(o.headcounts)}",
        verdicts[o.compliant],
    ]


def _outlets_table(t: _Text, outlets: list[OutletCompliance], widths, progress: Progress):
    """
    One row per outlet in a LongTable (laid out in linear time, where Table's splitting grows
    with the square of the rows), reporting the outlets drawn so far as each page is drawn.
    """
    header = [
        t("code"), t("outlet"), t("company"), t("city"), t("tier"), t("people"),
        t("requirements"), t("met"), t("share"), t("gaps"), t("expiring"), t("headcount"),
        t("verdict"),
    ]  # fmt: skip
    brand_owned = t("brand_owned")
    verdicts = {True: t("compliant"), False: t("not_compliant")}
    rows = [[t.p(h) for h in header]]
    rows += [_outlet_cells(t, o, brand_owned, verdicts) for o in outlets]

    class CountingTable(LongTable):
        drawn = 0

        def draw(self):
            super().draw()
            # Each page's part repeats the header row; the rest are outlets.
            CountingTable.drawn += len(self._cellvalues) - 1
            if progress:
                progress(min(CountingTable.drawn, len(outlets)))

    table = CountingTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        *_BASE_STYLE,
        ("FONTNAME", (0, 0), (-1, -1), t.font),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("LEADING", (0, 0), (-1, -1), 9),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (5, 1), (11, -1), "RIGHT"),
        ("TEXTCOLOR", (12, 1), (12, -1), OK_COLOR),
    ]
    style += [
        ("TEXTCOLOR", (12, n), (12, n), GAP_COLOR)
        for n, outlet in enumerate(outlets, start=1)
        if not outlet.compliant
    ]
    table.setStyle(TableStyle(style))
    return table


def _rollup_table(t: _Text, overview: Overview, width: float) -> Table:
    header = [
        t("group"),
        "",
        t("outlets"),
        t("compliant_outlets"),
        t("people"),
        t("met"),
        t("share"),
        t("gaps"),
        t("expiring"),
    ]
    rows = [[t.p(h) for h in header]]

    def row(grouping: str, rollup: Rollup, label: str | None = None) -> list:
        return [
            t.p(grouping),
            t.p(label if label is not None else rollup.label),
            t.p(rollup.outlets, t.number),
            t.p(rollup.compliant_outlets, t.number),
            t.p(rollup.people, t.number),
            t.p(f"{rollup.met}/{rollup.requirements}", t.number),
            t.p(t.percent(rollup.share), t.number),
            t.p(rollup.gaps, t.number),
            t.p(rollup.expiring, t.number),
        ]

    rows.append(row("", overview.total, t("all_outlets")))
    for name in GROUPINGS:
        for rollup in overview.rollups.get(name, []):
            label = rollup.label
            if name == "city_tier":
                label = t.label(TIER_LABELS, rollup.key)
            elif name == "ownership":
                label = t.label(OWNERSHIP_LABELS, rollup.key)
            elif name == "partner_company" and rollup.key is None:
                label = t("brand_owned")
            rows.append(row(t.label(GROUPING_LABELS, name), rollup, label))
    fixed = [16 * mm, 22 * mm, 14 * mm, 22 * mm, 18 * mm, 14 * mm, 16 * mm]
    return _table(rows, [32 * mm, width - 32 * mm - sum(fixed), *fixed])


def overview_pdf(
    overview: Overview,
    trend: list[TrendPoint],
    *,
    title: str,
    scope_label: str,
    language: str,
    progress: Progress = None,
) -> bytes:
    """
    Return the overview as an A4 landscape PDF: totals, the monthly trend, the roll-ups and one
    row per outlet, the table's header repeated on every page.
    """
    with translation.override(language):
        return _overview_pdf(overview, trend, title, scope_label, _Text(language), progress)


def _overview_pdf(overview, trend, title, scope_label, t: "_Text", progress: Progress) -> bytes:
    buffer = io.BytesIO()
    pagesize = landscape(A4)
    doc = _document(buffer, pagesize=pagesize, title=title, t=t)
    width = pagesize[0] - doc.leftMargin - doc.rightMargin
    story = _header_block(
        t, title=title, scope_label=scope_label, as_of=overview.as_of, period=overview.period
    )
    story += [_summary(t, overview.total), *_trend_chart(t, trend, width)]
    story += [Paragraph(_escape(t("rollups")), t.heading), _rollup_table(t, overview, width)]
    fixed = [
        20 * mm, None, 38 * mm, 22 * mm, 18 * mm, 12 * mm, 14 * mm, 12 * mm,
        14 * mm, 12 * mm, 14 * mm, 16 * mm, 24 * mm,
    ]  # fmt: skip
    fixed[1] = width - sum(w for w in fixed if w)
    story += [
        Paragraph(_escape(t("outlets")), t.heading),
        _outlets_table(t, overview.outlets, fixed, progress),
    ]
    footer = _page_footer(t, title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    if progress:
        progress(len(overview.outlets))
    return buffer.getvalue()


def outlet_report_pdf(
    report: OutletReport,
    trend: list[TrendPoint],
    *,
    title: str,
    scope_label: str,
    language: str,
    progress: Progress = None,
) -> bytes:
    """
    Return one outlet's report as an A4 portrait PDF: its figures and verdict, the monthly
    trend, its headcount rules and each person with each required track.
    """
    with translation.override(language):
        return _outlet_report_pdf(report, trend, title, scope_label, _Text(language), progress)


def _outlet_report_pdf(report, trend, title, scope_label, t: "_Text", progress: Progress) -> bytes:
    o = report.compliance
    buffer = io.BytesIO()
    doc = _document(buffer, pagesize=A4, title=title, t=t)
    width = A4[0] - doc.leftMargin - doc.rightMargin
    story = _header_block(
        t, title=title, scope_label=scope_label, as_of=report.as_of, period=report.period
    )
    facts = [
        (t("outlet"), f"{o.code} {o.name}"),
        (t("company"), o.partner_company_name or t("brand_owned")),
        (t("city"), f"{o.province} {o.city} · {t.label(TIER_LABELS, o.city_tier)}"),
        (t("people"), str(o.people)),
        (t("met"), f"{o.met}/{o.requirements} ({t.percent(o.share)})"),
        (t("gaps"), str(o.gaps)),
        (t("headcount"), f"{o.headcount_rules_met}/{len(o.headcounts)}"),
        (t("verdict"), t.verdict(o.compliant)),
    ]
    facts_table = Table(
        [[t.p(label, t.muted), t.p(value, t.body)] for label, value in facts],
        colWidths=[35 * mm, width - 35 * mm],
        hAlign="LEFT",
    )
    story += [facts_table, *_trend_chart(t, trend, width)]

    if o.headcounts:
        rows = [[t.p(t(k)) for k in ("area", "role", "track", "minimum", "certified", "met")]]
        for h in o.headcounts:
            area = report.areas.get(h.service_area_id)
            area_name = ((area.name_en or area.name) if t.english else area.name) if area else ""
            rows.append(
                [
                    t.p(area_name),
                    t.p(t.label(ROLE_LABELS, h.role)),
                    t.p(_track(report, h.track_id, t.english)),
                    t.p(h.minimum, t.number),
                    t.p(h.certified, t.number),
                    t.p(t("yes") if h.met else t("no")),
                ]
            )
        fixed = [None, 30 * mm, 50 * mm, 16 * mm, 18 * mm, 14 * mm]
        fixed[0] = width - sum(w for w in fixed if w)
        story += [Paragraph(_escape(t("headcount")), t.heading), _table(rows, fixed)]

    rows = [[t.p(t(k)) for k in ("person", "employee_number", "roles", "track", "state", "date")]]
    for person in report.people:
        roles = ", ".join(t.label(ROLE_LABELS, r) for r in person.roles)
        for requirement in person.requirements or [None]:
            if requirement is None:
                rows.append([t.p(person.name), t.p(person.employee_number), t.p(roles), "", "", ""])
                continue
            gap = requirement.state in ("expired", "revoked", "suspended", "missing", "overdue")
            state_style = ParagraphStyle(
                "state", parent=t.cell, textColor=GAP_COLOR if gap else INK
            )
            rows.append(
                [
                    t.p(person.name),
                    t.p(person.employee_number),
                    t.p(roles),
                    t.p(_track(report, requirement.track_id, t.english)),
                    t.p(t.label(STATE_LABELS, requirement.state), state_style),
                    t.p(t.date(requirement.expires_on or requirement.due_on)),
                ]
            )
    fixed = [28 * mm, 22 * mm, 34 * mm, None, 30 * mm, 26 * mm]
    fixed[3] = width - sum(w for w in fixed if w)
    story += [Paragraph(_escape(t("people_table")), t.heading), _table(rows, fixed)]
    footer = _page_footer(t, title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    if progress:
        progress(1)
    return buffer.getvalue()


def _track(report: OutletReport, track_id: int, english: bool) -> str:
    track = report.tracks.get(track_id)
    if track is None:
        return str(track_id)
    return (track.title_en or track.title) if english else track.title
