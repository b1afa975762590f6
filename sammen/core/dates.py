"""The range of dates Sammen accepts, in one place.

Nothing the service records lies before `EARLIEST` (a birth date included: child welfare follows
people under 23, their parents and grandparents are born after 1900), and nothing is planned
further ahead than `YEARS_AHEAD` years (a visit, a report period, a care order's review, an
access grant). Every date and date-time field of every form is checked against this range
(`core.forms.DesignsystemetFormMixin`), and the browser's date picker is given the same bounds.
Stricter rules of a single field (not in the future, after the start) come on top, in the form
or the model's `clean()`.
"""

from datetime import date

from django.utils import timezone

EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 10


def latest(today: date | None = None) -> date:
    """The last date that may be recorded or planned, seen from `today`."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def within_bounds(day: date, today: date | None = None) -> bool:
    return EARLIEST <= day <= latest(today)
