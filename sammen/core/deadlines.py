"""Deadline arithmetic as Norwegian law counts it (domstolloven §§ 148-149).

A deadline in weeks, months or years ends on the matching date; if that date does not exist in
the month (31 January + 1 month) it is the month's last day. A deadline that ends on a
Saturday, Sunday or public holiday moves to the next working day.

The arithmetic is total: a period that would leave the calendar Python can hold (a report
period stored as ending in year 9999, a frame of two billion months) gives `date.max` or
`date.min`, which `out_of_range()` recognises, so a page can mark the row as an invalid date
instead of failing.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


@lru_cache(maxsize=64)
def _norwegian_holidays(year: int) -> dict:
    # include_sundays=False: older versions of `holidays` listed every Sunday as a holiday.
    # Names in Norwegian, the language of the UI ("Grunnlovsdag", "Andre påskedag").
    return dict(holidays.country_holidays("NO", years=year, include_sundays=False, language="no"))


def holiday_name(day: date) -> str | None:
    """The name of the Norwegian public holiday on `day`, or None."""
    return _norwegian_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Norwegian public holiday."""
    return day.weekday() < 5 and holiday_name(day) is None


def out_of_range(day: date | None) -> bool:
    """Whether `day` is one of the calendar's ends: a deadline computed from impossible data."""
    return day is not None and (day == date.max or day == date.min)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    while not out_of_range(day) and not is_working_day(day):
        day += timedelta(days=1)
    return day


# `add_period` and `deadline` are pure and called for every deadline of a list page; the same
# few hundred dates recur, and a cached answer costs far less than `relativedelta`'s arithmetic.
@lru_cache(maxsize=4096)
def add_period(
    start: date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0
) -> date:
    """The matching date after the period, clamped to the month's end (31 Jan + 1 month = 28/29 Feb);
    the calendar's end (`date.max` or `date.min`) if the result would leave it."""
    try:
        return start + relativedelta(days=days, weeks=weeks, months=months, years=years)
    except (OverflowError, ValueError):
        return date.max if min(days, weeks, months, years) >= 0 else date.min


@lru_cache(maxsize=4096)
def deadline(
    start: date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0
) -> date:
    """The legal deadline: the matching date, moved to the next working day when needed."""
    return next_working_day(add_period(start, days=days, weeks=weeks, months=months, years=years))


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    # Not relativedelta: it clamps 29 February to 28 February in common years, a day too early.
    had_birthday = (day.month, day.day) >= (birth.month, birth.day)
    return day.year - birth.year - (0 if had_birthday else 1)


def why_moved(day: date) -> str:
    """Why a deadline cannot end on `day`: the holiday's name, "lørdag" or "søndag"; "" if it can."""
    if is_working_day(day):
        return ""
    return holiday_name(day) or ("lørdag" if day.weekday() == 5 else "søndag")
