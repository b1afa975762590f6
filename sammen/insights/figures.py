"""The dashboard's figures, computed afresh for each request from the viewer's scope."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from . import charts, dashboard
from .selectors import Scope


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


def compute(scope: Scope) -> Figures:
    tables = dashboard.build(scope)
    for table in tables:
        table.svg = charts.bars(table.chart) if table.chart else None
    return Figures(tables, render_to_string("insights/_figures.html", {"tables": tables}))
