"""Rules of the child's case that follow from law (sammen.cases.rules)."""

from datetime import date

from sammen.cases.models import CarePlan, Placement, TribunalDecision
from sammen.cases.rules import (
    case_warnings,
    emergency_placement_limit,
    final_care_plan_due,
    is_within_age_limit,
)

# --- the age limit ------------------------------------------------------------------------


def test_a_person_aged_22_years_and_364_days_is_within_the_age_limit():
    assert is_within_age_limit(date(2002, 6, 15), date(2025, 6, 14))


def test_a_person_is_outside_the_age_limit_on_the_23rd_birthday():
    assert not is_within_age_limit(date(2002, 6, 15), date(2025, 6, 15))


def test_a_newborn_is_within_the_age_limit():
    assert is_within_age_limit(date(2025, 6, 15), date(2025, 6, 15))


def test_someone_born_on_29_february_turns_23_on_1_march_of_a_common_year():
    assert is_within_age_limit(date(2004, 2, 29), date(2027, 2, 28))
    assert not is_within_age_limit(date(2004, 2, 29), date(2027, 3, 1))


# --- emergency placements -----------------------------------------------------------------


def test_an_emergency_placement_may_last_six_weeks():
    assert emergency_placement_limit(date(2025, 3, 3)) == date(2025, 4, 14)


def test_an_emergency_placement_limit_on_a_sunday_moves_to_monday():
    assert emergency_placement_limit(date(2025, 3, 2)) == date(2025, 4, 14)


def test_an_emergency_placement_limit_on_17_may_moves_to_monday_19_may():
    # 5 April + 6 weeks = Saturday 17 May 2025, Constitution Day.
    assert emergency_placement_limit(date(2025, 4, 5)) == date(2025, 5, 19)


def test_an_emergency_placement_limit_on_christmas_day_moves_to_29_december():
    assert emergency_placement_limit(date(2025, 11, 13)) == date(2025, 12, 29)


def test_an_emergency_placement_limit_in_easter_2026_moves_to_7_april():
    assert emergency_placement_limit(date(2026, 2, 19)) == date(2026, 4, 7)


# --- the final care plan ------------------------------------------------------------------


def test_the_final_care_plan_is_due_two_years_after_the_care_order():
    assert final_care_plan_due(date(2025, 3, 10)) == date(2027, 3, 10)


def test_the_final_care_plan_deadline_from_29_february_moves_off_the_weekend():
    # 29 February 2024 + 2 years = Saturday 28 February 2026 → Monday 2 March.
    assert final_care_plan_due(date(2024, 2, 29)) == date(2026, 3, 2)


def test_the_final_care_plan_deadline_on_christmas_day_moves_to_the_next_working_day():
    assert final_care_plan_due(date(2023, 12, 25)) == date(2025, 12, 29)


# --- warnings on the overview -------------------------------------------------------------

TODAY = date(2025, 3, 20)


def _emergency(start=date(2025, 3, 3), end=None):
    return Placement(kind="emergency", start_date=start, end_date=end)


def _warnings(*, placements=(), decisions=(), care_plans=(), petition_status="none"):
    return case_warnings(
        today=TODAY,
        placements=list(placements),
        decisions=list(decisions),
        care_plans=list(care_plans),
        petition_status=petition_status,
    )


def test_a_case_with_nothing_registered_has_no_warnings():
    assert _warnings() == []


def test_an_active_emergency_placement_without_petition_warns_with_the_limit_date():
    warnings = _warnings(placements=[_emergency()])
    assert len(warnings) == 1
    assert warnings[0].due == date(2025, 4, 14)
    assert str(warnings[0].message)


def test_an_active_emergency_placement_with_the_petition_sent_gives_no_warning():
    assert _warnings(placements=[_emergency()], petition_status="sent") == []


def test_an_ended_emergency_placement_gives_no_warning():
    assert _warnings(placements=[_emergency(end=date(2025, 3, 10))]) == []


def test_an_emergency_placement_starting_after_today_gives_no_warning():
    assert _warnings(placements=[_emergency(start=date(2025, 4, 1))]) == []


def test_an_active_care_order_placement_gives_no_emergency_warning():
    placement = Placement(kind="care_order", start_date=date(2025, 3, 3))
    assert _warnings(placements=[placement]) == []


def test_a_care_order_decision_without_a_final_plan_warns_with_the_due_date():
    decision = TribunalDecision(kind="care_order", decided_on=date(2025, 3, 10))
    preliminary = CarePlan(kind="preliminary", made_on=date(2025, 3, 10))
    warnings = _warnings(decisions=[decision], care_plans=[preliminary])
    assert len(warnings) == 1
    assert warnings[0].due == date(2027, 3, 10)


def test_the_final_plan_warning_counts_from_the_first_care_order_decision():
    decisions = [
        TribunalDecision(kind="care_order", decided_on=date(2025, 3, 10)),
        TribunalDecision(kind="care_order", decided_on=date(2024, 3, 11)),
    ]
    (warning,) = _warnings(decisions=decisions)
    assert warning.due == date(2026, 3, 11)


def test_a_care_order_decision_with_a_final_plan_gives_no_warning():
    decision = TribunalDecision(kind="care_order", decided_on=date(2025, 3, 10))
    final = CarePlan(kind="final", made_on=date(2025, 3, 15))
    assert _warnings(decisions=[decision], care_plans=[final]) == []


def test_other_kinds_of_decision_need_no_final_plan():
    decision = TribunalDecision(kind="visitation", decided_on=date(2025, 3, 10))
    assert _warnings(decisions=[decision]) == []


def test_both_warnings_appear_together():
    decision = TribunalDecision(kind="care_order", decided_on=date(2025, 3, 10))
    warnings = _warnings(placements=[_emergency()], decisions=[decision])
    assert [w.due for w in warnings] == [date(2025, 4, 14), date(2027, 3, 10)]
