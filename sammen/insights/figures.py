"""The dashboard's figures, computed once per version of the unit's data.

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

from django.db.models import Q
from django.template.loader import render_to_string

from sammen.access.models import AccessGrant
from sammen.access.policy import visible_case_ids
from sammen.cases.models import ChildCase
from sammen.core.keep import cache_key, kept
from sammen.core.models import UnitVersion
from sammen.core.versioning import EPOCH

from . import charts, dashboard
from .selectors import Scope


@dataclass
class Figures:
    tables: list[dashboard.Table]
    html: str  # the tables and charts, rendered


def _key(scope: Scope) -> str | None:
    """The key of the scope's figures, or None when they must be computed afresh.

    It holds the tokens of the scope's unit and of every unit the viewer may read a case in
    (the overdue count is the viewer's, whichever unit their cases are in), and the units'
    epoch. A viewer with a grant in force or to come is computed afresh.
    """
    if AccessGrant.objects.current_or_coming().filter(user=scope.user).exists():
        return None
    readable_units = ChildCase.objects.filter(
        pk__in=visible_case_ids(scope.user, ChildCase)
    ).values("section__unit_id")
    versions = list(
        UnitVersion.objects.filter(
            Q(unit_id__in=(scope.unit_id, EPOCH)) | Q(unit_id__in=readable_units)
        )
        .order_by("unit_id")
        .values_list("unit_id", "token")
    )
    if not {scope.unit_id, EPOCH} <= {unit for unit, _ in versions}:
        return None
    return cache_key(
        "insights:figures",
        hashlib.sha256(repr(versions).encode()).hexdigest(),
        scope.unit_id,
        scope.user.pk,
        scope.section_id,
        scope.counsellor_id,
        scope.start.isoformat(),
        scope.end.isoformat(),
        scope.today.isoformat(),
    )


def compute(scope: Scope) -> Figures:
    tables = dashboard.build(scope)
    for table in tables:
        table.svg = charts.bars(table.chart) if table.chart else None
    return Figures(tables, render_to_string("insights/_figures.html", {"tables": tables}))


def figures_for(scope: Scope) -> Figures:
    """The scope's figures: kept ones while the unit's data is unchanged, else computed now."""
    return kept(_key(scope), lambda: (compute(scope), None))
