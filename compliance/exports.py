"""
Compliance reports as spreadsheets: CSV (UTF-8 with a byte order mark, so Excel shows Chinese)
and XLSX. Plain functions of a selector's result, with no database access, in the active
language; the export job, the monthly e-mail and the benchmark call them.

A cell a spreadsheet would run as a formula (an outlet named "=HYPERLINK(...)") is written as
text, in both formats: see `core.spreadsheets.csv_safe`.
"""

import csv
import datetime
import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.i18n import reads_english
from core.spreadsheets import csv_safe
from network.models import CityTier, Ownership, Role

from .computation import STATE_ORDER, OutletCompliance, State
from .selectors import GROUPINGS, OutletReport, Overview, Rollup

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Progress is reported every this many outlets, not every row: each report is a database write.
PROGRESS_EVERY = 200

Progress = Callable[[int], None] | None


def _share(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _percent(value: float | None) -> str:
    return f"{value * 100:.1f}" if value is not None else ""


class Labels:
    """The words of one export in the active language, translated once rather than per row."""

    def __init__(self):
        self.tiers = {k: str(v) for k, v in CityTier.choices}
        self.ownerships = {k: str(v) for k, v in Ownership.choices}
        self.roles = {k: str(v) for k, v in Role.choices}
        self.states = {k: str(v) for k, v in State.choices}
        self.verdicts = {True: _("Compliant"), False: _("Not compliant")}
        self.brand_owned = _("Brand-owned")
        self.yes, self.no = _("yes"), _("no")


def outlet_header(labels: Labels | None = None) -> list[str]:
    labels = labels or Labels()
    return [
        _("Outlet code"),
        _("Outlet"),
        _("Partner company"),
        _("Province"),
        _("City"),
        _("City tier"),
        _("Ownership"),
        _("People"),
        _("Requirements"),
        _("Met"),
        _("Share met"),
        *[labels.states[s] for s in STATE_ORDER],
        _("Headcount rules met"),
        _("Headcount rules"),
        _("Verdict"),
    ]


def outlet_row(outlet: OutletCompliance, labels: Labels) -> list:
    """One outlet's figures; the share is a fraction (0.6667), formatted by each writer."""
    counts = outlet.counts
    return [
        outlet.code,
        outlet.name,
        outlet.partner_company_name or labels.brand_owned,
        outlet.province,
        outlet.city,
        labels.tiers.get(outlet.city_tier, outlet.city_tier),
        labels.ownerships.get(outlet.ownership, outlet.ownership),
        outlet.people,
        outlet.requirements,
        outlet.met,
        _share(outlet.share),
        *[counts.get(s, 0) for s in STATE_ORDER],
        outlet.headcount_rules_met,
        len(outlet.headcounts),
        labels.verdicts[outlet.compliant],
    ]


SHARE_COLUMN = 10  # the index of "Share met" in outlet_row


def rollup_header() -> list[str]:
    return [
        _("Grouped by"),
        _("Group"),
        _("Outlets"),
        _("Compliant outlets"),
        _("People"),
        _("Requirements"),
        _("Met"),
        _("Share met"),
        _("Gaps"),
        _("Expiring"),
    ]


def rollup_rows(overview: Overview) -> list[list]:
    def row(grouping: str, rollup: Rollup) -> list:
        return [
            grouping,
            rollup.label,
            rollup.outlets,
            rollup.compliant_outlets,
            rollup.people,
            rollup.requirements,
            rollup.met,
            _share(rollup.share),
            rollup.gaps,
            rollup.expiring,
        ]

    rows = [row(_("Total"), overview.total)]
    for name, rollups in overview.rollups.items():
        rows += [row(str(GROUPINGS[name]), r) for r in rollups]
    return rows


ROLLUP_SHARE_COLUMN = 7


def people_header() -> list[str]:
    return [
        _("Person"),
        _("Employee number"),
        pgettext("job", "Roles"),
        _("Track"),
        _("State"),
        _("Expires on"),
        _("Due on"),
    ]


def track_title(report: OutletReport, track_id: int, *, english: bool) -> str:
    track = report.tracks.get(track_id)
    if track is None:
        return str(track_id)
    return (track.title_en or track.title) if english else track.title


def people_rows(report: OutletReport, *, english: bool = False) -> list[list]:
    """One row per person and required track; a person nothing is required of gets one row."""
    labels = Labels()
    rows = []
    for person in report.people:
        roles = ", ".join(labels.roles.get(r, r) for r in person.roles)
        if not person.requirements:
            rows.append([person.name, person.employee_number, roles, "", "", None, None])
        for requirement in person.requirements:
            rows.append(
                [
                    person.name,
                    person.employee_number,
                    roles,
                    track_title(report, requirement.track_id, english=english),
                    labels.states.get(requirement.state, requirement.state),
                    requirement.expires_on,
                    requirement.due_on,
                ]
            )
    return rows


def headcount_header() -> list[str]:
    return [_("Service area"), _("Role"), _("Track"), _("At least"), _("Certified"), _("Met")]


def headcount_rows(report: OutletReport, *, english: bool = False) -> list[list]:
    labels = Labels()
    rows = []
    for h in report.compliance.headcounts:
        area = report.areas.get(h.service_area_id)
        area_name = (area.name_en or area.name) if area and english else getattr(area, "name", "")
        rows.append(
            [
                area_name,
                labels.roles.get(h.role, h.role),
                track_title(report, h.track_id, english=english),
                h.minimum,
                h.certified,
                labels.yes if h.met else labels.no,
            ]
        )
    return rows


# CSV


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return csv_safe(value)
    return str(value)


def _csv(header: list[str], rows, *, share_column: int | None = None) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    if share_column is not None:
        header = list(header)
        header[share_column] = f"{header[share_column]} (%)"
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        if share_column is not None:
            row = list(row)
            row[share_column] = _percent(row[share_column])
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _outlet_rows(outlets: list[OutletCompliance], progress: Progress):
    labels = Labels()
    for n, outlet in enumerate(outlets, start=1):
        yield outlet_row(outlet, labels)
        if progress and (n % PROGRESS_EVERY == 0 or n == len(outlets)):
            progress(n)


def overview_csv(overview: Overview, *, progress: Progress = None) -> bytes:
    """Return every outlet of the overview as one CSV table."""
    return _csv(
        outlet_header(), _outlet_rows(overview.outlets, progress), share_column=SHARE_COLUMN
    )


def outlet_report_csv(report: OutletReport, *, progress: Progress = None) -> bytes:
    """Return the outlet's people and each of their required tracks as one CSV table."""
    english = reads_english()
    header = [_("Outlet code"), _("Outlet"), *people_header()]
    rows = [
        [report.compliance.code, report.compliance.name, *row]
        for row in people_rows(report, english=english)
    ]
    content = _csv(header, rows)
    if progress:
        progress(1)
    return content


# XLSX


def _xlsx_value(value):
    return csv_safe(value) if isinstance(value, str) else value


def _sheet(workbook: Workbook, title: str, header: list[str], rows, *, percent=(), dates=()):
    """
    Append a sheet, row by row: a write-only workbook streams its rows instead of keeping a
    cell object for each, several times faster for a network of thousands of outlets.
    """
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for column in (*percent, *dates):
        sheet.column_dimensions[get_column_letter(column + 1)].width = 12
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = dict.fromkeys(percent, "0.0%") | dict.fromkeys(dates, "yyyy-mm-dd")
    for row in rows:
        values = [_xlsx_value(v) for v in row]
        for column, number_format in formats.items():
            if values[column] is not None:
                cell = WriteOnlyCell(sheet, value=values[column])
                cell.number_format = number_format
                values[column] = cell
        sheet.append(values)
    return sheet


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new_workbook() -> Workbook:
    return Workbook(write_only=True)


def overview_xlsx(overview: Overview, *, progress: Progress = None) -> bytes:
    """Return the overview as a workbook: an "Outlets" sheet and a "Roll-ups" sheet."""
    workbook = _new_workbook()
    _sheet(
        workbook,
        _("Outlets"),
        outlet_header(),
        _outlet_rows(overview.outlets, progress),
        percent=[SHARE_COLUMN],
    )
    _sheet(
        workbook,
        _("Roll-ups"),
        rollup_header(),
        rollup_rows(overview),
        percent=[ROLLUP_SHARE_COLUMN],
    )
    return _workbook_bytes(workbook)


def outlet_report_xlsx(report: OutletReport, *, progress: Progress = None) -> bytes:
    """Return one outlet's report: the outlet's figures, its people, its headcount rules."""
    english = reads_english()
    workbook = _new_workbook()
    _sheet(
        workbook,
        _("Outlet"),
        outlet_header(),
        [outlet_row(report.compliance, Labels())],
        percent=[SHARE_COLUMN],
    )
    _sheet(
        workbook, _("People"), people_header(), people_rows(report, english=english), dates=[5, 6]
    )
    _sheet(
        workbook, _("Headcount rules"), headcount_header(), headcount_rows(report, english=english)
    )
    if progress:
        progress(1)
    return _workbook_bytes(workbook)
