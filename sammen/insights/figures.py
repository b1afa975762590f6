"""The dashboard's figures, computed afresh for each request from the viewer's scope."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import formats

from . import charts, dashboard
from .selectors import Scope
from .templatetags.insights_tags import tidy


@dataclass
class Figures:
    tables: list[dashboard.Table]
    html: str  # the tables and charts, rendered


@dataclass
class Dashboard:
    """The dashboard: its figures, and its filter form and heading as rendered."""

    figures: Figures
    filters: str
    heading: list[str]
    start: date
    end: date


@dataclass
class Row:
    """A table row as the page shows it: the row's label, and (text, data-value) per cell."""

    label: str
    cells: list[tuple[str, str]]


def cell(value) -> tuple[str, str]:
    """The text a table cell shows (as `{{ value|tidy }}` prints it in the page's language)
    and its `data-value` (the same number unlocalized); "–" and "" for no value."""
    if value is None:
        return "–", ""
    value = tidy(value)
    return str(formats.localize(value)), str(formats.localize(value, use_l10n=False))


def page_rows(table: dashboard.Table) -> list[Row]:
    """The table's rows with every cell formatted, once, in Python."""
    return [
        Row(str(formats.localize(first)), [cell(v) for v in rest]) for first, *rest in table.rows
    ]


def compute(scope: Scope) -> Figures:
    tables = dashboard.build(scope)
    for table in tables:
        table.svg = charts.bars(table.chart) if table.chart else None
        table.page_rows = page_rows(table)
    return Figures(tables, render_to_string("insights/_figures.html", {"tables": tables}))
