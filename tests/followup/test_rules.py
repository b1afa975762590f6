from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sammen.followup import rules
from sammen.followup.choices import State


@pytest.mark.parametrize(
    ("event", "state", "expected"),
    [
        ("approve", State.REFERRED, State.APPROVED),
        ("return", State.REFERRED, State.RETURNED),
        ("resubmit", State.RETURNED, State.REFERRED),
        ("consent", State.ASSIGNED, State.CONSENTED),
        ("consent", State.DECLINED, State.CONSENTED),
        ("consent", State.PAUSED, State.CONSENTED),
        ("decline", State.ASSIGNED, State.DECLINED),
        ("withdraw", State.ACTIVE, State.PAUSED),
        ("joint_meeting", State.CONSENTED, State.ACTIVE),
        ("activity", State.ACTIVE, State.ACTIVE),
        ("close", State.PAUSED, State.CLOSED),
    ],
)
def test_legal_steps_lead_to_the_expected_state(event, state, expected):
    assert rules.next_state(event, state) == expected


@pytest.mark.parametrize(
    ("event", "state"),
    [
        ("activity", State.ASSIGNED),  # no follow-up activity before consent
        ("activity", State.DECLINED),
        ("activity", State.PAUSED),  # a withdrawal pauses the follow-up
        ("activity", State.REFERRED),
        ("report", State.CONSENTED),  # a report needs an active follow-up
        ("consent", State.REFERRED),  # consent before approval and assignment
        ("consent", State.APPROVED),
        ("joint_meeting", State.ASSIGNED),
        ("approve", State.APPROVED),
        ("assign", State.REFERRED),  # assignment needs approval first
        ("close", State.CLOSED),
        ("withdraw", State.ASSIGNED),
    ],
)
def test_illegal_steps_are_refused(event, state):
    assert not rules.allowed(event, state)
    with pytest.raises(ValidationError):
        rules.next_state(event, state)


def test_every_state_but_closed_can_be_closed():
    for state in State:
        assert rules.allowed("close", state) == (state != State.CLOSED)


def test_the_first_conversation_is_due_two_weeks_after_the_placement():
    assert rules.first_conversation_due(date(2025, 3, 3)) == date(2025, 3, 17)


def test_the_first_conversation_deadline_moves_off_easter():
    # 23 March 2026 + 2 weeks = Monday 6 April 2026, Easter Monday → Tuesday 7 April.
    assert rules.first_conversation_due(date(2026, 3, 23)) == date(2026, 4, 7)


def test_the_first_conversation_deadline_moves_off_constitution_day_on_a_weekday():
    # 3 May 2027 + 2 weeks = Monday 17 May 2027 → Tuesday 18 May.
    assert rules.first_conversation_due(date(2027, 5, 3)) == date(2027, 5, 18)


def test_a_report_is_due_one_period_after_the_start_at_the_month_end():
    # 31 August + 6 months = 28 February 2026 (Saturday) → Monday 2 March.
    assert rules.next_report_due(
        started_on=date(2025, 8, 31), period_months=6, last_period_end=None
    ) == date(2026, 3, 2)


def test_a_report_is_due_one_period_after_the_last_report_in_a_leap_year():
    # 30 November 2023 + 3 months = 29 February 2024 (Thursday, a working day).
    assert rules.next_report_due(
        started_on=date(2023, 1, 2), period_months=3, last_period_end=date(2023, 11, 30)
    ) == date(2024, 2, 29)


def test_follow_up_after_a_lifted_care_order_lasts_six_months_to_the_matching_date():
    assert rules.after_lifting_until(date(2025, 8, 31)) == date(2026, 2, 28)


def test_aftercare_after_reunification_is_suggested_for_six_months():
    assert rules.suggested_aftercare_until(date(2024, 8, 29)) == date(2025, 2, 28)


def test_a_reminder_is_overdue_only_after_its_day():
    reminder = rules.Reminder(date(2025, 5, 5), "x")
    assert not reminder.is_overdue(date(2025, 5, 5))
    assert reminder.is_overdue(date(2025, 5, 6))


def test_a_reminder_moved_off_a_public_holiday_says_which_holiday():
    start = date(2027, 5, 3)  # + 2 weeks = Monday 17 May 2027: Constitution Day and Whit Monday
    reminder = rules.reminder(
        rules.first_conversation_due(start), "x", matching=rules.first_conversation_matching(start)
    )
    assert reminder.due == date(2027, 5, 18)
    assert reminder.moved_from == date(2027, 5, 17)
    assert reminder.moved_because == "Andre pinsedag; Grunnlovsdag"


def test_a_reminder_moved_off_a_weekend_says_so_and_one_not_moved_says_nothing():
    saturday = rules.reminder(date(2025, 3, 3), "x", matching=date(2025, 3, 1))
    assert saturday.moved_because == "lørdag"
    assert rules.reminder(date(2025, 3, 3), "x", matching=date(2025, 3, 3)).moved_from is None
