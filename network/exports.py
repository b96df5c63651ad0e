"""Spreadsheet exports of the service network."""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.spreadsheets import csv_safe


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream `rows` as a UTF-8 CSV with a byte order mark, so Excel shows Chinese correctly."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([csv_safe(h) for h in header])
        for row in rows:
            yield writer.writerow([csv_safe(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def staff_csv_response(*, people, filename: str) -> StreamingHttpResponse:
    header = [
        _("Employee number"),
        _("Name"),
        _("Role"),
        _("Outlet code"),
        _("Outlet"),
        _("Hire date"),
        _("Active"),
    ]
    rows = (
        [
            p.employee_number,
            p.name,
            p.get_role_display(),
            p.outlet.code if p.outlet else "",
            p.outlet.name if p.outlet else "",
            p.hire_date.isoformat(),
            _("yes") if p.is_active else _("no"),
        ]
        for p in people.iterator(chunk_size=2000)
    )
    return csv_response(filename=filename, header=header, rows=rows)
