"""Rules of visits as pure functions: the ruling's minimum, recurrence and double bookings.

The tribunal's ruling is a minimum (guideline 002 §4.5.5): a plan may give more, never less,
unless a new decision says so. For a voluntary placement no ruling applies; the arrangement is
agreed with the parents and the service may not restrict it alone.

Who needs a ruling (our reading, documented here because the guideline does not spell it out):
under a care order (or an approved emergency decision) the parents are parties to the decision,
so a plan for a parent without a ruling is refused until the ruling is registered. Anyone else
(a grandparent, a sibling) whom no decision names has no right from the tribunal: their visits
are "other contact by agreement", accepted with a notice and without a minimum.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule
from django.utils.translation import gettext_lazy as _

from sammen.core import deadlines, wording

OSLO = ZoneInfo("Europe/Oslo")

# Periods per year. A year has 52 weeks here, as in the guideline's "1 per week = 52 a year".
PER_YEAR = {"week": 52, "month": 12, "year": 1}

# How strict supervision is, weakest first.
SUPERVISION_LEVEL = {"none": 0, "supported": 1, "supervised": 2}

# Placement kinds under which the tribunal's ruling binds the service.
RULED_PLACEMENTS = ("care_order", "emergency")


def visits_per_year(visits: int, period_length: int, period_unit: str) -> Fraction:
    """The frequency as exact visits per year: 1 per 2 months = 6, 1 per 8 weeks = 13/2."""
    return Fraction(visits * PER_YEAR[period_unit], period_length)


def frequency_text(visits: int, period_length: int, period_unit: str) -> str:
    """The frequency in words: "every other week", "once a month" (`core.wording`)."""
    return wording.frequency_text(visits, period_length, period_unit)


def effective_ruling(rulings: Iterable, visitor_id: int):
    """The ruling in force for a visitor: from the latest decision that has one for them.

    `rulings` are VisitationRuling rows with their decision loaded (or light records with the
    same attributes). A later decision replaces an earlier one only for the visitors it rules on.
    """
    mine = [r for r in rulings if r.visitor_id == visitor_id]
    if not mine:
        return None
    return max(mine, key=lambda r: (r.decision.decided_on, r.decision_id, r.pk or 0))


@dataclass(frozen=True)
class PlanTerms:
    """What a plan gives: frequency, length of each visit and supervision."""

    visits: int
    period_length: int
    period_unit: str
    hours: Decimal
    supervision: str

    @property
    def per_year(self) -> Fraction:
        return visits_per_year(self.visits, self.period_length, self.period_unit)


@dataclass
class PlanCheck:
    """The outcome of checking a plan: the basis it rests on, refusals and notices."""

    basis: str  # "ruling", "voluntary" or "agreement"
    ruling: object = None
    refusals: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals


def check_plan(
    terms: PlanTerms,
    *,
    ruling,
    placement_kind: str | None,
    visitor_is_parent: bool,
    agreed_with_parents: bool,
    latest_decision=None,
) -> PlanCheck:
    """Check a plan against the ruling in force; messages cite the decision (kind and date)."""
    if placement_kind == "voluntary":
        check = PlanCheck(basis="voluntary")
        if not agreed_with_parents:
            check.refusals.append(
                _(
                    "The child is placed voluntarily: the visits must be agreed with the parents, "
                    "and the service cannot decide them alone. Record that the plan is agreed."
                )
            )
        return check
    if ruling is None:
        if visitor_is_parent and latest_decision is not None:
            return PlanCheck(
                basis="ruling",
                refusals=[
                    _(
                        "The tribunal's decision (%(decision)s) has no ruling on contact for this "
                        "parent. Register the ruling from the decision before making the plan."
                    )
                    % {"decision": latest_decision}
                ],
            )
        if visitor_is_parent and placement_kind in RULED_PLACEMENTS:
            return PlanCheck(
                basis="ruling",
                refusals=[
                    _(
                        "The child is placed under a decision, but no tribunal decision with a "
                        "ruling on this parent's contact is registered. Register it first."
                    )
                ],
            )
        return PlanCheck(
            basis="agreement",
            notices=[
                _(
                    "No decision of the tribunal rules on this person's contact: the visits are "
                    "other contact by agreement, with no minimum from the tribunal."
                )
            ],
        )
    return _against_ruling(terms, ruling)


def _against_ruling(terms: PlanTerms, ruling) -> PlanCheck:
    check = PlanCheck(basis="ruling", ruling=ruling)
    decision = ruling.decision
    granted = frequency_text(ruling.visits, ruling.period_length, ruling.period_unit)
    if terms.per_year < visits_per_year(ruling.visits, ruling.period_length, ruling.period_unit):
        check.refusals.append(
            _(
                "Too few visits: the tribunal's decision (%(decision)s) grants at least "
                "%(granted)s; the plan gives %(planned)s. Less than the ruling needs a new "
                "decision from the tribunal."
            )
            % {
                "decision": decision,
                "granted": granted,
                "planned": frequency_text(terms.visits, terms.period_length, terms.period_unit),
            }
        )
    if Decimal(terms.hours) < Decimal(ruling.min_hours):
        check.refusals.append(
            _(
                "Visits too short: the tribunal's decision (%(decision)s) grants at least "
                "%(min)s hours per visit; the plan gives %(hours)s."
            )
            % {
                "decision": decision,
                "min": wording.number(ruling.min_hours),
                "hours": wording.number(terms.hours),
            }
        )
    ruled = SUPERVISION_LEVEL[ruling.supervision]
    planned = SUPERVISION_LEVEL[terms.supervision]
    if ruling.supervision == "supervised" and terms.supervision != "supervised":
        check.refusals.append(
            _(
                "The tribunal's decision (%(decision)s) rules that the visits are supervised; "
                "the plan must say supervised."
            )
            % {"decision": decision}
        )
    elif planned > ruled:
        check.notices.append(
            _(
                "The plan has more supervision than the decision (%(decision)s) requires. "
                "Record why in the plan."
            )
            % {"decision": decision}
        )
    return check


# Is the minimum met? ---------------------------------------------------------------------


_UNITS = {"week": "weeks", "month": "months", "year": "years"}


def _period(period_length: int, period_unit: str, k: int) -> relativedelta:
    return relativedelta(**{_UNITS[period_unit]: period_length * k})


@lru_cache(maxsize=4096)
def window_containing(
    start: date, period_length: int, period_unit: str, day: date
) -> tuple[date, date]:
    """The ruling period that holds `day`, counted in whole periods from `start`.

    Returns (first day, first day of the next period). Each window is computed from `start`
    (not from the previous window), so months do not drift after a 31st.
    """
    if day < start:
        return start, start + _period(period_length, period_unit, 1)
    days_per_period = {"week": 7, "month": 28, "year": 365}[period_unit] * period_length
    k = max((day - start).days // days_per_period - 1, 0)
    while start + _period(period_length, period_unit, k + 1) <= day:
        k += 1
    return start + _period(period_length, period_unit, k), start + _period(
        period_length, period_unit, k + 1
    )


@dataclass(frozen=True)
class SessionFact:
    """What the minimum count needs of a visit: its local date, status and who cancelled."""

    day: date
    status: str
    cancelled_by: str = ""


@dataclass
class MinimumStatus:
    """Visits in the current period against what is required in it."""

    window_start: date
    window_end: date  # exclusive
    required: int | None
    held: int = 0
    planned: int = 0
    cancelled: int = 0
    cancelled_by: dict = field(default_factory=dict)

    @property
    def last_day(self) -> date:
        return self.window_end - timedelta(days=1)

    @property
    def met(self) -> bool:
        return self.required is not None and self.held >= self.required

    @property
    def falling_short(self) -> bool:
        """Even if every planned visit is held, the period ends below the minimum."""
        return self.required is not None and self.held + self.planned < self.required


def minimum_status(
    *,
    plan_start: date,
    visits: int | None,
    period_length: int,
    period_unit: str,
    sessions: Iterable[SessionFact],
    today: date,
) -> MinimumStatus:
    """Planned, held and cancelled visits in the current period; `visits` is the minimum."""
    start, end = window_containing(plan_start, period_length, period_unit, today)
    status = MinimumStatus(window_start=start, window_end=end, required=visits)
    by_whom = Counter()
    for s in sessions:
        if not start <= s.day < end:
            continue
        if s.status == "held":
            status.held += 1
        elif s.status == "planned":
            status.planned += 1
        else:
            status.cancelled += 1
            by_whom[s.cancelled_by] += 1
    status.cancelled_by = dict(by_whom)
    return status


# Scheduling ------------------------------------------------------------------------------


def occurrences(
    *, first: date, at: time, minutes: int, recurrence: str, interval: int, until: date
) -> list[tuple[datetime, datetime]]:
    """Start and end of each visit of a series, in Oslo time: 17:00 stays 17:00 all year.

    The rule runs on local wall-clock times; each is then made aware in Europe/Oslo, so the UTC
    offset follows daylight saving time. A monthly series on the 29th–31st falls on the
    month's last day in shorter months.
    """
    dtstart = datetime.combine(first, at)  # noqa: DTZ001 – local wall-clock time on purpose
    stop = datetime.combine(until, time.max)  # noqa: DTZ001
    if recurrence == "weekly":
        rule = rrule(WEEKLY, interval=interval, dtstart=dtstart, until=stop)
    else:
        days = (first.day, -1) if first.day > 28 else (first.day,)
        rule = rrule(
            MONTHLY, interval=interval, dtstart=dtstart, until=stop, bymonthday=days, bysetpos=1
        )
    length = timedelta(minutes=minutes)
    return [(local.replace(tzinfo=OSLO), (local + length).replace(tzinfo=OSLO)) for local in rule]


def holiday_on(moment: datetime) -> str | None:
    """The Norwegian public holiday on the Oslo date of `moment` (e.g. "Langfredag"), or None.

    Cached per year in `core.deadlines`: cheap enough for every row of a page, and query-free.
    """
    return deadlines.holiday_name(moment.astimezone(OSLO).date())


def split_holidays(series: list) -> tuple[list, list[tuple[datetime, str]]]:
    """The visits of a series not on a public holiday, and (start, holiday) of those on one."""
    workdays, on_holidays = [], []
    for start, end in series:
        name = holiday_on(start)
        if name:
            on_holidays.append((start, name))
        else:
            workdays.append((start, end))
    return workdays, on_holidays


def holiday_list(days: Iterable[tuple[datetime, str]]) -> str:
    """ "01.01.2027 (Første nyttårsdag), 26.03.2027 (Langfredag)" for a message."""
    return ", ".join(f"{start.astimezone(OSLO):%d.%m.%Y} ({name})" for start, name in days)


def a_week_later(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """The same wall-clock time a week later in Oslo (a suggested replacement visit)."""
    local = starts_at.astimezone(OSLO).replace(tzinfo=None) + timedelta(weeks=1)
    start = local.replace(tzinfo=OSLO)
    return start, start + (ends_at - starts_at)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Two periods overlap; back-to-back (one ends as the other starts) does not."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class Booking:
    starts_at: datetime
    ends_at: datetime
    counsellor_id: int | None = None
    flat_id: int | None = None
    pk: int | None = None


def clashes(candidate: Booking, bookings: Iterable[Booking]) -> list[tuple[Booking, str]]:
    """The bookings that double-book the candidate's counsellor ("counsellor") or flat ("flat")."""
    found = []
    for other in bookings:
        if candidate.pk is not None and other.pk == candidate.pk:
            continue
        if not overlaps(candidate.starts_at, candidate.ends_at, other.starts_at, other.ends_at):
            continue
        if candidate.counsellor_id and candidate.counsellor_id == other.counsellor_id:
            found.append((other, "counsellor"))
        if candidate.flat_id and candidate.flat_id == other.flat_id:
            found.append((other, "flat"))
    return found


def notice_hours(*, cancelled_at: datetime, starts_at: datetime) -> int:
    """Whole hours between the cancellation and the visit's start (negative: after the start)."""
    return math.floor((starts_at - cancelled_at).total_seconds() / 3600)
