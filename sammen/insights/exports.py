"""The dashboard's tables as CSV and XLSX files."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def _plain(value):
    # A leading =, +, - or @ would make a spreadsheet run a formula (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(tables, *, heading: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(heading)
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_plain(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables, *, heading: list[str]) -> bytes:
    """One sheet per table, named by its key; the first row says whose figures they are."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.key)
        sheet.append([_plain(v) for v in heading])
        sheet.append([table.title])
        sheet["A2"].font = Font(bold=True)
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([_plain(_cell(v)) for v in row])
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
