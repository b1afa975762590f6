"""The visits section of the case overview gives the same rows as `case_plan_rows`, from the
persons and rulings the overview has already read."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sammen.cases.models import TribunalDecision, VisitationRuling
from sammen.cases.selectors import case_overview
from sammen.visits.models import VisitPlan
from sammen.visits.selectors import case_plan_rows, current_plan_rows
from sammen.visits.templatetags.visit_tags import _overview_plan_rows, case_visit_plans

from .. import factories as f
from .conftest import at, make_session, plan_values

pytestmark = pytest.mark.django_db


def _facts(rows):
    return [
        (
            row.plan.pk,
            row.plan.visitor.full_name,
            row.ruling.pk if row.ruling else None,
            row.ruling.decision.pk if row.ruling else None,
            row.minimum,
        )
        for row in rows
    ]


@pytest.fixture
def visits(people, case_a, mother, plan, ruling):
    """Two versions of the mother's plan, a newer ruling for her, and a father on agreement."""
    today = timezone.localdate()
    later = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 9, 1), kind="visitation"
    )
    VisitationRuling.objects.create(
        decision=later,
        visitor=mother,
        visits=2,
        period_length=1,
        period_unit="month",
        min_hours=Decimal("2"),
        supervision="supported",
    )
    second = VisitPlan.objects.create(
        case=case_a, ruling=ruling, made_by=people["kari"], number=2, **plan_values(mother)
    )
    father = f.make_parent(case_a, relation="father", first_name="Bjørn", last_name="Testfar")
    by_agreement = VisitPlan.objects.create(
        case=case_a,
        made_by=people["kari"],
        number=1,
        **plan_values(
            father,
            starts_on=today - timedelta(days=40),
            evaluate_on=today + timedelta(days=140),
            period_unit="week",
        ),
    )
    for days in (-400, -61, *range(-30, 200, 3), 400):
        day = today + timedelta(days=days)
        make_session(plan, at(day, 8))  # the old version's visits count too
        make_session(second, at(day, 23, 30), status="held")
        make_session(by_agreement, at(day), status="cancelled", cancelled_by="parent")
    return {"plans": [by_agreement, second]}  # by relation: "father" before "mother"


@pytest.mark.parametrize("days", [0, 1, 27, 180])
def test_the_rows_are_those_of_case_plan_rows(case_a, visits, days):
    today = timezone.localdate() + timedelta(days=days)
    overview = case_overview(case_a)
    rows = _overview_plan_rows(case_a, overview.persons, overview.rulings, today)
    assert _facts(rows) == _facts(case_plan_rows(case_a, today=today))
    assert [row.plan for row in rows] == visits["plans"]
    assert all(row.minimum.held + row.minimum.cancelled for row in rows)


def test_the_section_reads_two_queries_with_the_overview(case_a, visits, django_assert_num_queries):
    overview = case_overview(case_a)
    with django_assert_num_queries(2):  # the plans, and the visits of the current periods
        rows = case_visit_plans(case_a, overview)
        _facts(rows)
    assert _facts(rows) == _facts(case_visit_plans(case_a))


def test_a_case_without_plans_costs_one_query(case_b, django_assert_num_queries):
    overview = case_overview(case_b)
    with django_assert_num_queries(1):
        assert case_visit_plans(case_b, overview) == []


@pytest.mark.parametrize("days", [0, 1, 27, 180])
def test_the_rows_for_many_cases_are_those_of_case_plan_rows(case_a, case_b, visits, days):
    """The dashboard's `current_plan_rows` gives each case's rows as `case_plan_rows` does."""
    today = timezone.localdate() + timedelta(days=days)
    rows = current_plan_rows([case_a.pk, case_b.pk], today=today)
    key = [(row.plan.pk, row.ruling.pk if row.ruling else None, row.minimum) for row in rows]
    expected = [
        (row.plan.pk, row.ruling.pk if row.ruling else None, row.minimum)
        for row in case_plan_rows(case_a, today=today)
    ]
    assert sorted(key, key=lambda k: k[0]) == sorted(expected, key=lambda k: k[0])
