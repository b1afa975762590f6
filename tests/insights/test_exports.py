"""The dashboard's exports as Norwegian Excel reads them: CSV with semicolons, decimal commas and
a byte order mark; XLSX with numbers stored as numbers and sheet names in the user's language."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from openpyxl import load_workbook

from sammen.insights import exports

from . import data

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}
NORWEGIAN_SHEETS = {
    "nb": {"load": "Belastning", "duration": "Varighet", "visits": "Samvær"},
    "nn": {"load": "Belastning", "duration": "Varigheit", "visits": "Samvær"},
}


@pytest.fixture
def world(people, case_a, case_b, place):
    data.build(people, case_a, case_b, place)
    return people


def export(client, people, fmt, language):
    pia = people["pia"]
    pia.language = language
    pia.save()
    client.force_login(pia)
    with time_machine.travel(date(2025, 6, 30), tick=False):
        response = client.get(reverse(f"insights:export_{fmt}"), PERIOD)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_csv_reads_in_norwegian_excel(client, world, language):
    content = export(client, world, "csv", language).content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8")[1:]), delimiter=";"))
    numbers = [row[1:] for row in rows[1:] if len(row) == 4]  # rows[0]: whose, which period
    assert ["5,5", "100", "62"] in numbers  # the time table's total: hours, share, km
    assert not any("." in cell for row in numbers for cell in row if cell[:1].isdigit())
    # Every row splits on semicolons only: a decimal comma never opens a new column.
    assert all(len(row) <= 6 for row in rows)


def test_the_xlsx_stores_numbers_as_numbers_under_norwegian_sheet_names(client, world):
    book = load_workbook(io.BytesIO(export(client, world, "xlsx", "nb").content))
    with translation.override("nb"):
        names = exports.sheet_names()
    assert book.sheetnames == [names[key] for key in names if key in _keys()]
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)
    time = book[names["time"]]
    total = [row for row in time.iter_rows(min_row=4) if row[1].value == 5.5][0]
    assert [type(c.value) for c in total[1:4]] == [float, int, int]
    assert total[1].number_format == exports.DECIMALS and total[2].number_format == exports.WHOLE
    assert not any(
        isinstance(cell.value, str) and cell.value.replace(",", "").replace(".", "").isdigit()
        for sheet in book
        for row in sheet.iter_rows(min_row=4)
        for cell in row
    )


def _keys():
    return {"load", "duration", "intensity", "offers", "visits", "minimums", "time", "deadlines"}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_sheet_names_are_norwegian(language):
    with translation.override(language):
        if pgettext("sheet name", "Load") == "Load":
            pytest.xfail(f"the {language} catalogue lacks the sheet names (msgctxt 'sheet name')")
        names = exports.sheet_names()
    for key, name in NORWEGIAN_SHEETS[language].items():
        assert names[key] == name


def test_a_sheet_name_is_made_safe_and_unique():
    taken = set()
    assert (
        exports.safe_sheet_name("Samvær: plan/rapport [2025]?", taken) == "Samvær planrapport 2025"
    )
    long = "Likeverdig tilbud til foreldre til barn plassert utenfor hjemmet"
    first = exports.safe_sheet_name(long, taken)
    second = exports.safe_sheet_name(long, taken)
    assert len(first) == len(second) == 31 and first != second and second.endswith(" (2)")
    assert exports.safe_sheet_name("samvær planrapport 2025", taken).endswith(" (2)")


def test_a_formula_in_a_text_is_neutralised_but_a_negative_number_is_not():
    with translation.override("nb"):
        assert exports._csv_cell("=SUM(A1)") == "'=SUM(A1)"
        assert exports._csv_cell(-2.5) == "-2,5"
