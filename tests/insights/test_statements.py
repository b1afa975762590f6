"""The figures' statements (compiled once per shape, `core.statements`) give the rows the ORM
gives when it builds each query afresh, for every kind of viewer, filter and period, called in
turns so that each compiled statement is reused with other values."""

from datetime import date

import pytest

from sammen.core.statements import built_each_call
from sammen.insights import selectors
from sammen.insights.selectors import Scope

from . import data
from .test_scope import world  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db

FIGURES = (
    selectors.load_rows,
    selectors.followup_rows,
    selectors.offer_rows,
    selectors.time_rows,
    selectors.visit_rows,
)
PERIODS = ((date(2025, 1, 1), date(2025, 6, 30)), (date(2024, 12, 1), date(2025, 3, 31)))


def test_every_figure_gives_the_orms_rows_for_every_scope(
    world,  # noqa: F811
    people,
    unit,
    section_a,
    section_b,
    case_a,
    case_b,
    place,
):
    data.build(people, case_a, case_b, place)
    compared = nonempty = 0
    for user in world.values():
        for section_id in (None, section_a.pk, section_b.pk, world["sara"].section_id):
            for counsellor_id in (None, people["ola"].pk, people["per"].pk):
                for start, end in PERIODS:
                    for unit_id in (unit.pk, world["olga"].unit_id):
                        scope = Scope(
                            user=user,
                            unit_id=unit_id,
                            section_id=section_id,
                            counsellor_id=counsellor_id,
                            start=start,
                            end=end,
                            today=end,
                        )
                        for rows_of in FIGURES:
                            rows = rows_of(scope)
                            with built_each_call():
                                assert rows == rows_of(scope), (rows_of.__name__, scope)
                            compared += 1
                            nonempty += bool(rows) and any(r[-1] for r in rows)
    assert compared == len(world) * 4 * 3 * 2 * 2 * len(FIGURES)
    assert nonempty > 100  # real numbers were compared, not only empty lists
