"""The dashboard's tables as CSV and XLSX files, for Excel as Norwegian users have it.

CSV: semicolon-separated, numbers with the language's decimal separator (a comma in bokmål and
nynorsk, which Norwegian Excel reads as a number, where "2.2" would become a date), UTF-8 with a
byte order mark so Excel reads "æøå". XLSX: one sheet per table with a short name in the user's
language (Excel allows 31 characters and none of []:*?/\\), numbers stored as numbers with a
number format that shows their decimals.
"""

import csv
import io
from decimal import Decimal

from django.utils import formats
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from sammen.core.wording import tidy

SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
WHOLE = "#,##0"  # Excel shows its own locale's grouping and decimal separator for these codes
DECIMALS = "#,##0.0#"


def sheet_names() -> dict[str, str]:
    """Each table's sheet name (by `Table.key`) in the active language."""
    return {
        "load": pgettext("sheet name", "Load"),
        "duration": pgettext("sheet name", "Duration"),
        "intensity": pgettext("sheet name", "Intensity"),
        "offers": pgettext("sheet name", "Offers"),
        "visits": pgettext("sheet name", "Visits"),
        "minimums": pgettext("sheet name", "Minimum"),
        "time": pgettext("sheet name", "Time use"),
        "deadlines": pgettext("sheet name", "Deadlines"),
    }


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """`name` as Excel accepts it: without []:*?/\\, at most 31 characters, not blank, not
    already taken (case-insensitively, as Excel compares them)."""
    name = "".join(c for c in name if c not in SHEET_NAME_FORBIDDEN).strip().strip("'")
    name = name[:SHEET_NAME_MAX] or "Ark"
    base, n = name, 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name)
    return name


def _number(value):
    """A Decimal as int or float (Excel has no decimal type); other values as they are."""
    if isinstance(value, Decimal):
        value = tidy(value)
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _plain(value):
    # A leading =, +, - or @ would make a spreadsheet run a formula (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    """A cell as CSV text: numbers with the language's decimal separator and no grouping
    (2.5 → "2,5" in Norwegian), texts guarded against formulas, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return _plain(str(value))
    value = _number(value)
    text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def to_csv(tables, *, heading: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_plain(v) for v in heading])
    for table in tables:
        writer.writerow([])
        writer.writerow([_plain(table.title)])
        writer.writerow([_plain(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(value):
    if value is None:
        return None
    if isinstance(value, (Decimal, float)):
        return _number(value)
    return _plain(value)


def to_xlsx(tables, *, heading: list[str]) -> bytes:
    """One sheet per table, named in the user's language; the first row says whose figures
    they are, the second names the table, the third holds the headers."""
    book = Workbook()
    book.remove(book.active)
    names = sheet_names()
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(safe_sheet_name(names.get(table.key, table.title), taken))
        sheet.append([_plain(v) for v in heading])
        sheet.append([_plain(table.title)])
        sheet["A2"].font = Font(bold=True)
        sheet.append([_plain(h) for h in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = DECIMALS
                elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    cell.number_format = WHOLE
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
