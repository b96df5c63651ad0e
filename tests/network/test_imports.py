import datetime
import io

import pytest
from openpyxl import Workbook

from network.imports import (
    MAX_ROWS,
    ImportFileError,
    RowError,
    outlet_rows_check,
    read_table,
    staff_rows_check,
)
from tests.factories.network import OutletFactory, PartnerCompanyFactory, StaffFactory, UserFactory

STAFF_HEADER = ["employee_number", "name", "role", "outlet_code", "hire_date", "email", "username"]
OUTLET_HEADER = [
    "code",
    "name",
    "province",
    "city",
    "city_tier",
    "ownership",
    "partner_company_code",
    "partner_company_name",
]


def csv_bytes(header, *rows) -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def xlsx_bytes(header, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def staff_table(*rows, header=STAFF_HEADER):
    return read_table(csv_bytes(header, *rows), "staff.csv")


def outlet_table(*rows, header=OUTLET_HEADER):
    return read_table(csv_bytes(header, *rows), "outlets.csv")


@pytest.fixture
def outlet(db):
    return OutletFactory(code="SZ001")


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    content = b"code,name\r\nA1,one\r\n,\r\nA2,two\r\n"
    assert read_table(content, "outlets.csv") == [
        {"_row": 2, "code": "A1", "name": "one"},
        {"_row": 4, "code": "A2", "name": "two"},
    ]


def test_headers_are_lowercased_and_spaces_become_underscores():
    content = b"Employee Number,Hire Date\r\nE1,2024-03-01\r\n"
    assert read_table(content, "staff.csv") == [
        {"_row": 2, "employee_number": "E1", "hire_date": "2024-03-01"}
    ]


def test_utf8_csv_with_chinese_headers_and_names_is_read():
    content = "工号,姓名,岗位\r\nE1,张三,前台接待\r\n".encode()
    assert read_table(content, "staff.csv") == [
        {"_row": 2, "工号": "E1", "姓名": "张三", "岗位": "前台接待"}
    ]


def test_byte_order_mark_of_excel_csv_is_not_part_of_the_first_header():
    content = b"\xef\xbb\xbf" + "工号,姓名\r\nE1,张三\r\n".encode()
    assert read_table(content, "staff.csv") == [{"_row": 2, "工号": "E1", "姓名": "张三"}]


def test_gb18030_csv_is_read():
    content = "工号,姓名\r\nE1,欧阳娜娜\r\n".encode("gb18030")
    assert read_table(content, "staff.csv") == [{"_row": 2, "工号": "E1", "姓名": "欧阳娜娜"}]


def test_semicolon_separated_csv_is_read():
    content = "code;name\r\nA1;一号网点\r\n".encode()
    assert read_table(content, "outlets.csv") == [{"_row": 2, "code": "A1", "name": "一号网点"}]


def test_doubled_quotes_after_the_sniffed_sample_are_read_as_one_quote():
    # Excel doubles a quote inside a quoted value; the row is far past the first 4096 characters.
    filler = [f"E{i},张三{i}" for i in range(400)]
    content = "\r\n".join(["code,name", *filler, 'E999,"王""五"']).encode()
    table = read_table(content, "staff.csv")
    assert table[-1] == {"_row": 402, "code": "E999", "name": '王"五'}


def test_xlsx_keeps_date_cells_and_numbers_and_numbers_rows_with_blank_rows():
    content = xlsx_bytes(
        ["工号", "姓名", "入职日期"],
        [1001, "张三", datetime.date(2024, 3, 1)],
        [None, None, None],
        ["E2", "李四", "2024/3/2"],
    )
    assert read_table(content, "员工.XLSX") == [
        {"_row": 2, "工号": 1001, "姓名": "张三", "入职日期": datetime.datetime(2024, 3, 1)},
        {"_row": 4, "工号": "E2", "姓名": "李四", "入职日期": "2024/3/2"},
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"code\r\nA1\r\n", "outlets.xls", "Unsupported file type: upload a .csv or .xlsx file."),
        (b"", "outlets.csv", "The file is empty: the first row must name the columns."),
        (b"code,name\r\n", "outlets.csv", "The file has a header but no rows under it."),
        (b"\xff\xfe\xff", "outlets.csv", "The file is not UTF-8 or GB18030 text."),
        (b"PK\x03\x04 not a zip", "outlets.xlsx", "The file is not a readable XLSX workbook."),
    ],
)
def test_unreadable_file_is_refused_as_a_whole(content, filename, message):
    with pytest.raises(ImportFileError) as raised:
        read_table(content, filename)
    assert str(raised.value) == message


def test_xlsx_with_a_header_and_only_blank_rows_is_refused_as_empty():
    content = xlsx_bytes(["工号", "姓名"], [None, None], ["", " "])
    with pytest.raises(ImportFileError) as raised:
        read_table(content, "staff.xlsx")
    assert str(raised.value) == "The file has a header but no rows under it."


def test_file_with_more_rows_than_the_limit_is_refused():
    rows = [f"A{i}" for i in range(MAX_ROWS + 1)]
    content = "\n".join(["code", *rows]).encode()
    with pytest.raises(ImportFileError) as raised:
        read_table(content, "outlets.csv")
    assert str(raised.value) == (
        "The file has more than 50000 rows; at most 50000 can be imported at once."
    )


@pytest.mark.django_db
def test_clean_staff_row_is_returned_with_typed_values(outlet):
    table = staff_table(["E1", "张三", "technician", "SZ001", "2024-03-01", "zs@example.com", ""])
    assert staff_rows_check(table) == (
        [
            {
                "row": 2,
                "employee_number": "E1",
                "name": "张三",
                "role": "technician",
                "outlet_code": "SZ001",
                "partner_company_code": None,
                "hire_date": datetime.date(2024, 3, 1),
                "email": "zs@example.com",
                "phone": "",
                "username": "e1",
                "is_active": True,
            }
        ],
        [],
    )


@pytest.mark.django_db
def test_chinese_headers_and_role_labels_are_accepted(outlet):
    table = read_table(
        csv_bytes(
            ["工号", "姓名", "岗位", "网点编码", "入职日期"],
            ["E1", "张三", "前台接待", "SZ001", "2024年3月1日"],
            ["E2", "李四", "维修技术员", "SZ001", "2024/3/2"],
        ),
        "员工.csv",
    )
    rows, errors = staff_rows_check(table)
    assert errors == []
    assert [(r["employee_number"], r["name"], r["role"], r["hire_date"]) for r in rows] == [
        ("E1", "张三", "front_desk", datetime.date(2024, 3, 1)),
        ("E2", "李四", "technician", datetime.date(2024, 3, 2)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Front desk", "front_desk"),
        ("senior_technician", "senior_technician"),
        ("网点经理", "outlet_manager"),
        ("培训讲师", "trainer"),
        ("稽核员", "auditor"),
    ],
)
def test_role_is_read_from_its_value_english_label_or_chinese_alias(outlet, text, role):
    rows, errors = staff_rows_check(
        staff_table(["E1", "张三", text, "SZ001", "2024-03-01", "", ""])
    )
    assert errors == []
    assert rows[0]["role"] == role


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["2024-03-01", "2024/3/1", "2024.03.01", "2024年3月1日", "20240301"]
)
def test_hire_date_is_read_in_the_formats_hr_systems_export(outlet, text):
    rows, errors = staff_rows_check(
        staff_table(["E1", "张三", "technician", "SZ001", text, "", ""])
    )
    assert errors == []
    assert rows[0]["hire_date"] == datetime.date(2024, 3, 1)


@pytest.mark.django_db
def test_xlsx_staff_row_with_numeric_employee_number_and_date_cell_is_clean(outlet):
    content = xlsx_bytes(
        ["工号", "姓名", "岗位", "网点编码", "入职日期"],
        [1001, "张三", "前台接待", "SZ001", datetime.date(2024, 3, 1)],
    )
    rows, errors = staff_rows_check(read_table(content, "staff.xlsx"))
    assert errors == []
    assert (rows[0]["employee_number"], rows[0]["hire_date"], rows[0]["username"]) == (
        "1001",
        datetime.date(2024, 3, 1),
        "1001",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
                ["E1", "李四", "technician", "SZ001", "2024-03-01", "", ""],
            ],
            RowError(3, "employee_number", "Duplicate employee number E1 (first on row 2)."),
            id="duplicate-employee-number",
        ),
        pytest.param(
            [["E1", "张三", "technician", "XX999", "2024-03-01", "", ""]],
            RowError(2, "outlet_code", "Unknown outlet code XX999."),
            id="unknown-outlet",
        ),
        pytest.param(
            [["E1", "张三", "technician", "SZ001", "2024-13-01", "", ""]],
            RowError(2, "hire_date", "Bad date '2024-13-01': use YYYY-MM-DD."),
            id="bad-date",
        ),
        pytest.param(
            [["E1", "张三", "店长助理", "SZ001", "2024-03-01", "", ""]],
            RowError(2, "role", "Unknown role '店长助理'."),
            id="unknown-role",
        ),
        pytest.param(
            [["E1", "", "technician", "SZ001", "2024-03-01", "", ""]],
            RowError(2, "name", "This column is required."),
            id="missing-name",
        ),
        pytest.param(
            [["E1", "张三", "technician", "SZ001", "2024-03-01", "zs@", ""]],
            RowError(2, "email", "Not an email address."),
            id="bad-email",
        ),
        pytest.param(
            [["E1", "张三", "technician", "", "2024-03-01", "", ""]],
            RowError(2, "outlet_code", "This role works at an outlet: give its code."),
            id="outlet-role-without-outlet",
        ),
        pytest.param(
            [["E1", "张三", "partner_admin", "", "2024-03-01", "", ""]],
            RowError(
                2,
                "partner_company_code",
                "A partner administrator needs the code of their partner company.",
            ),
            id="partner-admin-without-company",
        ),
        pytest.param(
            [
                ["E1", "张三", "technician", "SZ001", "2024-03-01", "", "zs"],
                ["E2", "李四", "technician", "SZ001", "2024-03-01", "", "zs"],
            ],
            RowError(3, "username", "Duplicate username zs (first on row 2)."),
            id="duplicate-username",
        ),
    ],
)
def test_bad_staff_row_is_named_with_its_column_and_reason(outlet, rows, expected):
    clean, errors = staff_rows_check(staff_table(*rows))
    assert errors == [expected]
    assert [r["row"] for r in clean] == [n for n in range(2, len(rows) + 2) if n != expected.row]


LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".com"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["E" * 33, "张三", "technician", "SZ001", "2024-03-01", "", ""],
            RowError(2, "employee_number", "Longer than 32 characters."),
            id="employee-number",
        ),
        pytest.param(
            ["E1", "张" * 151, "technician", "SZ001", "2024-03-01", "", ""],
            RowError(2, "name", "Longer than 150 characters."),
            id="name",
        ),
        pytest.param(
            ["E1", "张三", "technician", "SZ001", "2024-03-01", LONG_EMAIL, ""],
            RowError(2, "email", "Longer than 254 characters."),
            id="email",
        ),
        pytest.param(
            ["E1", "张三", "technician", "SZ001", "2024-03-01", "", "u" * 151],
            RowError(2, "username", "Longer than 150 characters."),
            id="username",
        ),
    ],
)
def test_staff_value_longer_than_its_column_is_refused(outlet, row, expected):
    assert staff_rows_check(staff_table(row)) == ([], [expected])


@pytest.mark.django_db
def test_person_on_a_closed_outlet_is_refused_unless_they_left(outlet):
    OutletFactory(code="SZ009", is_active=False)
    table = staff_table(
        ["E1", "张三", "technician", "SZ009", "2024-03-01", "在职"],
        ["E2", "李四", "technician", "SZ009", "2024-03-01", "离职"],
        header=[*STAFF_HEADER[:5], "is_active"],
    )
    clean, errors = staff_rows_check(table)
    assert errors == [RowError(2, "outlet_code", "Outlet SZ009 is closed.")]
    assert [(r["employee_number"], r["is_active"]) for r in clean] == [("E2", False)]


@pytest.mark.django_db
def test_unknown_partner_company_of_an_administrator_is_refused(outlet):
    table = staff_table(
        ["E1", "张三", "partner_admin", "", "2024-03-01", "P404"],
        header=[*STAFF_HEADER[:5], "partner_company_code"],
    )
    assert staff_rows_check(table) == (
        [],
        [RowError(2, "partner_company_code", "Unknown partner company P404.")],
    )


@pytest.mark.django_db
def test_partner_administrator_keeps_the_code_of_their_company(outlet):
    PartnerCompanyFactory(code="P001")
    table = staff_table(
        ["E1", "张三", "partner_admin", "", "2024-03-01", "P001"],
        header=[*STAFF_HEADER[:5], "partner_company_code"],
    )
    rows, errors = staff_rows_check(table)
    assert errors == []
    assert (rows[0]["outlet_code"], rows[0]["partner_company_code"]) == (None, "P001")


@pytest.mark.django_db
def test_missing_required_staff_column_is_a_file_error(outlet):
    table = staff_table(["E1", "张三", "technician", "SZ001"], header=STAFF_HEADER[:4])
    with pytest.raises(ImportFileError) as raised:
        staff_rows_check(table)
    assert str(raised.value) == "Missing required columns: hire_date."


@pytest.mark.django_db
def test_every_bad_staff_row_is_reported_not_only_the_first(outlet):
    table = staff_table(
        ["E1", "张三", "technician", "XX1", "2024-03-01", "", ""],
        ["E2", "李四", "technician", "SZ001", "2024-03-01", "", ""],
        ["E3", "王五", "boss", "SZ001", "soon", "", ""],
    )
    clean, errors = staff_rows_check(table)
    assert errors == [
        RowError(2, "outlet_code", "Unknown outlet code XX1."),
        RowError(4, "role", "Unknown role 'boss'."),
        RowError(4, "hire_date", "Bad date 'soon': use YYYY-MM-DD."),
    ]
    assert [r["employee_number"] for r in clean] == ["E2"]


@pytest.mark.django_db
def test_username_of_another_person_is_refused(outlet):
    StaffFactory(employee_number="E9", user__username="zhangsan")
    table = staff_table(["E1", "张三", "technician", "SZ001", "2024-03-01", "", "zhangsan"])
    assert staff_rows_check(table) == (
        [],
        [RowError(2, "username", "Username zhangsan belongs to another person.")],
    )


@pytest.mark.django_db
def test_username_of_an_account_without_staff_record_is_refused(outlet):
    UserFactory(username="e1")
    table = staff_table(["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""])
    assert staff_rows_check(table) == (
        [],
        [RowError(2, "username", "Username e1 belongs to another person.")],
    )


@pytest.mark.django_db
def test_employee_cannot_be_given_a_new_username_by_import(outlet):
    StaffFactory(employee_number="E1", user__username="zhang.san")
    table = staff_table(["E1", "张三", "technician", "SZ001", "2024-03-01", "", "zs"])
    assert staff_rows_check(table) == (
        [],
        [RowError(2, "username", "Employee E1 already signs in as zhang.san.")],
    )


@pytest.mark.django_db
def test_employee_keeps_their_username_when_the_file_gives_none(outlet):
    # The username an import would derive from the number belongs to someone else: it is not
    # the username this employee signs in with, so it is no conflict.
    UserFactory(username="e1")
    StaffFactory(employee_number="E1", user__username="zhang.san")
    table = staff_table(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
        ["E2", "李四", "technician", "SZ001", "2024-03-01", "", "e1x"],
    )
    rows, errors = staff_rows_check(table)
    assert errors == []
    assert [r["username"] for r in rows] == ["zhang.san", "e1x"]


@pytest.mark.django_db
def test_new_person_may_take_the_derived_username_an_existing_employee_does_not_use(outlet):
    StaffFactory(employee_number="E1", user__username="zhang.san")
    table = staff_table(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
        ["E2", "李四", "technician", "SZ001", "2024-03-01", "", "e1"],
    )
    rows, errors = staff_rows_check(table)
    assert errors == []
    assert [r["username"] for r in rows] == ["zhang.san", "e1"]


@pytest.mark.django_db
def test_only_the_row_claiming_an_employees_username_is_refused(outlet):
    StaffFactory(employee_number="E1", user__username="zhang.san")
    table = staff_table(
        ["E5", "李四", "technician", "SZ001", "2024-03-01", "", "zhang.san"],
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
    )
    clean, errors = staff_rows_check(table)
    assert errors == [RowError(2, "username", "Username zhang.san belongs to another person.")]
    assert [(r["employee_number"], r["username"]) for r in clean] == [("E1", "zhang.san")]


@pytest.mark.django_db
def test_clean_outlet_rows_are_returned_with_typed_values():
    PartnerCompanyFactory(code="P001")
    table = outlet_table(
        ["SZ001", "深圳福田直营店", "广东省", "深圳市", "一线", "直营", "", ""],
        ["HY001", "衡阳合作网点", "湖南省", "衡阳市", "3", "合作网点", "P001", ""],
    )
    rows, errors = outlet_rows_check(table)
    assert errors == []
    assert [
        (r["row"], r["code"], r["city_tier"], r["ownership"], r["partner_company_code"])
        for r in rows
    ] == [(2, "SZ001", 1, "brand", ""), (3, "HY001", 3, "partner", "P001")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["HY001", "衡阳网点", "湖南省", "衡阳市", "3", "partner", "", ""],
            RowError(
                2,
                "partner_company_code",
                "A partner outlet needs the code of its partner company.",
            ),
            id="partner-without-company",
        ),
        pytest.param(
            ["SZ001", "深圳网点", "广东省", "深圳市", "1", "brand", "P001", ""],
            RowError(
                2, "partner_company_code", "A brand-owned service centre has no partner company."
            ),
            id="brand-with-company",
        ),
        pytest.param(
            ["SZ001", "深圳网点", "广东省", "深圳市", "四线", "brand", "", ""],
            RowError(2, "city_tier", "Unknown city tier '四线': use 1, 2 or 3."),
            id="bad-city-tier",
        ),
        pytest.param(
            ["SZ001", "深圳网点", "广东省", "深圳市", "1", "franchise", "", ""],
            RowError(2, "ownership", "Unknown ownership 'franchise': use brand or partner."),
            id="bad-ownership",
        ),
        pytest.param(
            ["HY001", "衡阳网点", "湖南省", "衡阳市", "3", "partner", "P404", ""],
            RowError(
                2,
                "partner_company_code",
                "Unknown partner company P404: add its name in partner_company_name to create it.",
            ),
            id="unknown-company-without-name",
        ),
        pytest.param(
            ["SZ001", "深圳网点", "", "深圳市", "1", "brand", "", ""],
            RowError(2, "province", "This column is required."),
            id="missing-province",
        ),
    ],
)
def test_bad_outlet_row_is_named_with_its_column_and_reason(row, expected):
    PartnerCompanyFactory(code="P001")
    assert outlet_rows_check(outlet_table(row)) == ([], [expected])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["HY001", "衡阳网点", "湖南省", "衡阳市", "3", "partner", "P" * 33, "新服务商"],
            RowError(2, "partner_company_code", "Longer than 32 characters."),
            id="partner-company-code",
        ),
        pytest.param(
            ["HY001", "衡阳网点", "湖南省", "衡阳市", "3", "partner", "P900", "服" * 201],
            RowError(2, "partner_company_name", "Longer than 200 characters."),
            id="partner-company-name",
        ),
        pytest.param(
            ["HY001", "衡阳网点", "湖南省" * 17, "衡阳市", "3", "brand", "", ""],
            RowError(2, "province", "Longer than 50 characters."),
            id="province",
        ),
    ],
)
def test_outlet_value_longer_than_its_column_is_refused(row, expected):
    assert outlet_rows_check(outlet_table(row)) == ([], [expected])


@pytest.mark.django_db
def test_duplicate_outlet_code_names_the_first_row():
    table = outlet_table(
        ["SZ001", "深圳一号", "广东省", "深圳市", "1", "brand", "", ""],
        ["SZ001", "深圳二号", "广东省", "深圳市", "1", "brand", "", ""],
    )
    clean, errors = outlet_rows_check(table)
    assert errors == [RowError(3, "code", "Duplicate outlet code SZ001 (first on row 2).")]
    assert [r["row"] for r in clean] == [2]


@pytest.mark.django_db
def test_missing_required_outlet_column_is_a_file_error():
    table = outlet_table(["SZ001", "深圳网点"], header=["code", "name"])
    with pytest.raises(ImportFileError) as raised:
        outlet_rows_check(table)
    assert str(raised.value) == ("Missing required columns: province, city, city_tier, ownership.")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["张\x00三", "张三\x1b[31m", "\u202e三张", "Li\x07"])
def test_control_characters_in_a_name_are_a_row_error(outlet, bad):
    table = staff_table(["E1", bad, "technician", "SZ001", "2024-03-01", "", ""])

    rows, errors = staff_rows_check(table)

    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "name")]
    assert "control character" in errors[0].message


@pytest.mark.django_db
def test_a_control_character_in_an_outlet_name_is_a_row_error(db):
    table = outlet_table(["SZ9", "网点\x00", "广东省", "深圳市", "1", "brand", "", ""])

    rows, errors = outlet_rows_check(table)

    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "name")]


def test_an_xlsx_of_too_many_rows_is_refused_while_it_is_read(monkeypatch):
    import network.imports as imports

    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    content = xlsx_bytes(STAFF_HEADER, *[[f"E{n}", "张三", "technician"] for n in range(2000)])

    with pytest.raises(ImportFileError, match="more than 5 rows"):
        read_table(content, "staff.xlsx")


def test_a_csv_of_too_many_rows_is_refused_while_it_is_read(monkeypatch):
    import network.imports as imports

    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    content = csv_bytes(STAFF_HEADER, *[[f"E{n}", "张三", "technician"] for n in range(50)])

    with pytest.raises(ImportFileError, match="more than 5 rows"):
        read_table(content, "staff.csv")


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_parsed(monkeypatch):
    import network.imports as imports

    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED_BYTES", 1024)
    content = xlsx_bytes(STAFF_HEADER, ["E1", "张三", "technician"])

    with pytest.raises(ImportFileError, match="unpacks to"):
        read_table(content, "staff.xlsx")


@pytest.mark.django_db
def test_the_file_is_parsed_outside_any_transaction(monkeypatch, outlet):
    from django.db import connection

    import network.imports as imports
    from network import services

    seen = []
    real = imports.read_table
    outside = len(connection.atomic_blocks)  # the test's own transaction

    def spy(content, filename):
        seen.append(len(connection.atomic_blocks) - outside)
        return real(content, filename)

    monkeypatch.setattr(services, "read_table", spy)
    content = csv_bytes(STAFF_HEADER, ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""])

    report = services.network_file_import(
        kind="staff", content=content, filename="staff.csv", apply=False
    )

    assert report.ok
    assert seen == [0]
