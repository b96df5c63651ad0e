"""What every spreadsheet export shares."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Return `value` as text a spreadsheet will show and never evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def xlsx_append(sheet, values) -> None:
    """
    Append a row to an openpyxl sheet with every string stored as text, never as a formula: a
    cell reading "=HYPERLINK(...)" is shown as typed, and read back as typed.
    """
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_PREFIXES):
            cell.data_type = "s"
