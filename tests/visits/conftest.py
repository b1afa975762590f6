"""Visits on case_a: the mother has a care-order ruling of at least 1 visit per 2 months."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from sammen.cases.models import Person, TribunalDecision, VisitationRuling
from sammen.visits.models import VisitFlat, VisitPlan, VisitSession
from sammen.visits.rules import OSLO

PLAN_START = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their English msgids, whatever the .po files say."""
    with translation.override("en"):
        yield


@pytest.fixture
def mother(case_a):
    return Person.objects.get(case=case_a, relation="mother")


@pytest.fixture
def decision(case_a):
    return TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 3, 12), kind="care_order"
    )


@pytest.fixture
def ruling(decision, mother):
    return VisitationRuling.objects.create(
        decision=decision,
        visitor=mother,
        visits=1,
        period_length=2,
        period_unit="month",
        min_hours=Decimal("2"),
        supervision="supervised",
    )


@pytest.fixture
def flat(unit):
    return VisitFlat.objects.create(unit=unit, name="Samværsleiligheten Storgata")


def plan_values(visitor, **overrides):
    values = {
        "visitor": visitor,
        "starts_on": PLAN_START,
        "evaluate_on": PLAN_START + timedelta(days=180),
        "visits": 1,
        "period_length": 2,
        "period_unit": "month",
        "hours": Decimal("2"),
        "place_kind": "office",
        "supervision": "supervised",
        "purposes": ["bonds"],
    }
    values.update(overrides)
    return values


@pytest.fixture
def plan(case_a, mother, ruling, people):
    return VisitPlan.objects.create(
        case=case_a, ruling=ruling, made_by=people["kari"], number=1, **plan_values(mother)
    )


def at(day, hour=17, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def make_session(plan, start, *, hours=2, counsellor=None, flat=None, **fields):
    return VisitSession.objects.create(
        plan=plan,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        counsellor=counsellor,
        flat=flat,
        place_kind="flat" if flat else "office",
        **fields,
    )
