"""The follow-up workflow's states and deadlines, as pure functions."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sammen.core.deadlines import add_period, deadline, why_moved

from .choices import State

# Event → the states it may happen in → the state it leads to (None: the state stays).
TRANSITIONS: dict[str, tuple[tuple[State, ...], State | None]] = {
    "approve": ((State.REFERRED,), State.APPROVED),
    "return": ((State.REFERRED,), State.RETURNED),
    "resubmit": ((State.RETURNED,), State.REFERRED),
    "assign": (
        (
            State.APPROVED,
            State.ASSIGNED,
            State.DECLINED,
            State.CONSENTED,
            State.ACTIVE,
            State.PAUSED,
        ),
        None,
    ),
    "inform": ((State.ASSIGNED, State.DECLINED, State.PAUSED, State.CONSENTED, State.ACTIVE), None),
    "consent": ((State.ASSIGNED, State.DECLINED, State.PAUSED), State.CONSENTED),
    "decline": ((State.ASSIGNED, State.DECLINED), State.DECLINED),
    "withdraw": ((State.CONSENTED, State.ACTIVE), State.PAUSED),
    "internal_meeting": ((State.ASSIGNED, State.CONSENTED, State.DECLINED), None),
    "joint_meeting": ((State.CONSENTED,), State.ACTIVE),
    "activity": ((State.CONSENTED, State.ACTIVE), None),
    "report": ((State.ACTIVE,), None),
    "close": (
        (
            State.REFERRED,
            State.RETURNED,
            State.APPROVED,
            State.ASSIGNED,
            State.DECLINED,
            State.CONSENTED,
            State.ACTIVE,
            State.PAUSED,
        ),
        State.CLOSED,
    ),
}

REFUSALS = {
    "consent": _(
        "Consent can only be recorded after the follow-up has been assigned and the parent informed."
    ),
    "activity": _("No follow-up activity can be recorded before the parent has consented."),
    "report": _(
        "A report can only be written in an active follow-up (after the joint start meeting)."
    ),
    "joint_meeting": _("The joint start meeting comes after the parent has consented."),
}

OPEN_STATES = tuple(s for s in State if s != State.CLOSED)
# States in which a counsellor carries the family (counted as load).
CARRIED_STATES = (State.ASSIGNED, State.DECLINED, State.CONSENTED, State.ACTIVE, State.PAUSED)


def allowed(event: str, state: str) -> bool:
    """Whether `event` may happen in `state`."""
    return state in TRANSITIONS[event][0]


def next_state(event: str, state: str) -> str:
    """The state after `event`; refuses an event that may not happen now."""
    sources, target = TRANSITIONS[event]
    if state not in sources:
        raise ValidationError(
            REFUSALS.get(event, _("This step is not possible in the follow-up's current status."))
        )
    return target or state


# Deadlines ------------------------------------------------------------------------------------

FIRST_CONVERSATION_WEEKS = 2  # guideline 002 §4.5.1
AFTER_LIFTING_MONTHS = 6  # bvl. § 8-7
AFTERCARE_MONTHS = 6


def first_conversation_due(placement_start: date) -> date:
    """Offer the parents a conversation within two weeks of the placement's start."""
    return deadline(placement_start, weeks=FIRST_CONVERSATION_WEEKS)


def first_conversation_matching(placement_start: date) -> date:
    """The date two weeks on, before any move off a weekend or holiday."""
    return add_period(placement_start, weeks=FIRST_CONVERSATION_WEEKS)


def next_report_due(*, started_on: date, period_months: int, last_period_end: date | None) -> date:
    """The next periodic report is due one period after the start or after the last report."""
    return deadline(last_period_end or started_on, months=period_months)


def next_report_matching(
    *, started_on: date, period_months: int, last_period_end: date | None
) -> date:
    return add_period(last_period_end or started_on, months=period_months)


def after_lifting_until(lifted_on: date) -> date:
    """Follow-up may go on for up to six months after a care order is lifted."""
    return add_period(lifted_on, months=AFTER_LIFTING_MONTHS)


def suggested_aftercare_until(closed_on: date) -> date:
    """After reunification, suggest following the family for up to six months."""
    return add_period(closed_on, months=AFTERCARE_MONTHS)


@dataclass(frozen=True)
class Reminder:
    due: date
    text: str
    url: str = ""
    moved_from: date | None = None  # the matching date, when it fell on a weekend or holiday
    moved_because: str = ""
    case_id: int | None = None  # the case it concerns, for the audit row of the page showing it

    def is_overdue(self, today: date) -> bool:
        return self.due < today


def reminder(
    due: date,
    text: str,
    url: str = "",
    *,
    matching: date | None = None,
    case_id: int | None = None,
) -> Reminder:
    """A reminder that says so when its deadline was moved off a weekend or public holiday."""
    if matching is not None and matching != due:
        return Reminder(
            due,
            text,
            url,
            moved_from=matching,
            moved_because=why_moved(matching),
            case_id=case_id,
        )
    return Reminder(due, text, url, case_id=case_id)
