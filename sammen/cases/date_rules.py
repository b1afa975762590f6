"""The bounds of the dates of a child's case, in one place.

Every date of every form is first kept inside `core.dates` (1 January 1900 … ten years ahead).
On top of that each record keeps its dates in the order things can happen. Each rule below is a
pure function that returns the refusal, in words that name both dates, or None. The models call
them from `clean_fields()` (`cases.models.dated.DateRulesMixin`), so a form shows the refusal
under its field and a service's `full_clean()` refuses the same; a rule whose field a form does
not show, or whose field already has an error, is left out there.

record          field            rule
--------------  ---------------  --------------------------------------------------------------
ChildCase       opened_on        not in the future; not before the child's date of birth
ChildCase       closed_on        not before opened_on; not in the future
ChildCase       petition_date    not before opened_on; a petition sent: not in the future
Person          date_of_birth    not in the future; the child's: not after the case was opened,
                                 the first placement's start or the first tribunal decision
Placement       start_date       not before the child's date of birth
Placement       end_date         not before start_date; at most two years ahead
TribunalDecision decided_on      not in the future; not before the child's date of birth
CarePlan        made_on          not in the future; a final plan: not before its care order
CarePlan        next_review_on   after made_on
ActionPlan      ends_on          not before starts_on
ActionPlan      evaluated_on     not before starts_on; not in the future
AccessGrant     valid_until      after valid_from (`access.models.AccessGrant.clean`); in the
                                 future and at most `forms.MAX_GRANT_DAYS` ahead (the grant form)

The child's own age limit (under 23 when the case is opened) is `rules.is_within_age_limit`.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

# A placement's planned end further ahead than this is not a plan: leave the end empty.
PLACEMENT_END_YEARS_AHEAD = 2


def shown(day: date | datetime) -> str:
    """A date as "03.12.2026"; a moment as "03.12.2026 14:30" in local time."""
    if isinstance(day, datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
        return f"{day.day:02}.{day.month:02}.{day.year:04} {day.hour:02}:{day.minute:02}"
    return f"{day.day:02}.{day.month:02}.{day.year:04}"


def _after(day, today) -> bool:
    return day is not None and day > today


def _before(day, other) -> bool:
    return day is not None and other is not None and day < other


# --- The case ------------------------------------------------------------------------------


def case_opened_in_future(opened: date | None, today: date) -> str | None:
    if _after(opened, today):
        return _("The case cannot be opened in the future (%(opened)s).") % {
            "opened": shown(opened)
        }
    return None


def case_opened_before_birth(opened: date | None, birth: date | None) -> str | None:
    if _before(opened, birth):
        return _(
            "The case cannot be opened (%(opened)s) before the child was born (%(birth)s)."
        ) % {
            "opened": shown(opened),
            "birth": shown(birth),
        }
    return None


def case_closed_before_opened(closed: date | None, opened: date | None) -> str | None:
    if _before(closed, opened):
        return _("The case cannot be closed (%(closed)s) before it was opened (%(opened)s).") % {
            "closed": shown(closed),
            "opened": shown(opened),
        }
    return None


def case_closed_in_future(closed: date | None, today: date) -> str | None:
    if _after(closed, today):
        return _("The case cannot be closed in the future (%(closed)s).") % {
            "closed": shown(closed)
        }
    return None


def petition_before_opened(petition: date | None, opened: date | None) -> str | None:
    if _before(petition, opened):
        return _(
            "The petition date (%(petition)s) cannot be before the case was opened (%(opened)s)."
        ) % {"petition": shown(petition), "opened": shown(opened)}
    return None


def petition_sent_in_future(petition: date | None, sent: bool, today: date) -> str | None:
    if sent and _after(petition, today):
        return _("A petition cannot have been sent in the future (%(petition)s).") % {
            "petition": shown(petition)
        }
    return None


# --- Persons -------------------------------------------------------------------------------


def birth_in_future(birth: date | None, today: date) -> str | None:
    if _after(birth, today):
        return _("The date of birth (%(birth)s) cannot be in the future.") % {"birth": shown(birth)}
    return None


def child_born_after_opened(birth: date | None, opened: date | None) -> str | None:
    if _before(opened, birth):
        return _(
            "The child's date of birth (%(birth)s) is after the case was opened (%(opened)s)."
        ) % {"birth": shown(birth), "opened": shown(opened)}
    return None


def child_born_after_placement(birth: date | None, first_start: date | None) -> str | None:
    if _before(first_start, birth):
        return _(
            "The child's date of birth (%(birth)s) is after the start of a placement (%(start)s)."
        ) % {"birth": shown(birth), "start": shown(first_start)}
    return None


def child_born_after_decision(birth: date | None, first_decision: date | None) -> str | None:
    if _before(first_decision, birth):
        return _(
            "The child's date of birth (%(birth)s) is after a tribunal decision (%(decided)s)."
        ) % {"birth": shown(birth), "decided": shown(first_decision)}
    return None


# --- Placements ----------------------------------------------------------------------------


def placement_ends_before_start(start: date | None, end: date | None) -> str | None:
    if _before(end, start):
        return _("The placement cannot end (%(end)s) before it starts (%(start)s).") % {
            "end": shown(end),
            "start": shown(start),
        }
    return None


def placement_starts_before_birth(start: date | None, birth: date | None) -> str | None:
    if _before(start, birth):
        return _(
            "The placement cannot start (%(start)s) before the child was born (%(birth)s)."
        ) % {"start": shown(start), "birth": shown(birth)}
    return None


def placement_end_too_far_ahead(end: date | None, today: date) -> str | None:
    latest = today + relativedelta(years=PLACEMENT_END_YEARS_AHEAD)
    if _after(end, latest):
        return _(
            "The end date (%(end)s) is more than two years ahead (after %(latest)s). "
            "Leave it empty until the end is known."
        ) % {"end": shown(end), "latest": shown(latest)}
    return None


# --- Tribunal decisions --------------------------------------------------------------------


def decision_in_future(decided: date | None, today: date) -> str | None:
    if _after(decided, today):
        return _("The decision date (%(decided)s) cannot be in the future.") % {
            "decided": shown(decided)
        }
    return None


def decision_before_birth(decided: date | None, birth: date | None) -> str | None:
    if _before(decided, birth):
        return _(
            "The decision (%(decided)s) cannot be from before the child was born (%(birth)s)."
        ) % {"decided": shown(decided), "birth": shown(birth)}
    return None


# --- Plans ---------------------------------------------------------------------------------


def care_plan_in_future(made: date | None, today: date) -> str | None:
    if _after(made, today):
        return _("The date of the care plan (%(made)s) cannot be in the future.") % {
            "made": shown(made)
        }
    return None


def final_care_plan_before_care_order(made: date | None, decided: date | None) -> str | None:
    if _before(made, decided):
        return _(
            "A final care plan (%(made)s) cannot be from before the care-order decision "
            "(%(decided)s)."
        ) % {"made": shown(made), "decided": shown(decided)}
    return None


def care_plan_review_not_after_plan(review: date | None, made: date | None) -> str | None:
    if review is not None and made is not None and review <= made:
        return _("The next review (%(review)s) must be after the date of the plan (%(made)s).") % {
            "review": shown(review),
            "made": shown(made),
        }
    return None


def action_plan_ends_before_start(start: date | None, end: date | None) -> str | None:
    if _before(end, start):
        return _("The action plan cannot end (%(end)s) before it starts (%(start)s).") % {
            "end": shown(end),
            "start": shown(start),
        }
    return None


def evaluation_before_start(evaluated: date | None, start: date | None) -> str | None:
    if _before(evaluated, start):
        return _(
            "The evaluation (%(evaluated)s) cannot be before the action plan starts (%(start)s)."
        ) % {"evaluated": shown(evaluated), "start": shown(start)}
    return None


def evaluation_in_future(evaluated: date | None, today: date) -> str | None:
    if _after(evaluated, today):
        return _("The evaluation (%(evaluated)s) cannot be in the future.") % {
            "evaluated": shown(evaluated)
        }
    return None


# --- Access grants -------------------------------------------------------------------------


def grant_end_not_ahead(until: datetime, now: datetime) -> str | None:
    if until <= now:
        return _("The end (%(until)s) must be in the future.") % {"until": shown(until)}
    return None


def grant_too_long(until: datetime, now: datetime, days: int) -> str | None:
    latest = now + relativedelta(days=days)
    if until > latest:
        return _("Access can be granted for at most %(days)s days (until %(latest)s).") % {
            "days": days,
            "latest": shown(latest),
        }
    return None
