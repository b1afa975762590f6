"""The dashboard, computed once per version of the data it shows.

The figures of a scope and the HTML of their tables and charts are kept (core.keep) under the
unit's data version token (core.versioning): any write to the unit's data, however it is made,
gives a new token, so a kept figure is always the figure the data gives now. The key also holds
everything else a figure depends on: the viewer (the access policy and the overdue count are
theirs), the filters, today's date (deadlines and "current period" counts) and the language of
the labels. A viewer with access grants is never served kept figures: a grant ends at a moment,
not with a write.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Q
from django.template.loader import render_to_string

from sammen.access.models import AccessGrant
from sammen.access.policy import readable_unit_ids
from sammen.cases.models import ChildCase
from sammen.core.keep import cache_key
from sammen.core.models import UnitVersion
from sammen.core.versioning import EPOCH

from . import charts, dashboard
from .forms import FilterForm
from .selectors import Scope


@dataclass
class Figures:
    tables: list[dashboard.Table]
    html: str  # the tables and charts, rendered


@dataclass
class Dashboard:
    """The dashboard as kept: its figures, and its filter form and heading as rendered."""

    figures: Figures
    filters: str
    heading: list[str]
    start: date
    end: date


FILTER_PARAMETERS = tuple(FilterForm.base_fields)


def key(user, params, today) -> str | None:
    """The key of `user`'s dashboard for the query `params`, or None when it must be computed
    afresh (a grant in force or to come).

    It holds the tokens of the user's unit and of every unit they may read a case in (the
    overdue count is theirs, whichever unit their cases are in) and the units' epoch; the
    filters as asked for (the same query gives the same page: the form's checks are part of
    what is kept); today and the language.
    """
    grants = AccessGrant.objects.current_or_coming().filter(user=user)
    versions = list(
        UnitVersion.objects.filter(
            Q(unit_id__in=(user.unit_id, EPOCH)) | Q(unit_id__in=readable_unit_ids(user, ChildCase))
        )
        .annotate(granted=Exists(grants))
        .order_by("unit_id")
        .values_list("unit_id", "token", "granted")
    )
    if any(granted for *_, granted in versions) or not {user.unit_id, EPOCH} <= {
        unit for unit, *_ in versions
    }:
        return None
    asked = [(name, params.getlist(name)) for name in FILTER_PARAMETERS]
    digest = hashlib.sha256(repr((versions, asked)).encode()).hexdigest()
    return cache_key("insights:dashboard", digest, user.pk, today.isoformat())


def compute(scope: Scope) -> Figures:
    tables = dashboard.build(scope)
    for table in tables:
        table.svg = charts.bars(table.chart) if table.chart else None
    return Figures(tables, render_to_string("insights/_figures.html", {"tables": tables}))
