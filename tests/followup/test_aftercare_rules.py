"""The pure rules of closure, aftercare (bvl. § 8-7) and the follow-up's dates, edge cases first.

Decisions and placements are plain objects: the rules read only their dates and kinds."""

from datetime import date
from types import SimpleNamespace as Row

from sammen.cases import rules as case_rules
from sammen.followup import rules
from sammen.followup.choices import State


def decision(kind, day):
    return Row(kind=kind, decided_on=day)


def placement(start, end=None, kind="care_order"):
    return Row(kind=kind, start_date=start, end_date=end)


CARE = decision("care_order", date(2025, 3, 1))
LIFTED = decision("lifting", date(2025, 9, 10))
TODAY = date(2026, 1, 15)


def close(reason="reunified", on=date(2025, 10, 1), decisions=(), placements=(), referred=None):
    return rules.closure_problem(
        reason=reason,
        closed_on=on,
        referred_on=referred or date(2025, 2, 1),
        today=TODAY,
        decisions=list(decisions),
        placements=list(placements),
    )


def test_a_care_order_is_in_force_until_a_lifting_decision_ends_it():
    assert case_rules.care_order_in_force([CARE], date(2025, 2, 28)) is None
    assert case_rules.care_order_in_force([CARE], date(2025, 3, 1)) is CARE
    assert case_rules.care_order_in_force([CARE, LIFTED], date(2025, 9, 9)) is CARE
    # A lifting decision on the closing day counts.
    assert case_rules.care_order_in_force([LIFTED, CARE], date(2025, 9, 10)) is None


def test_a_new_care_order_after_a_lifting_is_in_force_and_leaves_no_lifting():
    again = decision("care_order", date(2025, 11, 1))
    decisions = [CARE, LIFTED, again]
    assert case_rules.care_order_in_force(decisions, date(2025, 12, 1)) is again
    assert case_rules.lifting_decision_for(decisions, date(2025, 12, 1)) is None
    assert case_rules.lifting_decision_for(decisions, date(2025, 10, 1)) is LIFTED


def test_the_approved_emergency_decision_counts_and_the_later_care_order_is_named():
    emergency = decision("emergency", date(2025, 1, 10))
    assert case_rules.care_order_in_force([emergency], date(2025, 2, 1)) is emergency
    assert case_rules.care_order_in_force([emergency, CARE], date(2025, 4, 1)) is CARE


def test_a_lifting_without_a_care_order_before_it_gives_no_aftercare():
    assert case_rules.lifting_decision_for([LIFTED], date(2025, 10, 1)) is None
    assert case_rules.lifting_decision_for([CARE, LIFTED], date(2025, 9, 10)) is LIFTED
    assert case_rules.lifting_decision_for([CARE, LIFTED], date(2025, 9, 9)) is None


def test_a_placement_ending_on_the_closing_day_is_no_longer_active():
    assert (
        case_rules.placement_active_on(
            [placement(date(2025, 3, 1), date(2025, 10, 1))], date(2025, 10, 1)
        )
        is None
    )
    active = placement(date(2025, 3, 1), date(2025, 10, 2))
    assert case_rules.placement_active_on([active], date(2025, 10, 1)) is active
    assert case_rules.placement_active_on([placement(date(2025, 11, 1))], date(2025, 10, 1)) is None


def test_reunified_is_refused_while_the_care_order_or_the_placement_lasts():
    assert close(decisions=[CARE])[0] == "reason"
    assert "01.03.2025" in close(decisions=[CARE])[1]
    assert close(decisions=[CARE, LIFTED], placements=[placement(date(2025, 3, 1))])[0] == "reason"
    ended = placement(date(2025, 3, 1), date(2025, 9, 20))
    assert close(decisions=[CARE, LIFTED], placements=[ended]) == ("", "")
    voluntary = placement(date(2025, 3, 1), date(2025, 9, 20), kind="voluntary")
    assert close(placements=[voluntary]) == ("", "")
    assert close(placements=[placement(date(2025, 3, 1), kind="voluntary")])[0] == "reason"


def test_other_reasons_are_allowed_while_a_care_order_is_in_force():
    assert close(
        reason="not_needed", decisions=[CARE], placements=[placement(date(2025, 3, 1))]
    ) == ("", "")


def test_the_closing_date_is_neither_in_the_future_nor_before_the_referral():
    assert close(on=TODAY) == ("", "")
    assert close(on=date(2026, 1, 16))[0] == "closed_on"
    assert close(on=date(2025, 1, 31))[0] == "closed_on"
    assert close(on=date(2025, 2, 1)) == ("", "")


def aftercare(until, lifting=LIFTED, reason="reunified", closed=date(2025, 10, 1), law=""):
    return rules.aftercare_problem(
        reason=reason, closed_on=closed, aftercare_until=until, lifting=lifting, law=law
    )


def test_aftercare_lasts_at_most_six_months_from_the_lifting_clamped_to_the_months_end():
    assert rules.after_lifting_until(date(2025, 8, 31)) == date(2026, 2, 28)
    assert rules.after_lifting_until(date(2023, 8, 31)) == date(2024, 2, 29)
    assert rules.after_lifting_until(date(2025, 1, 31)) == date(2025, 7, 31)
    assert rules.after_lifting_until(date(2024, 2, 29)) == date(2024, 8, 29)
    assert aftercare(date(2026, 3, 10)) == ""
    assert "10.03.2026" in aftercare(date(2026, 3, 11), law="barnevernsloven (2021) § 8-7")
    assert "§ 8-7" in aftercare(date(2026, 3, 11), law="barnevernsloven (2021) § 8-7")
    assert "§ 8-7" not in aftercare(date(2026, 3, 11))  # no reference kept: said without it


def test_aftercare_needs_a_lifting_a_reunification_and_an_end_after_the_closure():
    assert aftercare(None, lifting=None) == ""
    assert aftercare(date(2025, 12, 1), lifting=None) != ""
    assert aftercare(date(2025, 12, 1), reason="not_needed") != ""
    assert aftercare(date(2025, 9, 30)) != ""  # before the closing date
    assert aftercare(date(2025, 10, 1)) == ""


def followup(until=date(2026, 3, 10), state=State.CLOSED, reason="reunified", lifting=1):
    return Row(
        state=state, closure_reason=reason, lifting_decision_id=lifting, aftercare_until=until
    )


def test_aftercare_lasts_up_to_and_including_its_last_day():
    assert rules.aftercare_lasts(followup(), date(2026, 3, 10))
    assert not rules.aftercare_lasts(followup(), date(2026, 3, 11))
    assert not rules.aftercare_lasts(followup(lifting=None), date(2026, 1, 1))
    assert not rules.aftercare_lasts(followup(reason="not_needed"), date(2026, 1, 1))
    assert not rules.aftercare_lasts(followup(state=State.ACTIVE), date(2026, 1, 1))


def test_a_contact_on_the_last_aftercare_day_is_allowed_the_day_after_refused():
    f, lifted = followup(), date(2025, 9, 10)
    assert rules.aftercare_record_problem(f, lifted_on=lifted, held_on=date(2026, 3, 10)) == ""
    assert "11.03.2026" in rules.aftercare_record_problem(
        f, lifted_on=lifted, held_on=date(2026, 3, 11)
    )
    assert rules.aftercare_record_problem(f, lifted_on=lifted, held_on=lifted) == ""
    assert "09.09.2025" in rules.aftercare_record_problem(
        f, lifted_on=lifted, held_on=date(2025, 9, 9)
    )


def test_the_end_of_aftercare_is_reminded_from_four_weeks_before_until_the_day():
    end = date(2026, 3, 10)
    assert not rules.aftercare_reminds(end, date(2026, 2, 9))  # 29 days before
    assert rules.aftercare_reminds(end, date(2026, 2, 10))  # 28 days before
    assert rules.aftercare_reminds(end, end)
    assert not rules.aftercare_reminds(end, date(2026, 3, 11))
    assert not rules.aftercare_reminds(None, end)


def period(start, end, started=date(2025, 6, 2), referred=date(2025, 5, 1)):
    return rules.report_period_problem(
        start=start, end=end, started_on=started, referred_on=referred, today=TODAY
    )


def test_a_report_period_lies_within_the_follow_up_and_ends_at_most_a_fortnight_ahead():
    assert period(date(2025, 6, 2), date(2025, 9, 2)) == {}
    assert set(period(date(2025, 6, 1), date(2025, 9, 2))) == {"period_start"}
    assert set(period(date(2025, 4, 30), date(2025, 9, 2), started=None)) == {"period_start"}
    assert period(date(2025, 12, 1), date(2026, 1, 29)) == {}  # today + 14 days
    assert set(period(date(2025, 12, 1), date(2026, 1, 30))) == {"period_end"}
    assert set(period(date(2025, 12, 1), date(9999, 12, 31))) == {"period_end"}
    assert set(period(date(2025, 12, 1), date(2025, 11, 30))) == {"period_end"}


def test_a_thing_that_happened_is_not_in_the_future_nor_before_the_referral():
    referred = date(2025, 5, 1)
    assert rules.happened_date_problem(TODAY, referred_on=referred, today=TODAY) == ""
    assert "16.01.2026" in rules.happened_date_problem(
        date(2026, 1, 16), referred_on=referred, today=TODAY
    )
    assert "01.05.2025" in rules.happened_date_problem(
        date(2025, 4, 30), referred_on=referred, today=TODAY
    )
    assert rules.happened_date_problem(referred, referred_on=referred, today=TODAY) == ""
