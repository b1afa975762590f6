"""The ruling's minimum, the basis of a plan and the minimum count, as pure functions."""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.utils import translation

from sammen.visits import rules
from sammen.visits.rules import PlanTerms, SessionFact


class Decision(SimpleNamespace):
    def __str__(self):
        return f"{self.label} {self.decided_on:%d.%m.%Y}"


def ruling(
    visits=1,
    length=2,
    unit="month",
    hours="2",
    supervision="supervised",
    *,
    pk=1,
    visitor_id=10,
    decided_on=date(2025, 3, 12),
    label="Care order",
):
    decision = Decision(pk=pk, decided_on=decided_on, label=label)
    return SimpleNamespace(
        pk=pk,
        decision=decision,
        decision_id=pk,
        visitor_id=visitor_id,
        visits=visits,
        period_length=length,
        period_unit=unit,
        min_hours=Decimal(hours),
        supervision=supervision,
    )


def terms(visits=1, length=2, unit="month", hours="2", supervision="supervised"):
    return PlanTerms(visits, length, unit, Decimal(hours), supervision)


def check(
    plan_terms, the_ruling, *, placement="care_order", parent=True, agreed=False, latest=None
):
    return rules.check_plan(
        plan_terms,
        ruling=the_ruling,
        placement_kind=placement,
        visitor_is_parent=parent,
        agreed_with_parents=agreed,
        latest_decision=latest,
    )


@pytest.mark.parametrize(
    ("visits", "length", "unit", "per_year"),
    [
        (1, 2, "month", Fraction(6)),
        (6, 1, "year", Fraction(6)),
        (1, 8, "week", Fraction(13, 2)),
        (1, 1, "week", Fraction(52)),
        (2, 1, "month", Fraction(24)),
        (1, 3, "year", Fraction(1, 3)),
    ],
)
def test_frequencies_are_normalised_to_exact_visits_per_year(visits, length, unit, per_year):
    assert rules.visits_per_year(visits, length, unit) == per_year


def test_one_per_two_months_equals_six_per_year_and_is_accepted():
    result = check(terms(6, 1, "year"), ruling(1, 2, "month"))
    assert result.ok and result.basis == "ruling"


def test_one_per_eight_weeks_is_more_than_six_per_year_and_is_accepted():
    assert check(terms(1, 8, "week"), ruling(6, 1, "year")).ok


def test_five_per_year_is_refused_with_a_message_citing_the_decision():
    with translation.override("en"):
        result = check(terms(5, 1, "year"), ruling(1, 2, "month"))
        assert not result.ok
        (message,) = result.refusals
        assert "Care order 12.03.2025" in str(message)
        assert "every other month" in str(message) and "5 times a year" in str(message)


def test_more_than_the_minimum_is_allowed():
    assert check(terms(2, 1, "month", hours="3"), ruling(1, 2, "month")).ok


def test_a_shorter_visit_than_the_ruling_is_refused():
    result = check(terms(hours="1.5"), ruling(hours="2"))
    assert len(result.refusals) == 1 and "2" in str(result.refusals[0])
    assert "12.03.2025" in str(result.refusals[0])


def test_the_exact_minimum_length_is_accepted():
    assert check(terms(hours="2.0"), ruling(hours="2")).ok


@pytest.mark.parametrize("planned", ["supported", "none"])
def test_a_supervised_ruling_needs_a_supervised_plan(planned):
    result = check(terms(supervision=planned), ruling(supervision="supervised"))
    assert not result.ok and "supervised" in str(result.refusals[0])


def test_more_supervision_than_ruled_is_accepted_with_a_notice():
    result = check(terms(supervision="supervised"), ruling(supervision="none"))
    assert result.ok and result.notices


def test_several_shortfalls_give_one_message_each():
    result = check(terms(1, 3, "month", hours="1", supervision="none"), ruling())
    assert len(result.refusals) == 3


def test_the_latest_decision_with_a_ruling_for_the_visitor_is_in_force():
    old = ruling(1, 1, "month", pk=1, decided_on=date(2024, 5, 1))
    new = ruling(
        1, 3, "month", pk=2, decided_on=date(2025, 6, 1), label="Visitation (contact) only"
    )
    other_visitor = ruling(pk=3, visitor_id=99, decided_on=date(2026, 1, 1))
    assert rules.effective_ruling([new, old, other_visitor], 10) is new
    # The newer, lower ruling replaces the older one: 4 a year is now enough.
    assert check(terms(1, 3, "month"), rules.effective_ruling([old, new], 10)).ok
    assert not check(terms(1, 3, "month"), old).ok


def test_a_newer_decision_about_someone_else_leaves_the_visitors_ruling_in_force():
    mine = ruling(pk=1, decided_on=date(2024, 5, 1))
    theirs = ruling(pk=2, visitor_id=11, decided_on=date(2025, 6, 1))
    assert rules.effective_ruling([mine, theirs], 10) is mine
    assert rules.effective_ruling([theirs], 10) is None


def test_a_voluntary_placement_applies_no_ruling_but_needs_the_parents_agreement():
    refused = check(
        terms(1, 1, "year", hours="1", supervision="none"), ruling(), placement="voluntary"
    )
    assert refused.basis == "voluntary" and not refused.ok
    assert "agreed" in str(refused.refusals[0])
    agreed = check(
        terms(1, 1, "year", supervision="none"), ruling(), placement="voluntary", agreed=True
    )
    assert agreed.ok and agreed.ruling is None


def test_a_parent_without_a_ruling_under_a_care_order_is_refused_citing_the_decision():
    latest = Decision(decided_on=date(2025, 3, 12), label="Care order")
    result = check(terms(), None, parent=True, latest=latest)
    assert not result.ok and "Care order 12.03.2025" in str(result.refusals[0])


def test_someone_no_decision_names_has_other_contact_by_agreement():
    latest = Decision(decided_on=date(2025, 3, 12), label="Care order")
    result = check(
        terms(1, 1, "year", hours="1", supervision="none"), None, parent=False, latest=latest
    )
    assert result.ok and result.basis == "agreement" and result.notices


@pytest.mark.parametrize(
    ("day", "window"),
    [
        (date(2025, 1, 31), (date(2025, 1, 31), date(2025, 3, 31))),
        (date(2025, 3, 30), (date(2025, 1, 31), date(2025, 3, 31))),
        (date(2025, 3, 31), (date(2025, 3, 31), date(2025, 5, 31))),
        (date(2025, 12, 1), (date(2025, 11, 30), date(2026, 1, 31))),
        (date(2024, 12, 1), (date(2025, 1, 31), date(2025, 3, 31))),
    ],
)
def test_ruling_periods_are_counted_from_the_plans_start_without_drift(day, window):
    assert rules.window_containing(date(2025, 1, 31), 2, "month", day) == window


def test_week_windows():
    assert rules.window_containing(date(2026, 1, 5), 8, "week", date(2026, 3, 3)) == (
        date(2026, 3, 2),
        date(2026, 4, 27),
    )


def test_the_minimum_count_in_the_current_period():
    sessions = [
        SessionFact(date(2025, 2, 3), "held"),
        SessionFact(date(2025, 2, 17), "cancelled", "parent"),
        SessionFact(date(2025, 2, 24), "no_show", "parent"),
        SessionFact(date(2025, 3, 3), "cancelled", "service"),
        SessionFact(date(2025, 3, 10), "planned"),
        SessionFact(date(2025, 4, 7), "planned"),  # the next period
    ]
    status = rules.minimum_status(
        plan_start=date(2025, 2, 1),
        visits=3,
        period_length=2,
        period_unit="month",
        sessions=sessions,
        today=date(2025, 2, 20),
    )
    assert (status.window_start, status.last_day) == (date(2025, 2, 1), date(2025, 3, 31))
    assert (status.required, status.held, status.planned, status.cancelled) == (3, 1, 1, 3)
    assert status.cancelled_by == {"parent": 2, "service": 1}
    assert status.falling_short and not status.met


def test_the_minimum_is_not_falling_short_while_planned_visits_can_reach_it():
    sessions = [SessionFact(date(2025, 2, 3), "held"), SessionFact(date(2025, 3, 3), "planned")]
    status = rules.minimum_status(
        plan_start=date(2025, 2, 1),
        visits=2,
        period_length=2,
        period_unit="month",
        sessions=sessions,
        today=date(2025, 2, 20),
    )
    assert not status.falling_short and not status.met
    status = rules.minimum_status(
        plan_start=date(2025, 2, 1),
        visits=1,
        period_length=2,
        period_unit="month",
        sessions=sessions,
        today=date(2025, 2, 20),
    )
    assert status.met


def test_no_required_minimum_never_falls_short():
    status = rules.minimum_status(
        plan_start=date(2025, 2, 1),
        visits=None,
        period_length=1,
        period_unit="month",
        sessions=[],
        today=date(2025, 2, 20),
    )
    assert not status.falling_short and not status.met


@pytest.mark.parametrize(
    ("cancelled", "hours"),
    [
        ("2026-03-10T17:00", 24),
        ("2026-03-11T15:30", 1),
        ("2026-03-11T16:59", 0),
        ("2026-03-11T18:00", -1),
    ],
)
def test_notice_is_counted_in_whole_hours_before_the_start(cancelled, hours):
    from datetime import datetime

    starts = datetime(2026, 3, 11, 17, 0, tzinfo=rules.OSLO)
    at = datetime.fromisoformat(cancelled).replace(tzinfo=rules.OSLO)
    assert rules.notice_hours(cancelled_at=at, starts_at=starts) == hours


def test_a_parent_under_a_care_order_with_no_decision_registered_is_refused():
    result = check(terms(), None, parent=True, latest=None, placement="care_order")
    assert not result.ok


def test_a_parent_with_no_placement_and_no_decision_has_contact_by_agreement():
    assert check(terms(), None, parent=True, latest=None, placement=None).basis == "agreement"
