import csv
import io
import subprocess

import openpyxl
import pytest
from django.utils import translation

from compliance import exports, pdf
from compliance.computation import State
from compliance.selectors import compliance_overview, compliance_trend, outlet_report
from compliance.services.snapshots import compliance_snapshots_take
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def auditor_user(known_network):
    return StaffFactory(role="auditor", outlet=None).user


@pytest.fixture
def overview(auditor_user):
    return compliance_overview(user=auditor_user, today=TODAY)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_overview_csv_has_a_row_per_outlet_with_its_figures(overview):
    rows = csv_rows(exports.overview_csv(overview))

    header = rows[0]
    assert header[:11] == [
        "Outlet code",
        "Outlet",
        "Partner company",
        "Province",
        "City",
        "City tier",
        "Ownership",
        "People",
        "Requirements",
        "Met",
        "Share met (%)",
    ]
    assert header[-3:] == ["Headcount rules met", "Headcount rules", "Verdict"]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_code) == ["A", "B", "C"]
    a = by_code["A"]
    assert (a["People"], a["Requirements"], a["Met"], a["Share met (%)"]) == ("3", "6", "4", "66.7")
    assert (a["Valid"], a["Expires within 30 days"], a["Missing"], a["Revoked"]) == (
        "3",
        "1",
        "1",
        "1",
    )
    assert (a["Headcount rules met"], a["Headcount rules"], a["Verdict"]) == (
        "1",
        "3",
        "Not compliant",
    )
    assert by_code["B"]["Partner company"] == "湘江服务有限公司"
    assert by_code["C"]["Verdict"] == "Compliant"


def test_formula_in_an_outlet_name_is_written_as_text_in_csv_and_xlsx(known_network, auditor_user):
    outlet = known_network["outlets"]["A"]
    outlet.name = FORMULA
    outlet.save()
    overview = compliance_overview(user=auditor_user, today=TODAY)

    rows = csv_rows(exports.overview_csv(overview))
    assert rows[1][1] == "'" + FORMULA

    sheet = workbook(exports.overview_xlsx(overview))["Outlets"]
    cell = sheet["B2"]
    assert cell.value == "'" + FORMULA
    assert cell.data_type == "s"

    report = outlet_report(user=auditor_user, code="A", today=TODAY)
    assert csv_rows(exports.outlet_report_csv(report))[1][1] == "'" + FORMULA
    outlet_sheet = workbook(exports.outlet_report_xlsx(report))["Outlet"]
    assert outlet_sheet["B2"].value == "'" + FORMULA
    assert outlet_sheet["B2"].data_type == "s"


def test_overview_xlsx_has_the_known_numbers(overview):
    book = workbook(exports.overview_xlsx(overview))

    assert book.sheetnames == ["Outlets", "Roll-ups"]
    outlets = sheet_rows(book["Outlets"])
    header = outlets[0]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in outlets[1:]}
    assert {code: (r["People"], r["Requirements"], r["Met"]) for code, r in by_code.items()} == {
        "A": (3, 6, 4),
        "B": (3, 6, 2),
        "C": (4, 8, 8),
    }
    assert by_code["A"]["Share met"] == 0.6667
    assert book["Outlets"]["K2"].number_format == "0.0%"
    assert by_code["B"]["Expired"] == 1
    assert by_code["B"]["Onboarding overdue"] == 1
    assert by_code["C"]["Verdict"] == "Compliant"

    rollups = sheet_rows(book["Roll-ups"])
    assert rollups[1][:7] == ["Total", "All outlets in scope", 3, 1, 10, 20, 14]
    by_company = {row[1]: row[2:7] for row in rollups[1:] if row[0] == "Partner company"}
    assert by_company == {"湘江服务有限公司": [1, 0, 3, 6, 2], "Brand-owned": [2, 1, 7, 14, 12]}


def test_outlet_report_xlsx_lists_each_person_and_requirement(auditor_user):
    report = outlet_report(user=auditor_user, code="B", today=TODAY)

    book = workbook(exports.outlet_report_xlsx(report))

    assert book.sheetnames == ["Outlet", "People", "Headcount rules"]
    people = sheet_rows(book["People"])
    assert people[0] == [
        "Person",
        "Employee number",
        "Roles",
        "Track",
        "State",
        "Expires on",
        "Due on",
    ]
    b3 = [(row[3], row[4], row[6].date()) for row in people[1:] if row[1] == "B3"]
    assert sorted(b3) == [
        ("前台接待", "Onboarding overdue", TODAY.replace(day=10)),
        ("服务规范", "In progress", TODAY.replace(day=25)),
    ]
    assert len(people) == 1 + 6
    headcounts = sheet_rows(book["Headcount rules"])
    assert len(headcounts) == 1 + 3


def test_outlet_report_csv_lists_each_person_and_requirement(auditor_user):
    report = outlet_report(user=auditor_user, code="A", today=TODAY)

    rows = csv_rows(exports.outlet_report_csv(report))

    assert rows[0][:4] == ["Outlet code", "Outlet", "Person", "Employee number"]
    assert sorted((r[3], r[5], r[6]) for r in rows[1:]) == [
        ("A1", "前台接待", "Expires within 30 days"),
        ("A1", "服务规范", "Valid"),
        ("A2", "前台接待", "Missing"),
        ("A2", "服务规范", "Valid"),
        ("A2", "维修技术", "Valid"),
        ("A3", "服务规范", "Revoked"),
    ]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.pdftools
def test_overview_pdf_in_chinese_shows_chinese_outlet_names_and_the_trend(
    known_network, auditor_user, tmp_path
):
    outlet = known_network["outlets"]["B"]
    outlet.name = "湘潭岳塘服务网点"
    outlet.save()
    compliance_snapshots_take(period=TODAY.replace(month=5, day=1), as_of=TODAY.replace(day=1))
    compliance_snapshots_take(period=TODAY.replace(day=1), as_of=TODAY)
    overview = compliance_overview(user=auditor_user, today=TODAY)
    trend = compliance_trend(user=auditor_user)

    content = pdf.overview_pdf(
        overview, trend, title="合规报告", scope_label="全网", language="zh-hans"
    )

    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "湘潭岳塘服务网点" in text
    assert "合规报告" in text
    assert "网点合规率" in text  # the trend chart's title
    assert "/FontFile2" in content.decode("latin-1")  # the CJK font is embedded


@pytest.mark.pdftools
def test_overview_pdf_breaks_a_long_table_across_pages(known_network, auditor_user, tmp_path):
    overview = compliance_overview(user=auditor_user, today=TODAY)
    overview.outlets = overview.outlets * 60

    content = pdf.overview_pdf(overview, [], title="Compliance", scope_label="All", language="en")

    text = pdf_text(content, tmp_path)
    assert text.count("\f") >= 4
    assert "Not compliant" in text


@pytest.mark.pdftools
def test_outlet_report_pdf_in_english_lists_the_people(known_network, auditor_user, tmp_path):
    report = outlet_report(user=auditor_user, code="A", today=TODAY)

    content = pdf.outlet_report_pdf(
        report, [], title="Outlet report", scope_label="A", language="en"
    )

    text = pdf_text(content, tmp_path)
    assert known_network["staff"]["a1"].name in text
    assert "Expires within 30 days" in text
    assert "Revoked" in text


@pytest.mark.pdftools
def test_outlet_report_pdf_in_chinese_says_what_the_pages_say(
    known_network, auditor_user, tmp_path
):
    report = outlet_report(user=auditor_user, code="A", today=TODAY)

    content = pdf.outlet_report_pdf(
        report, [], title="网点报告", scope_label="A", language="zh-hans"
    )

    text = pdf_text(content, tmp_path)
    with translation.override("zh-hans"):
        page_terms = [str(State.REVOKED.label), str(State.EXPIRING_30.label)]
    assert page_terms == ["已撤销", "30 天内到期"]
    assert all(term in text for term in page_terms)
    assert "Revoked" not in text
