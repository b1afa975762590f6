"""The dates of the visits workflow agree with each other and with the day: pure functions.

Each rule returns the Norwegian-facing refusals by field (`{"field": message}`, empty when the
dates agree), naming the dates in conflict, e.g. "The visit (12.03.2026) is outside the report's
period (01.02.2026–28.02.2026)." The models' `clean()` and the services raise them; beyond these,
every form date is bounded by `core.dates` (1900 … ten years ahead).

| record | field | rule |
|---|---|---|
| plan | `evaluate_on` | on or after `starts_on`, at most two years after it |
| plan | `starts_on` (a new version) | not before the previous version's start |
| visit | `ends_at` | after `starts_at`, at most 72 hours after it (a plan's visits last ≤ 72 h) |
| visit | `starts_at` (a new visit) | not before its plan version's start |
| visit | held | only once it has started |
| report | `period_end` | on or after `period_start` |
| report | `period_start` | not in the future |
| report | `session` | a held visit that has started, within the report's period |
| report | `reviewed_on` | within the report's life (`cases.review.review_date_conflict`) |
| expense | `spent_on` | not in the future |
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import SessionStatus

# A plan is evaluated at least this often (in years).
YEARS_TO_EVALUATION = 2
# The longest visit: the plan's own limit on a visit's length (`VisitPlan.hours`, 72 h).
MAX_VISIT_HOURS = 72


def refuse(errors: dict[str, str]) -> None:
    """Raise the refusals as errors of the whole record: a form that leaves a field out
    (recording a held visit leaves out its times) shows them all the same. Forms that have the
    field put the same message on it first."""
    if errors:
        raise ValidationError(list(errors.values()))


def _years_later(value: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February); the calendar's end beyond it."""
    try:
        return value + relativedelta(years=years)
    except (OverflowError, ValueError):
        return date.max


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _local(value: datetime) -> datetime:
    """Local (Oslo) time; a stored moment at the calendar's very end stays as it is."""
    try:
        return timezone.localtime(value)
    except OverflowError:
        return value


def local_day(value: datetime) -> date:
    return _local(value).date()


def moment(value: datetime) -> str:
    return _local(value).strftime("%d.%m.%Y %H:%M")


def plan_dates(starts_on: date | None, evaluate_on: date | None) -> dict[str, str]:
    """The plan is evaluated after it starts, and within two years."""
    if starts_on is None or evaluate_on is None:
        return {}
    values = {"evaluate": day(evaluate_on), "start": day(starts_on)}
    if evaluate_on < starts_on:
        return {
            "evaluate_on": _(
                "The plan is to be evaluated on %(evaluate)s, before it starts (%(start)s)."
            )
            % values
        }
    if evaluate_on > _years_later(starts_on, YEARS_TO_EVALUATION):
        return {
            "evaluate_on": _(
                "The plan is to be evaluated on %(evaluate)s, more than two years after it "
                "starts (%(start)s). Evaluate it within two years."
            )
            % values
        }
    return {}


def version_start(
    starts_on: date, *, number: int, previous_number: int, previous_start: date | None
) -> dict[str, str]:
    """A new version of a plan starts on or after the start of the version it replaces."""
    if previous_start is None or starts_on >= previous_start:
        return {}
    return {
        "starts_on": _(
            "Version %(n)s cannot start on %(start)s, before version %(previous)s of the plan "
            "(from %(previous_start)s)."
        )
        % {
            "n": number,
            "start": day(starts_on),
            "previous": previous_number,
            "previous_start": day(previous_start),
        }
    }


def session_times(starts_at: datetime | None, ends_at: datetime | None) -> dict[str, str]:
    """A visit ends after it starts, at most 72 hours later."""
    if starts_at is None or ends_at is None:
        return {}
    values = {"start": moment(starts_at), "end": moment(ends_at)}
    if ends_at <= starts_at:
        return {"ends_at": _("The visit ends at %(end)s, before it starts (%(start)s).") % values}
    if ends_at - starts_at > timedelta(hours=MAX_VISIT_HOURS):
        return {
            "ends_at": _("The visit from %(start)s to %(end)s is longer than 72 hours.") % values
        }
    return {}


def session_in_plan(starts_at: datetime, *, plan_number: int, plan_start: date) -> dict[str, str]:
    """A new visit of a plan version is not before that version starts."""
    if local_day(starts_at) >= plan_start:
        return {}
    return {
        "starts_at": _(
            "The visit on %(day)s is before version %(n)s of the plan starts (%(start)s)."
        )
        % {"day": day(local_day(starts_at)), "n": plan_number, "start": day(plan_start)}
    }


def session_held(starts_at: datetime, *, now: datetime) -> dict[str, str]:
    """A visit can be recorded as held only once it has started."""
    if starts_at <= now:
        return {}
    return {
        "starts_at": _(
            "The visit on %(when)s has not started yet; it can be recorded as held once it has "
            "started."
        )
        % {"when": moment(starts_at)}
    }


def report_dates(
    period_start: date | None, period_end: date | None, *, today: date
) -> dict[str, str]:
    """A report's period is ordered and has begun."""
    errors = {}
    if period_start is not None and period_start > today:
        errors["period_start"] = _(
            "The report's period begins on %(start)s, which has not come yet (today is %(today)s)."
        ) % {"start": day(period_start), "today": day(today)}
    if period_start is not None and period_end is not None and period_end < period_start:
        errors["period_end"] = _(
            "The report's period ends on %(end)s, before it begins (%(start)s)."
        ) % {"end": day(period_end), "start": day(period_start)}
    return errors


def report_session(
    session,
    period_start: date | None,
    period_end: date | None,
    *,
    now: datetime,
) -> dict[str, str]:
    """A report on one visit is on a visit that was held, within the report's period."""
    if session is None:
        return {}
    on = local_day(session.starts_at)
    if session.status != SessionStatus.HELD:
        return {
            "session": _(
                'The visit on %(day)s has the status "%(status)s"; a report can be written only '
                "on a visit that was held."
            )
            % {"day": day(on), "status": str(session.get_status_display()).lower()}
        }
    if session.starts_at > now:
        return {
            "session": _(
                "The visit on %(day)s has not taken place yet; a report can be written only on "
                "a visit that was held."
            )
            % {"day": day(on)}
        }
    if (
        period_start is not None
        and period_end is not None
        and not (period_start <= on <= period_end)
    ):
        return {
            "session": _("The visit (%(day)s) is outside the report's period (%(start)s–%(end)s).")
            % {"day": day(on), "start": day(period_start), "end": day(period_end)}
        }
    return {}


def expense_date(spent_on: date | None, *, today: date) -> dict[str, str]:
    """Support is recorded once it has been given: not dated in the future."""
    if spent_on is None or spent_on <= today:
        return {}
    return {
        "spent_on": _("The expense is dated %(day)s, which is after today (%(today)s).")
        % {"day": day(spent_on), "today": day(today)}
    }
