import datetime
import io
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from network.imports import RowError
from network.models import ImportBatch, Outlet, PartnerCompany, Staff, StaffAssignment
from network.services import import_batch_confirm, import_batch_run, network_file_import
from tests.factories.network import OutletFactory, PartnerCompanyFactory, StaffFactory, UserFactory

User = get_user_model()

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
HIRED = datetime.date(2024, 3, 1)


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


def staff_file_import(*rows, apply=True, header=STAFF_HEADER):
    return network_file_import(
        kind="staff",
        content=csv_bytes(header, *rows),
        filename="staff.csv",
        apply=apply,
    )


def outlet_file_import(*rows, apply=True):
    return network_file_import(
        kind="outlets", content=csv_bytes(OUTLET_HEADER, *rows), filename="outlets.csv", apply=apply
    )


def network_state() -> dict:
    """Return what an import may write, to compare before and after."""
    return {
        "companies": PartnerCompany.objects.count(),
        "outlets": Outlet.objects.count(),
        "outlets_updated": Outlet.objects.aggregate(m=Max("updated_at"))["m"],
        "users": User.objects.count(),
        "staff": Staff.objects.count(),
        "staff_updated": Staff.objects.aggregate(m=Max("updated_at"))["m"],
        "assignments": StaffAssignment.objects.count(),
        "open_assignments": StaffAssignment.objects.filter(ended_on__isnull=True).count(),
        "memberships": User.groups.through.objects.count(),
    }


def counts(report) -> tuple:
    return (report.created, report.updated, report.unchanged)


@pytest.fixture
def outlets(db):
    return {
        "SZ001": OutletFactory(code="SZ001", name="深圳福田直营店"),
        "SZ002": OutletFactory(code="SZ002", name="深圳南山直营店"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        pytest.param(
            ["E1", "张三重复", "technician", "SZ001", "2024-03-01", "", ""],
            RowError(4, "employee_number", "Duplicate employee number E1 (first on row 2)."),
            id="duplicate-employee-number",
        ),
        pytest.param(
            ["E3", "王五", "technician", "XX999", "2024-03-01", "", ""],
            RowError(4, "outlet_code", "Unknown outlet code XX999."),
            id="unknown-outlet",
        ),
        pytest.param(
            ["E3", "王五", "technician", "SZ001", "2024-02-30", "", ""],
            RowError(4, "hire_date", "Bad date '2024-02-30': use YYYY-MM-DD."),
            id="bad-date",
        ),
        pytest.param(
            ["E3", "王五", "店长助理", "SZ001", "2024-03-01", "", ""],
            RowError(4, "role", "Unknown role '店长助理'."),
            id="unknown-role",
        ),
        pytest.param(
            ["E3", "王五", "technician", "SZ001", "2024-03-01", "wangwu.example.com", ""],
            RowError(4, "email", "Not an email address."),
            id="bad-email",
        ),
        pytest.param(
            ["E3", "王五", "technician", "SZ001", "2024-03-01", "", "admin"],
            RowError(4, "username", "Username admin belongs to another person."),
            id="username-of-another-person",
        ),
        pytest.param(
            ["", "王五", "technician", "SZ001", "2024-03-01", "", "wangwu"],
            RowError(4, "employee_number", "This column is required."),
            id="missing-employee-number",
        ),
        pytest.param(
            ["E3", "王五", "", "SZ001", "2024-03-01", "", ""],
            RowError(4, "role", "This column is required."),
            id="missing-role",
        ),
    ],
)
def test_staff_file_with_one_bad_row_imports_nothing_and_names_it(outlets, bad_row, expected):
    UserFactory(username="admin")
    before = network_state()
    report = staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
        ["E2", "李四", "front_desk", "SZ002", "2024-03-01", "", ""],
        bad_row,
    )
    assert report.errors == [expected]
    assert (report.ok, report.applied, report.total_rows) == (False, False, 3)
    assert counts(report) == (0, 0, 0)
    assert network_state() == before


@pytest.mark.django_db
def test_staff_file_without_a_required_column_imports_nothing(outlets):
    before = network_state()
    report = staff_file_import(
        ["E1", "张三", "technician", "SZ001"], header=STAFF_HEADER[:3] + ["outlet_code"]
    )
    assert report.errors == [RowError(0, "", "Missing required columns: hire_date.")]
    assert (report.ok, report.applied) == (False, False)
    assert network_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        pytest.param(
            ["HY002", "衡阳二号", "湖南省", "衡阳市", "3", "partner", "", ""],
            RowError(
                3,
                "partner_company_code",
                "A partner outlet needs the code of its partner company.",
            ),
            id="partner-without-company",
        ),
        pytest.param(
            ["SZ009", "深圳九号", "广东省", "深圳市", "1", "brand", "P001", ""],
            RowError(
                3, "partner_company_code", "A brand-owned service centre has no partner company."
            ),
            id="brand-with-company",
        ),
        pytest.param(
            ["SZ009", "深圳九号", "广东省", "深圳市", "tier 4", "brand", "", ""],
            RowError(3, "city_tier", "Unknown city tier 'tier 4': use 1, 2 or 3."),
            id="bad-city-tier",
        ),
        pytest.param(
            ["SZ009", "", "广东省", "深圳市", "1", "brand", "", ""],
            RowError(3, "name", "This column is required."),
            id="missing-name",
        ),
    ],
)
def test_outlet_file_with_one_bad_row_imports_nothing_and_names_it(db, bad_row, expected):
    PartnerCompanyFactory(code="P001")
    before = network_state()
    report = outlet_file_import(
        ["HY001", "衡阳一号", "湖南省", "衡阳市", "3", "partner", "P900", "衡阳新服务商"], bad_row
    )
    assert report.errors == [expected]
    assert (report.ok, report.applied) == (False, False)
    assert network_state() == before
    assert not PartnerCompany.objects.filter(code="P900").exists()


@pytest.mark.django_db
def test_dry_run_reports_every_bad_row_and_writes_nothing(outlets):
    before = network_state()
    report = staff_file_import(
        ["E1", "张三", "technician", "XX1", "2024-03-01", "", ""],
        ["E2", "李四", "technician", "SZ001", "2024-03-01", "", ""],
        ["E3", "王五", "boss", "SZ001", "2024-03-01", "", ""],
        ["E1", "赵六", "technician", "SZ001", "2024-03-01", "", ""],
        apply=False,
    )
    assert report.errors == [
        RowError(2, "outlet_code", "Unknown outlet code XX1."),
        RowError(4, "role", "Unknown role 'boss'."),
        RowError(5, "employee_number", "Duplicate employee number E1 (first on row 2)."),
    ]
    assert (report.ok, report.applied, report.total_rows) == (False, False, 4)
    # A file that cannot be imported has nothing to count.
    assert counts(report) == (0, 0, 0)
    assert network_state() == before


@pytest.mark.django_db
def test_dry_run_of_a_clean_file_counts_changes_without_writing(outlets):
    StaffFactory(
        employee_number="E1",
        user__username="e1",
        user__first_name="张三",
        user__email="",
        outlet=outlets["SZ001"],
        hire_date=HIRED,
    )
    StaffFactory(
        employee_number="E2",
        user__username="e2",
        user__first_name="李四",
        user__email="",
        outlet=outlets["SZ001"],
        hire_date=HIRED,
    )
    before = network_state()
    report = staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
        ["E2", "李四", "technician", "SZ002", "2024-03-01", "", ""],
        ["E3", "王五", "trainer", "", "2024-03-01", "", ""],
        ["E4", "赵六", "front_desk", "SZ002", "2024-03-01", "", ""],
        apply=False,
    )
    assert report.errors == []
    assert (report.ok, report.applied, report.total_rows) == (True, False, 4)
    assert counts(report) == (2, 1, 1)
    assert network_state() == before
    assert Staff.objects.get(employee_number="E2").outlet == outlets["SZ001"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dry_run_outside_a_transaction_commits_nothing(outlets):
    before = network_state()
    report = staff_file_import(
        ["E1", "张三", "trainer", "SZ001", "2024-03-01", "", ""], apply=False
    )
    assert counts(report) == (1, 0, 0)
    assert network_state() == before
    assert not connection.in_atomic_block


def _big_staff_file(size: int, bad_row: int | None = None) -> bytes:
    roles = ["technician", "front_desk", "senior_technician", "outlet_manager"]
    rows = [
        [f"E{n:05d}", f"员工{n}", roles[n % 4], f"SZ00{n % 2 + 1}", "2024-03-01", "", ""]
        for n in range(size)
    ]
    if bad_row is not None:
        rows[bad_row - 2][3] = "XX999"  # the header is row 1
    return csv_bytes(STAFF_HEADER, *rows)


@pytest.mark.django_db
def test_ten_thousand_people_are_imported_with_bulk_writes(outlets):
    content = _big_staff_file(10_000)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = network_file_import(
            kind="staff", content=content, filename="staff.csv", apply=True
        )
    elapsed = time.perf_counter() - started
    print(f"10,000 rows imported in {elapsed:.2f} s with {len(queries)} queries")
    assert report.errors == []
    assert (report.applied, report.total_rows) == (True, 10_000)
    assert counts(report) == (10_000, 0, 0)
    # Bulk writes: a query for hundreds of rows, never one per row.
    assert len(queries) < 500
    assert Staff.objects.count() == 10_000
    assert User.objects.filter(staff__isnull=False).count() == 10_000
    assert StaffAssignment.objects.filter(ended_on__isnull=True, started_on=HIRED).count() == 10_000
    assert Staff.objects.filter(outlet=outlets["SZ002"], role="front_desk").count() == 2_500


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_thousand_people_are_checked_and_written_in_one_transaction(outlets):
    transactions, statements, begins = [], [], []

    def record_transaction(execute, sql, params, many, context):
        if sql.startswith("BEGIN"):
            # SQLite opens a transaction with a statement (BEGIN IMMEDIATE), PostgreSQL does not.
            begins.append(sql)
        else:
            blocks = connection.atomic_blocks
            transactions.append(blocks[0] if blocks else None)
            statements.append(sql.split(" ", 1)[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record_transaction):
        report = network_file_import(
            kind="staff", content=_big_staff_file(10_000), filename="staff.csv", apply=True
        )

    assert counts(report) == (10_000, 0, 0)
    assert len(begins) == (1 if connection.vendor == "sqlite" else 0)
    assert {"SELECT", "INSERT"} <= set(statements)
    assert transactions[0] is not None
    assert all(t is transactions[0] for t in transactions)
    assert Staff.objects.count() == 10_000


@pytest.mark.django_db
def test_bad_row_near_the_end_of_ten_thousand_imports_nothing(outlets):
    before = network_state()
    report = network_file_import(
        kind="staff",
        content=_big_staff_file(10_000, bad_row=9_999),
        filename="staff.csv",
        apply=True,
    )
    assert report.errors == [RowError(9_999, "outlet_code", "Unknown outlet code XX999.")]
    assert report.applied is False
    assert network_state() == before


@pytest.mark.django_db
def test_failure_on_the_last_write_rolls_back_every_write_of_the_import(outlets):
    # The database refuses the import's last statement (the group memberships of the trainers):
    # the users, staff and assignments written before it go too, as they share one transaction.
    refused = []

    def refuse_group_memberships(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "auth_user_groups"'):
            refused.append(sql)
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    rows = [
        [f"E{n:04d}", f"员工{n}", "trainer" if n % 10 == 0 else "technician", "SZ001"]
        for n in range(1_000)
    ]
    before = network_state()
    with connection.execute_wrapper(refuse_group_memberships), pytest.raises(DatabaseError):
        network_file_import(
            kind="staff",
            content=csv_bytes(STAFF_HEADER[:5], *([*row, "2024-03-01"] for row in rows)),
            filename="staff.csv",
            apply=True,
        )
    assert len(refused) == 1
    assert network_state() == before


@pytest.mark.django_db
def test_people_are_linked_right_on_a_database_that_returns_no_ids_from_bulk_inserts(outlets):
    features = type(connection.features)
    with mock.patch.object(features, "can_return_rows_from_bulk_insert", False):
        report = staff_file_import(
            ["E1", "张三", "trainer", "SZ001", "2024-03-01", "", ""],
            ["E2", "李四", "technician", "SZ002", "2024-03-01", "", ""],
        )
    assert counts(report) == (2, 0, 0)
    assert list(
        StaffAssignment.objects.order_by("staff__employee_number").values_list(
            "staff__employee_number", "staff__user__username", "outlet__code"
        )
    ) == [("E1", "e1", "SZ001"), ("E2", "e2", "SZ002")]
    assert list(
        User.objects.filter(groups__name="Trainers").values_list("username", flat=True)
    ) == ["e1"]


@pytest.mark.django_db
def test_reimporting_the_same_staff_file_changes_nothing(outlets):
    rows = [
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "zs@example.com", ""],
        ["E2", "李四", "trainer", "", "2024-03-01", "", "lisi"],
        ["E3", "王五", "partner_admin", "", "2024-03-01", "", ""],
    ]
    PartnerCompanyFactory(code="P001")
    header = [*STAFF_HEADER, "partner_company_code"]
    rows = [[*row, "P001" if row[2] == "partner_admin" else ""] for row in rows]
    first = staff_file_import(*rows, header=header)
    assert counts(first) == (3, 0, 0)
    after_first = network_state()

    second = staff_file_import(*rows, header=header)

    assert second.errors == []
    assert second.applied is True
    assert counts(second) == (0, 0, 3)
    assert network_state() == after_first


@pytest.mark.django_db
def test_reimporting_the_same_outlet_file_changes_nothing(db):
    rows = [
        ["SZ001", "深圳福田直营店", "广东省", "深圳市", "1", "直营", "", ""],
        ["HY001", "衡阳合作网点", "湖南省", "衡阳市", "三线", "合作网点", "P900", "衡阳服务商"],
    ]
    first = outlet_file_import(*rows)
    assert counts(first) == (2, 0, 0)
    after_first = network_state()

    second = outlet_file_import(*rows)

    assert second.errors == []
    assert counts(second) == (0, 0, 2)
    assert network_state() == after_first


@pytest.mark.django_db
def test_outlet_import_creates_the_partner_company_it_names(db):
    report = outlet_file_import(
        ["HY001", "衡阳一号", "湖南省", "衡阳市", "3", "partner", "P900", "衡阳新服务商有限公司"],
        ["HY002", "衡阳二号", "湖南省", "衡阳市", "3", "partner", "P900", ""],
    )
    assert report.errors == []
    assert counts(report) == (2, 0, 0)
    company = PartnerCompany.objects.get()
    assert (company.code, company.name) == ("P900", "衡阳新服务商有限公司")
    assert list(Outlet.objects.values_list("code", "ownership", "partner_company__code")) == [
        ("HY001", "partner", "P900"),
        ("HY002", "partner", "P900"),
    ]


@pytest.mark.django_db
def test_outlet_reimport_with_a_changed_value_updates_only_that_outlet(db):
    rows = [
        ["SZ001", "深圳福田直营店", "广东省", "深圳市", "1", "brand", "", ""],
        ["SZ002", "深圳南山直营店", "广东省", "深圳市", "1", "brand", "", ""],
    ]
    outlet_file_import(*rows)
    untouched = Outlet.objects.get(code="SZ002").updated_at
    rows[0][1] = "深圳福田旗舰店"

    report = outlet_file_import(*rows)

    assert counts(report) == (0, 1, 1)
    assert Outlet.objects.get(code="SZ001").name == "深圳福田旗舰店"
    assert Outlet.objects.get(code="SZ002").updated_at == untouched


@pytest.mark.django_db
def test_moving_a_person_closes_the_old_assignment_and_opens_a_new_one(outlets):
    staff_file_import(["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""])
    today = timezone.localdate()

    report = staff_file_import(["E1", "张三", "technician", "SZ002", "2024-03-01", "", ""])

    assert counts(report) == (0, 1, 0)
    staff = Staff.objects.get(employee_number="E1")
    assert staff.outlet == outlets["SZ002"]
    assert list(
        staff.assignments.order_by("pk").values_list(
            "outlet__code", "role", "started_on", "ended_on"
        )
    ) == [
        ("SZ001", "technician", HIRED, today),
        ("SZ002", "technician", today, None),
    ]


@pytest.mark.django_db
def test_role_change_closes_the_old_assignment_and_opens_a_new_one(outlets):
    staff_file_import(["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""])
    today = timezone.localdate()

    report = staff_file_import(["E1", "张三", "outlet_manager", "SZ001", "2024-03-01", "", ""])

    assert counts(report) == (0, 1, 0)
    assert list(
        StaffAssignment.objects.order_by("pk").values_list("role", "started_on", "ended_on")
    ) == [("technician", HIRED, today), ("outlet_manager", today, None)]


@pytest.mark.django_db
def test_changed_name_updates_the_person_without_a_new_assignment(outlets):
    StaffFactory(
        employee_number="E1",
        user__username="zhang.san",
        user__first_name="张",
        user__last_name="三",
        user__email="",
        outlet=outlets["SZ001"],
        hire_date=HIRED,
    )

    report = staff_file_import(["E1", "张叁", "technician", "SZ001", "2024-03-01", "", ""])

    assert counts(report) == (0, 1, 0)
    staff = Staff.objects.select_related("user").get()
    assert (staff.name, staff.user.username) == ("张叁", "zhang.san")
    assert StaffAssignment.objects.count() == 1


@pytest.mark.django_db
def test_person_who_left_is_deactivated_and_cannot_sign_in(outlets):
    header = [*STAFF_HEADER, "is_active"]
    staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", "", "在职"], header=header
    )

    report = staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "", "", "离职"], header=header
    )

    assert counts(report) == (0, 1, 0)
    staff = Staff.objects.select_related("user").get()
    assert (staff.is_active, staff.user.is_active) == (False, False)


@pytest.mark.django_db
def test_imported_people_get_no_usable_password(outlets):
    staff_file_import(["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""])
    assert User.objects.get(username="e1").has_usable_password() is False


@pytest.mark.django_db
def test_trainers_and_auditors_land_in_their_admin_groups(outlets):
    staff_file_import(
        ["E1", "张三", "培训讲师", "", "2024-03-01", "", ""],
        ["E2", "李四", "稽核员", "", "2024-03-01", "", ""],
        ["E3", "王五", "technician", "SZ001", "2024-03-01", "", ""],
    )
    memberships = User.groups.through.objects.order_by("user__username").values_list(
        "user__username", "group__name"
    )
    assert list(memberships) == [("e1", "Trainers"), ("e2", "Auditors")]


@pytest.mark.django_db
def test_role_change_away_from_trainer_removes_the_group(outlets):
    staff_file_import(["E1", "张三", "trainer", "", "2024-03-01", "", ""])
    assert list(User.objects.get(username="e1").groups.values_list("name", flat=True)) == [
        "Trainers"
    ]

    staff_file_import(["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""])

    assert list(User.objects.get(username="e1").groups.all()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "content"),
    [
        pytest.param(
            "员工.csv",
            "工号,姓名,岗位,网点编码,入职日期\r\nE1,张三,前台接待,SZ001,2024-03-01\r\n"
            "E2,欧阳娜娜,维修技术员,SZ002,2024/3/1\r\n".encode(),
            id="utf-8",
        ),
        pytest.param(
            "员工.csv",
            b"\xef\xbb\xbf"
            + "工号,姓名,岗位,网点编码,入职日期\r\nE1,张三,前台接待,SZ001,2024-03-01\r\n"
            "E2,欧阳娜娜,维修技术员,SZ002,2024/3/1\r\n".encode(),
            id="utf-8-with-bom",
        ),
        pytest.param(
            "员工.csv",
            "工号,姓名,岗位,网点编码,入职日期\r\nE1,张三,前台接待,SZ001,2024-03-01\r\n"
            "E2,欧阳娜娜,维修技术员,SZ002,2024/3/1\r\n".encode("gb18030"),
            id="gb18030",
        ),
        pytest.param(
            "员工.xlsx",
            xlsx_bytes(
                ["工号", "姓名", "岗位", "网点编码", "入职日期"],
                ["E1", "张三", "前台接待", "SZ001", datetime.date(2024, 3, 1)],
                ["E2", "欧阳娜娜", "维修技术员", "SZ002", datetime.datetime(2024, 3, 1)],
            ),
            id="xlsx",
        ),
    ],
)
def test_chinese_staff_file_is_imported_in_every_encoding_hr_exports(outlets, filename, content):
    report = network_file_import(kind="staff", content=content, filename=filename, apply=True)
    assert report.errors == []
    assert counts(report) == (2, 0, 0)
    people = Staff.objects.select_related("user", "outlet").order_by("employee_number")
    assert [(s.employee_number, s.name, s.role, s.outlet.code, s.hire_date) for s in people] == [
        ("E1", "张三", "front_desk", "SZ001", HIRED),
        ("E2", "欧阳娜娜", "technician", "SZ002", HIRED),
    ]


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(outlets, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(
        csv_bytes(STAFF_HEADER, ["E1", "张三", "技术员", "SZ001", "2024-03-01", "", ""])
    )
    before = network_state()

    call_command("import_network", "staff", str(path), "--dry-run")

    assert capsys.readouterr().out == (
        "Checked (dry run, nothing written): 1 rows: 1 new, 0 changed, 0 unchanged.\n"
    )
    assert network_state() == before


@pytest.mark.django_db
def test_command_refuses_a_bad_file_naming_the_row(outlets, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(
        csv_bytes(
            STAFF_HEADER,
            ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""],
            ["E2", "李四", "technician", "XX999", "2024-03-01", "", ""],
        )
    )
    before = network_state()

    with pytest.raises(CommandError) as raised:
        call_command("import_network", "staff", str(path))

    assert str(raised.value) == (
        "1 problem; nothing was imported. (2 rows: 0 new, 0 changed, 0 unchanged)"
    )
    assert capsys.readouterr().err == "row 3, column outlet_code: Unknown outlet code XX999.\n"
    assert network_state() == before


@pytest.mark.django_db
def test_command_names_a_file_level_error(outlets, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(["employee_number", "name"], ["E1", "张三"]))

    with pytest.raises(CommandError):
        call_command("import_network", "staff", str(path))

    assert capsys.readouterr().err == "file: Missing required columns: role, hire_date.\n"
    assert Staff.objects.count() == 0


@pytest.mark.django_db
def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("import_network", "outlets", str(tmp_path / "none.csv"))
    assert str(raised.value) == f"No such file: {tmp_path / 'none.csv'}"


@pytest.mark.django_db
def test_command_imports_a_clean_file(outlets, tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(
        xlsx_bytes(
            ["工号", "姓名", "岗位", "网点编码", "入职日期"],
            ["E1", "张三", "前台接待", "SZ001", datetime.date(2024, 3, 1)],
            ["E2", "李四", "维修技术员", "SZ002", datetime.date(2024, 3, 1)],
        )
    )

    call_command("import_network", "staff", str(path))

    assert capsys.readouterr().out == "Imported: 2 rows: 2 new, 0 changed, 0 unchanged.\n"
    assert list(Staff.objects.values_list("employee_number", "outlet__code")) == [
        ("E1", "SZ001"),
        ("E2", "SZ002"),
    ]
    assert StaffAssignment.objects.count() == 2


@pytest.mark.django_db
def test_import_batch_is_checked_then_imported_once(outlets):
    uploader = UserFactory()
    batch = ImportBatch.objects.create(
        kind="staff",
        file=ContentFile(
            csv_bytes(STAFF_HEADER, ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""]),
            name="staff.csv",
        ),
        original_name="staff.csv",
        uploaded_by=uploader,
    )

    checked = import_batch_run(batch_id=batch.pk, apply=False)
    assert checked.status == "valid"
    assert (checked.report["ok"], checked.report["created"], checked.report["applied"]) == (
        True,
        1,
        False,
    )
    assert Staff.objects.count() == 0

    import_batch_confirm(batch=checked, actor=uploader)
    imported = import_batch_run(batch_id=batch.pk, apply=True)
    again = import_batch_run(batch_id=batch.pk, apply=True)

    assert (imported.status, again.status) == ("imported", "imported")
    assert imported.report["applied"] is True
    assert Staff.objects.count() == 1
    assert StaffAssignment.objects.get().changed_by == uploader


@pytest.mark.django_db
def test_import_batch_with_a_bad_row_cannot_be_confirmed(outlets):
    uploader = UserFactory()
    batch = ImportBatch.objects.create(
        kind="staff",
        file=ContentFile(
            csv_bytes(STAFF_HEADER, ["E1", "张三", "technician", "XX1", "2024-03-01", "", ""]),
            name="staff.csv",
        ),
        original_name="staff.csv",
        uploaded_by=uploader,
    )

    checked = import_batch_run(batch_id=batch.pk, apply=False)

    assert checked.status == "invalid"
    assert checked.report["errors"] == [
        {"row": 2, "column": "outlet_code", "message": "Unknown outlet code XX1."}
    ]
    with pytest.raises(ValueError, match="Only a checked batch without errors can be imported."):
        import_batch_confirm(batch=checked, actor=uploader)
    assert import_batch_run(batch_id=batch.pk, apply=True).status == "invalid"
    assert Staff.objects.count() == 0


@pytest.mark.django_db
def test_check_delivered_again_after_confirmation_does_not_undo_it(outlets):
    uploader = UserFactory()
    batch = ImportBatch.objects.create(
        kind="staff",
        file=ContentFile(
            csv_bytes(STAFF_HEADER, ["E1", "张三", "technician", "SZ001", "2024-03-01", "", ""]),
            name="staff.csv",
        ),
        original_name="staff.csv",
        uploaded_by=uploader,
    )
    import_batch_confirm(batch=import_batch_run(batch_id=batch.pk, apply=False), actor=uploader)

    rechecked = import_batch_run(batch_id=batch.pk, apply=False)
    imported = import_batch_run(batch_id=batch.pk, apply=True)

    assert (rechecked.status, imported.status) == ("importing", "imported")
    assert Staff.objects.count() == 1


STATUS_HEADER = ["employee_number", "name", "role", "outlet_code", "hire_date", "is_active"]


@pytest.mark.django_db
def test_reimport_marking_a_person_gone_closes_their_assignment_and_opens_none(outlets):
    staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "是"], header=STATUS_HEADER
    )
    staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "离职"], header=STATUS_HEADER
    )
    history = list(StaffAssignment.objects.filter(staff__employee_number="E1").values_list(
        "outlet__code", "ended_on"
    ))  # fmt: skip
    assert history == [("SZ001", timezone.localdate())]
    assert not Staff.objects.get(employee_number="E1").is_active


@pytest.mark.django_db
def test_reimport_bringing_a_person_back_opens_a_new_assignment(outlets):
    staff_file_import(
        ["E1", "张三", "technician", "SZ001", "2024-03-01", "否"], header=STATUS_HEADER
    )
    staff_file_import(
        ["E1", "张三", "technician", "SZ002", "2024-03-01", "是"], header=STATUS_HEADER
    )
    rows = StaffAssignment.objects.filter(staff__employee_number="E1").order_by("pk")
    assert [(a.outlet.code, a.ended_on is None) for a in rows] == [
        ("SZ001", False),
        ("SZ002", True),
    ]


@pytest.mark.django_db
def test_a_deactivated_trainer_leaves_the_admin_group(outlets):
    staff_file_import(["T1", "李老师", "trainer", "", "2020-01-01", "是"], header=STATUS_HEADER)
    trainer = User.objects.get(username="t1")
    assert list(trainer.groups.values_list("name", flat=True)) == ["Trainers"]
    staff_file_import(["T1", "李老师", "trainer", "", "2020-01-01", "否"], header=STATUS_HEADER)
    assert not trainer.groups.exists()


@pytest.mark.django_db
def test_a_senior_trainer_moved_to_another_role_loses_the_senior_trainers_group(outlets):
    from django.contrib.auth.models import Group

    from network.services import staff_move

    staff_file_import(["T1", "李老师", "trainer", "", "2020-01-01", "是"], header=STATUS_HEADER)
    trainer = Staff.objects.get(employee_number="T1")
    senior = Group.objects.get(name="Senior trainers")
    trainer.user.groups.add(senior)
    staff_file_import(["T1", "李老师", "trainer", "", "2020-01-02", "是"], header=STATUS_HEADER)
    assert set(trainer.user.groups.values_list("name", flat=True)) == {
        "Trainers",
        "Senior trainers",
    }
    staff_move(staff=trainer, outlet=outlets["SZ001"], role="outlet_manager", actor=None)
    assert not trainer.user.groups.exists()
