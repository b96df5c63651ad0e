"""
Reading and checking the outlet and staff files that HR systems export (CSV or XLSX).

Nothing here writes: `outlet_rows_check` and `staff_rows_check` turn a table into clean rows or a
list of errors naming row, column and reason; `network.services` writes the clean rows.
"""

import csv
import datetime
import io
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from core.phones import phone_normalise
from core.text import has_control_characters

from .models import OUTLET_ROLES, Outlet, Ownership, Role

MAX_ROWS = 50_000
# What an XLSX file may unpack to: 50,000 rows of an HR export are some tens of megabytes.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


# Canonical column -> accepted headers (English and the Chinese an HR export uses).
OUTLET_COLUMNS = {
    "code": ("code", "outlet_code", "网点编码", "网点代码"),
    "name": ("name", "outlet_name", "网点名称", "名称"),
    "name_en": ("name_en", "english_name", "英文名称"),
    "province": ("province", "省份", "省"),
    "city": ("city", "城市"),
    "city_tier": ("city_tier", "tier", "城市级别", "城市等级"),
    "ownership": ("ownership", "网点类型", "类型"),
    "partner_company_code": ("partner_company_code", "partner_code", "服务商编码"),
    "partner_company_name": ("partner_company_name", "partner_name", "服务商名称"),
    "address": ("address", "地址"),
    "is_active": ("is_active", "active", "是否有效", "状态"),
}
OUTLET_REQUIRED = ("code", "name", "province", "city", "city_tier", "ownership")

STAFF_COLUMNS = {
    "employee_number": ("employee_number", "employee_no", "工号", "员工编号"),
    "name": ("name", "full_name", "姓名"),
    "role": ("role", "岗位", "角色"),
    "outlet_code": ("outlet_code", "outlet", "网点编码"),
    "partner_company_code": ("partner_company_code", "partner_code", "服务商编码"),
    "hire_date": ("hire_date", "入职日期"),
    "email": ("email", "邮箱", "电子邮箱"),
    "phone": ("phone", "mobile", "手机", "手机号"),
    "username": ("username", "login", "登录名"),
    "is_active": ("is_active", "active", "在职", "状态"),
}
STAFF_REQUIRED = ("employee_number", "name", "role", "hire_date")

_TRUE = {"", "1", "true", "yes", "y", "t", "是", "在职", "有效", "active", "启用"}
_FALSE = {"0", "false", "no", "n", "f", "否", "离职", "无效", "inactive", "停用"}
_TIERS = {
    "1": 1, "一线": 1, "tier 1": 1, "tier1": 1,
    "2": 2, "二线": 2, "tier 2": 2, "tier2": 2,
    "3": 3, "3+": 3, "三线": 3, "三线及以下": 3, "tier 3": 3, "tier3": 3, "tier 3+": 3,
}  # fmt: skip
_OWNERSHIP = {
    "brand": Ownership.BRAND, "brand-owned": Ownership.BRAND, "直营": Ownership.BRAND,
    "直营服务中心": Ownership.BRAND, "partner": Ownership.PARTNER, "合作": Ownership.PARTNER,
    "合作网点": Ownership.PARTNER, "授权服务商": Ownership.PARTNER, "授权": Ownership.PARTNER,
}  # fmt: skip
_ROLE_ALIASES = {
    "前台": Role.FRONT_DESK, "前台接待": Role.FRONT_DESK, "front desk": Role.FRONT_DESK,
    "技术员": Role.TECHNICIAN, "维修技术员": Role.TECHNICIAN, "维修工程师": Role.TECHNICIAN,
    "高级技术员": Role.SENIOR_TECHNICIAN, "网点经理": Role.OUTLET_MANAGER,
    "服务商管理员": Role.PARTNER_ADMIN, "培训讲师": Role.TRAINER, "讲师": Role.TRAINER,
    "稽核": Role.AUDITOR, "稽核员": Role.AUDITOR, "质量监督": Role.AUDITOR,
}  # fmt: skip
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _role_lookup() -> dict[str, str]:
    lookup = {key: value.value for key, value in _ROLE_ALIASES.items()}
    for role in Role:
        lookup[role.value] = role.value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[str(role.label).lower()] = role.value
    return lookup


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel
    return str(value).strip()


def read_table(content: bytes, filename: str) -> list[dict[str, object]]:
    """
    Return the data rows of a CSV or XLSX file as dicts keyed by header, each with `_row`, its
    row number as a spreadsheet shows it (the header is row 1).
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Unsupported file type: upload a .csv or .xlsx file."))
    if not rows:
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    header = [_text(h).lower().replace(" ", "_") for h in rows[0]]
    table = []
    for number, values in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue
        record: dict[str, object] = {"_row": number}
        for index, key in enumerate(header):
            if key:
                record[key] = values[index] if index < len(values) else None
        table.append(record)
    if not table:
        # The columns are read from the records: without one, every column would seem missing.
        raise ImportFileError(_("The file has a header but no rows under it."))
    if len(table) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(max)s can be imported at once.")
            % {"count": len(table), "max": MAX_ROWS}
        )
    return table


def _read_csv(content: bytes) -> list[list[str]]:
    # utf-8-sig takes Excel's byte order mark off the first header as well as plain UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is not UTF-8 or GB18030 text."))
    # Only the delimiter is sniffed: the sniffer guesses quoting from the sample alone, and a
    # doubled quote after it would then be read as two.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows, filled = [], 0
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if any(v.strip() for v in row):
            filled += 1
            if filled > MAX_ROWS + 1:  # the header, then MAX_ROWS rows
                raise _too_many_rows()
        rows.append(row)
    return rows


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows; at most %(max)s can be imported at once.")
        % {"max": MAX_ROWS}
    )


def _read_xlsx(content: bytes) -> list[list[object]]:
    """
    The rows of the first sheet, read as a stream: a workbook that unpacks to more than
    MAX_UNCOMPRESSED_BYTES is refused before it is parsed, and reading stops at the first row
    past MAX_ROWS (a 2.7 MB file can hold three million rows).
    """
    import zipfile

    from openpyxl import load_workbook

    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to %(size)s MB; at most %(max)s MB can be read.")
            % {"size": unpacked // (1024 * 1024), "max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows, filled = [], 0
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            if any(_text(v) != "" for v in values):
                filled += 1
                if filled > MAX_ROWS + 1:  # the header, then MAX_ROWS rows
                    raise _too_many_rows()
            rows.append(values)
        return rows
    finally:
        workbook.close()


def _columns(table, spec, required) -> dict[str, str]:
    """Map each canonical column to the header the file uses for it."""
    present = set()
    for record in table[:1]:
        present = set(record) - {"_row"}
    mapping = {}
    for canonical, aliases in spec.items():
        for alias in aliases:
            if alias in present:
                mapping[canonical] = alias
                break
    missing = [c for c in required if c not in mapping]
    if missing:
        raise ImportFileError(
            _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return mapping


def _get(record, mapping, column) -> object:
    header = mapping.get(column)
    return record.get(header) if header else None


def _bool(value) -> bool | None:
    text = _text(value).lower()
    if isinstance(value, bool):
        return value
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = _DATE_RE.match(text)
    if not match and re.fullmatch(r"\d{8}", text):
        match = re.match(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class _Errors(list):
    def add(self, row, column, message):
        self.append(RowError(row=row, column=column, message=str(message)))


def _check_characters(errors, row, values) -> None:
    for column, value in values.items():
        if value and has_control_characters(value):
            errors.add(
                row,
                column,
                _("Contains a control character (such as NUL); remove it and upload again."),
            )


def _check_length(errors, row, column, value, max_length):
    if len(value) > max_length:
        errors.add(
            row,
            column,
            _("Longer than %(max)s characters.") % {"max": max_length},
        )


def outlet_rows_check(table) -> tuple[list[dict], list[RowError]]:
    """Return the clean outlet rows of `table` and every error found in it."""
    from .models import PartnerCompany

    mapping = _columns(table, OUTLET_COLUMNS, OUTLET_REQUIRED)
    company_codes = set(PartnerCompany.objects.values_list("code", flat=True))
    errors = _Errors()
    clean = []
    seen: dict[str, int] = {}
    new_companies: dict[str, str] = {}
    for record in table:
        row = record["_row"]
        before = len(errors)
        values = {c: _text(_get(record, mapping, c)) for c in OUTLET_COLUMNS}
        _check_characters(errors, row, values)
        for column in OUTLET_REQUIRED:
            if not values[column]:
                errors.add(row, column, _("This column is required."))
        code = values["code"]
        if code:
            _check_length(errors, row, "code", code, 32)
            if code in seen:
                errors.add(
                    row,
                    "code",
                    _("Duplicate outlet code %(code)s (first on row %(first)s).")
                    % {"code": code, "first": seen[code]},
                )
            else:
                seen[code] = row
        for column, limit in (
            ("name", 200),
            ("name_en", 200),
            ("address", 300),
            ("partner_company_code", 32),
            ("partner_company_name", 200),
        ):
            _check_length(errors, row, column, values[column], limit)
        for column in ("province", "city"):
            _check_length(errors, row, column, values[column], 50)
        tier = _TIERS.get(values["city_tier"].lower()) if values["city_tier"] else None
        if values["city_tier"] and tier is None:
            errors.add(row, "city_tier", _("Unknown city tier %(value)r: use 1, 2 or 3.")
                       % {"value": values["city_tier"]})  # fmt: skip
        ownership = _OWNERSHIP.get(values["ownership"].lower()) if values["ownership"] else None
        if values["ownership"] and ownership is None:
            errors.add(
                row,
                "ownership",
                _("Unknown ownership %(value)r: use brand or partner.")
                % {"value": values["ownership"]},
            )
        company_code = values["partner_company_code"]
        if ownership == Ownership.PARTNER:
            if not company_code:
                errors.add(
                    row,
                    "partner_company_code",
                    _("A partner outlet needs the code of its partner company."),
                )
            elif company_code not in company_codes and company_code not in new_companies:
                if values["partner_company_name"]:
                    new_companies[company_code] = values["partner_company_name"]
                else:
                    errors.add(
                        row,
                        "partner_company_code",
                        _("Unknown partner company %(code)s: add its name in "
                          "partner_company_name to create it.") % {"code": company_code},
                    )  # fmt: skip
        elif ownership == Ownership.BRAND and company_code:
            errors.add(
                row,
                "partner_company_code",
                _("A brand-owned service centre has no partner company."),
            )
        active = _bool(_get(record, mapping, "is_active"))
        if active is None:
            errors.add(row, "is_active", _("Use yes or no."))
        if len(errors) == before:
            clean.append(
                {
                    "row": row,
                    "code": code,
                    "name": values["name"],
                    "name_en": values["name_en"],
                    "province": values["province"],
                    "city": values["city"],
                    "city_tier": tier,
                    "ownership": ownership.value,
                    "partner_company_code": company_code if ownership == Ownership.PARTNER else "",
                    "partner_company_name": values["partner_company_name"],
                    "address": values["address"],
                    "is_active": active,
                }
            )
    return clean, list(errors)


def staff_rows_check(table) -> tuple[list[dict], list[RowError]]:
    """Return the clean staff rows of `table` and every error found in it."""
    from django.contrib.auth import get_user_model

    from .models import PartnerCompany, Staff

    mapping = _columns(table, STAFF_COLUMNS, STAFF_REQUIRED)
    roles = _role_lookup()
    outlets = dict(Outlet.objects.values_list("code", "is_active"))
    companies = set(PartnerCompany.objects.values_list("code", flat=True))
    owner_of_employee = dict(Staff.objects.values_list("employee_number", "user__username"))

    def username_of(number, given):
        # A person already in the network keeps the username they sign in with.
        return owner_of_employee.get(number) or given or number.lower()

    file_usernames = {
        username_of(_text(_get(r, mapping, "employee_number")), _text(_get(r, mapping, "username")))
        for r in table
    }
    taken_usernames = dict(
        get_user_model()
        .objects.filter(username__in=file_usernames)
        .values_list("username", "staff__employee_number")
    )
    errors = _Errors()
    clean = []
    seen_numbers: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    for record in table:
        row = record["_row"]
        before = len(errors)
        values = {c: _text(_get(record, mapping, c)) for c in STAFF_COLUMNS}
        _check_characters(errors, row, values)
        for column in STAFF_REQUIRED:
            if not values[column]:
                errors.add(row, column, _("This column is required."))
        number = values["employee_number"]
        if number:
            _check_length(errors, row, "employee_number", number, 32)
            if number in seen_numbers:
                errors.add(
                    row,
                    "employee_number",
                    _("Duplicate employee number %(number)s (first on row %(first)s).")
                    % {"number": number, "first": seen_numbers[number]},
                )
            else:
                seen_numbers[number] = row
        _check_length(errors, row, "name", values["name"], 150)
        _check_length(errors, row, "phone", values["phone"], 32)
        role = roles.get(values["role"].lower()) if values["role"] else None
        if values["role"] and role is None:
            errors.add(row, "role", _("Unknown role %(value)r.") % {"value": values["role"]})
        hire_date = _date(_get(record, mapping, "hire_date")) if values["hire_date"] else None
        if values["hire_date"] and hire_date is None:
            errors.add(
                row,
                "hire_date",
                _("Bad date %(value)r: use YYYY-MM-DD.") % {"value": values["hire_date"]},
            )
        active = _bool(_get(record, mapping, "is_active"))
        if active is None:
            errors.add(row, "is_active", _("Use yes or no."))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                errors.add(row, "email", _("Not an email address."))
            else:
                # The validator allows 320 characters, the email column holds 254.
                _check_length(errors, row, "email", values["email"], 254)
        outlet_code = values["outlet_code"]
        if outlet_code and outlet_code not in outlets:
            errors.add(
                row, "outlet_code", _("Unknown outlet code %(code)s.") % {"code": outlet_code}
            )
        elif outlet_code and active and not outlets[outlet_code]:
            errors.add(row, "outlet_code", _("Outlet %(code)s is closed.") % {"code": outlet_code})
        if role in OUTLET_ROLES and not outlet_code:
            errors.add(row, "outlet_code", _("This role works at an outlet: give its code."))
        company_code = values["partner_company_code"]
        if role == Role.PARTNER_ADMIN:
            if not company_code:
                errors.add(
                    row,
                    "partner_company_code",
                    _("A partner administrator needs the code of their partner company."),
                )
            elif company_code not in companies:
                errors.add(
                    row,
                    "partner_company_code",
                    _("Unknown partner company %(code)s.") % {"code": company_code},
                )
        current = owner_of_employee.get(number)
        if current and values["username"] and values["username"] != current:
            errors.add(
                row,
                "username",
                _("Employee %(number)s already signs in as %(name)s.")
                % {"number": number, "name": current},
            )
        username = username_of(number, values["username"])
        if username:
            _check_length(errors, row, "username", username, 150)
            if username in taken_usernames and taken_usernames[username] != number:
                errors.add(
                    row,
                    "username",
                    _("Username %(name)s belongs to another person.") % {"name": username},
                )
            else:
                first = seen_usernames.setdefault(username, row)
                # A repeated employee number repeats its username too: that is reported once.
                if first != row and first != seen_numbers.get(number):
                    errors.add(
                        row,
                        "username",
                        _("Duplicate username %(name)s (first on row %(first)s).")
                        % {"name": username, "first": first},
                    )
        if len(errors) == before:
            clean.append(
                {
                    "row": row,
                    "employee_number": number,
                    "name": values["name"],
                    "role": role,
                    "outlet_code": outlet_code or None,
                    "partner_company_code": (company_code or None)
                    if role == Role.PARTNER_ADMIN
                    else None,
                    "hire_date": hire_date,
                    "email": values["email"],
                    "phone": phone_normalise(values["phone"]),
                    "username": username,
                    "is_active": active,
                }
            )
    return clean, list(errors)
