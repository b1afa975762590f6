"""Deadline arithmetic as Norwegian law counts it (sammen.core.deadlines)."""

from datetime import date

import pytest

from sammen.core.deadlines import (
    add_period,
    age_on,
    deadline,
    holiday_name,
    is_working_day,
    next_working_day,
)

# --- month ends and leap days -------------------------------------------------------------


def test_31_january_plus_one_month_is_28_february_in_a_common_year():
    assert add_period(date(2025, 1, 31), months=1) == date(2025, 2, 28)


def test_31_january_plus_one_month_is_29_february_in_a_leap_year():
    assert add_period(date(2024, 1, 31), months=1) == date(2024, 2, 29)


def test_31_march_plus_one_month_is_30_april():
    assert add_period(date(2025, 3, 31), months=1) == date(2025, 4, 30)


def test_a_month_end_deadline_on_a_working_day_stays_there():
    assert deadline(date(2025, 1, 31), months=1) == date(2025, 2, 28)  # a Friday
    assert deadline(date(2024, 1, 31), months=1) == date(2024, 2, 29)  # a Thursday


def test_29_february_plus_one_year_is_28_february():
    assert add_period(date(2024, 2, 29), years=1) == date(2025, 2, 28)
    # 28 February 2025 is a Friday, so the deadline stays.
    assert deadline(date(2024, 2, 29), years=1) == date(2025, 2, 28)


def test_29_february_plus_two_years_lands_on_a_saturday_and_moves_to_monday():
    assert add_period(date(2024, 2, 29), years=2) == date(2026, 2, 28)
    assert deadline(date(2024, 2, 29), years=2) == date(2026, 3, 2)


def test_29_february_plus_four_years_is_29_february():
    assert add_period(date(2024, 2, 29), years=4) == date(2028, 2, 29)


def test_a_deadline_in_days_and_weeks_counts_calendar_days():
    assert add_period(date(2025, 3, 3), days=10) == date(2025, 3, 13)
    assert add_period(date(2025, 3, 3), weeks=6) == date(2025, 4, 14)


def test_a_deadline_with_no_period_is_the_start_day_when_that_is_a_working_day():
    assert deadline(date(2025, 3, 5)) == date(2025, 3, 5)


# --- weekends -----------------------------------------------------------------------------


def test_a_deadline_landing_on_a_saturday_moves_to_monday():
    assert date(2025, 3, 8).weekday() == 5
    assert deadline(date(2025, 3, 1), weeks=1) == date(2025, 3, 10)


def test_a_deadline_landing_on_a_sunday_moves_to_monday():
    assert date(2025, 3, 9).weekday() == 6
    assert deadline(date(2025, 3, 2), weeks=1) == date(2025, 3, 10)


def test_a_deadline_landing_on_a_friday_stays_on_friday():
    assert deadline(date(2025, 3, 7), weeks=1) == date(2025, 3, 14)


# --- public holidays ----------------------------------------------------------------------


def test_17_may_2025_is_a_saturday_and_a_deadline_on_it_moves_to_monday_19_may():
    assert deadline(date(2025, 4, 17), months=1) == date(2025, 5, 19)


def test_christmas_day_2025_moves_past_boxing_day_and_the_weekend_to_29_december():
    assert deadline(date(2025, 11, 25), months=1) == date(2025, 12, 29)
    assert next_working_day(date(2025, 12, 26)) == date(2025, 12, 29)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 4, 2),  # Maundy Thursday
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 4),  # Saturday
        date(2026, 4, 5),  # Easter Sunday
        date(2026, 4, 6),  # Easter Monday
    ],
)
def test_every_day_of_easter_2026_moves_to_tuesday_7_april(day):
    assert next_working_day(day) == date(2026, 4, 7)


def test_a_deadline_landing_on_maundy_thursday_2026_moves_to_7_april():
    assert deadline(date(2026, 3, 2), months=1) == date(2026, 4, 7)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2025, 1, 1),
        date(2025, 5, 1),
        date(2025, 5, 29),  # Ascension Day
        date(2025, 6, 9),  # Whit Monday
        date(2025, 12, 25),
        date(2025, 12, 26),
    ],
)
def test_norwegian_public_holidays_are_not_working_days(day):
    assert holiday_name(day)
    assert not is_working_day(day)


def test_holiday_name_names_17_may():
    name = holiday_name(date(2025, 5, 17))
    assert isinstance(name, str)
    assert name


def test_holiday_name_is_none_for_an_ordinary_day():
    assert holiday_name(date(2025, 3, 12)) is None


def test_an_ordinary_sunday_is_not_reported_as_a_holiday():
    assert date(2025, 3, 9).weekday() == 6
    assert holiday_name(date(2025, 3, 9)) is None


def test_an_ordinary_sunday_is_still_not_a_working_day():
    assert not is_working_day(date(2025, 3, 9))


def test_ordinary_weekdays_are_working_days():
    for day in range(10, 15):  # Monday 10 to Friday 14 March 2025
        assert is_working_day(date(2025, 3, day))


def test_saturday_is_not_a_working_day():
    assert not is_working_day(date(2025, 3, 8))


def test_next_working_day_of_a_working_day_is_the_day_itself():
    assert next_working_day(date(2025, 3, 12)) == date(2025, 3, 12)


def test_holidays_are_looked_up_in_the_right_year_across_new_year():
    # 31 December 2025 is an ordinary Wednesday; 1 January 2026 is New Year's Day.
    assert next_working_day(date(2025, 12, 31)) == date(2025, 12, 31)
    assert next_working_day(date(2026, 1, 1)) == date(2026, 1, 2)


# --- age ----------------------------------------------------------------------------------


def test_age_on_the_day_before_a_birthday_is_still_the_old_age():
    assert age_on(date(2010, 6, 15), date(2025, 6, 14)) == 14


def test_age_on_the_birthday_is_the_new_age():
    assert age_on(date(2010, 6, 15), date(2025, 6, 15)) == 15


def test_age_on_the_day_of_birth_is_zero():
    assert age_on(date(2025, 6, 15), date(2025, 6, 15)) == 0


def test_someone_born_on_29_february_is_not_older_on_28_february_of_a_common_year():
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16


def test_someone_born_on_29_february_turns_older_on_1_march_of_a_common_year():
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17


def test_someone_born_on_29_february_turns_older_on_29_february_of_a_leap_year():
    assert age_on(date(2008, 2, 29), date(2024, 2, 28)) == 15
    assert age_on(date(2008, 2, 29), date(2024, 2, 29)) == 16


def test_deadline_arithmetic_is_total_at_the_ends_of_the_calendar():
    from datetime import date as d

    from sammen.core.deadlines import add_period, deadline, next_working_day, out_of_range

    assert add_period(d(9999, 12, 31), months=1) == d.max
    assert add_period(d(2026, 1, 31), months=2_147_483_647) == d.max
    assert add_period(d(1, 1, 2), days=-7) == d.min
    assert deadline(d(9999, 12, 30), months=3) == d.max
    assert next_working_day(d.max) == d.max
    assert out_of_range(d.max) and out_of_range(d.min)
    assert not out_of_range(d(2026, 12, 3)) and not out_of_range(None)
