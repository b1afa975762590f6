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

from django.core.cache import cache
from django.template.loader import render_to_string
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
    """A table row as the page shows it: the row's label, and (text, data-value) per cell."""

    label: str
    cells: list[tuple[str, str]]


def cell(value) -> tuple[str, str]:
    """The text a table cell shows (in the page's language: "2,5", "10 000" in Norwegian)
    and its `data-value` (the same number unlocalized); "–" and "" for no value."""
    if value is None:
        return "–", ""
    value = tidy(value)
    if isinstance(value, str):
        return value, value
    return wording.number(value), str(formats.localize(value, use_l10n=False))


def page_rows(table: dashboard.Table) -> list[Row]:
    """The table's rows with every cell formatted, once, in Python."""
    return [
        Row(str(formats.localize(first)), [cell(v) for v in rest]) for first, *rest in table.rows
    ]


def compute(scope: Scope) -> Figures:
    tables = dashboard.build(scope)
    for table in tables:
        table.svg = charts.bars(table.chart, unit=table.chart_unit) if table.chart else None
        table.page_rows = page_rows(table)
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
