"""The dashboard's figures: computed from the viewer's scope, and kept for at most five minutes.

What is kept are aggregates only — counts, sums, medians, and the names of the unit's family
counsellors beside their number of families — never a child's, a parent's or a case's data.
They are kept per viewer (the access policy decides what each leader counts), filter, day and
language, in Django's cache (process memory), for `KEPT_SECONDS`. The page says when they were
computed and offers to compute them again at once; docs/ARCHITECTURE.md says why.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language

from sammen.core import wording

from . import charts, dashboard
from .selectors import Scope
from .templatetags.insights_tags import tidy

KEPT_SECONDS = 5 * 60


@dataclass
class Figures:
    tables: list[dashboard.Table]
    html: str  # the tables and charts, rendered
    computed_at: datetime


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
    """A table row as the page shows it: the row's label, (text, data-value, drill-down
    address or "", what the link is about) per cell, and the address and size of the row's
    drill-down."""

    label: str
    cells: list[tuple[str, str, str, str]]
    drill: str = ""  # the address of the cases behind the row, "" for none
    drill_n: str | None = None  # how many lines that list has (formatted), when the figure knows


def cell(value) -> tuple[str, str]:
    """The text a table cell shows (in the page's language: "2,5", "10 000" in Norwegian)
    and its `data-value` (the same number unlocalized); "–" and "" for no value."""
    if value is None:
        return "–", ""
    value = tidy(value)
    if isinstance(value, str):
        return value, value
    return wording.number(value), str(formats.localize(value, use_l10n=False))


def drill_query(scope: Scope) -> str:
    """The dashboard's filters as the drill-downs take them (the same `FilterForm`)."""
    values = {"start": scope.start.isoformat(), "end": scope.end.isoformat()}
    if scope.section_id:
        values["section"] = scope.section_id
    if scope.counsellor_id:
        values["counsellor"] = scope.counsellor_id
    return urlencode(values)


def drill_url(figure: str, row: str, query: str) -> str:
    """The address of the drill-down of `figure`'s `row` ("" for the whole figure)."""
    if row:
        path = reverse("insights:drilldown_row", args=[figure, row])
    else:
        path = reverse("insights:drilldown", args=[figure])
    return f"{path}?{query}" if query else path


def page_rows(table: dashboard.Table, query: str = "") -> list[Row]:
    """The table's rows with every cell formatted, once, in Python, each with the address of
    the cases behind it."""
    drills = table.drills or [None] * len(table.rows)
    cell_drills = table.cell_drills or {}
    rows = []
    for i, ((first, *rest), drill) in enumerate(zip(table.rows, drills, strict=True)):
        label = str(formats.localize(first))
        cells = [
            (
                *cell(v),
                drill_url(table.key, cell_drills[i, j][0], query),
                f"{label}, {table.headers[j + 1]}",
            )
            if (i, j) in cell_drills
            else (*cell(v), "", "")
            for j, v in enumerate(rest)
        ]
        row = Row(label, cells)
        if drill is not None:
            row.drill = drill_url(table.key, drill[0], query)
            row.drill_n = None if drill[1] is None else wording.number(drill[1])
        rows.append(row)
    return rows


def compute(scope: Scope) -> Figures:
    tables = dashboard.build(scope)
    query = drill_query(scope)
    for table in tables:
        table.page_rows = page_rows(table, query)
        table.drill_url = drill_url(table.key, "", query)
        table.columns = len(table.headers) + (1 if table.drills else 0)
        # The chart's bars are the table's first rows, in its order.
        links = [row.drill for row in table.page_rows]
        table.svg = (
            charts.bars(table.chart, unit=table.chart_unit, links=links) if table.chart else None
        )
    html = render_to_string("insights/_figures.html", {"tables": tables})
    return Figures(tables, html, timezone.now())


def kept_key(scope: Scope) -> str:
    """Whose figures, for which filters, on which day, in which language."""
    parts = (
        scope.user.pk,
        scope.unit_id,
        scope.section_id,
        scope.counsellor_id,
        scope.start.isoformat(),
        scope.end.isoformat(),
        scope.today.isoformat(),
        get_language(),
    )
    return "insights:figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def figures_for(scope: Scope, *, afresh: bool = False) -> Figures:
    """The scope's figures as kept (at most `KEPT_SECONDS` old), or computed now."""
    key = kept_key(scope)
    if not afresh:
        kept = cache.get(key)
        if kept is not None:
            return kept
    figures = compute(scope)
    cache.set(key, figures, KEPT_SECONDS)
    return figures
