"""The follow-up workflow's states and deadlines, as pure functions."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sammen.cases.rules import (  # the case's decisions in force, shared with the case pages
    care_order_in_force,
    lifting_decision_for,
    placement_active_on,
)
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
    kind: str = ""  # one of `selectors.OVERDUE_KINDS`: what the leaders' overdue figure counts

    def is_overdue(self, today: date) -> bool:
        return self.due < today


def reminder(
    due: date,
    text: str,
    url: str = "",
    *,
    matching: date | None = None,
    case_id: int | None = None,
    kind: str = "",
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
            kind=kind,
        )
    return Reminder(due, text, url, case_id=case_id, kind=kind)


# Dates of the follow-up and its closure ---------------------------------------------------------
#
# Pure functions over plain objects: a decision has `kind` and `decided_on` (cases.DecisionKind
# values), a placement `kind`, `start_date` and `end_date`. Each returns the Norwegian message of
# the first conflict it finds ("" when there is none), naming the dates on both sides.

AFTERCARE_REMINDER_DAYS = 28  # the end of aftercare is reminded four weeks before
# What may still be recorded in aftercare (bvl. § 8-7): contacts, the parent's living
# conditions and referrals to other services; no information round, consent, start meeting or
# phase (the phases describe a parent who has lost the care of the child).
AFTERCARE_RECORDS = ("Contact", "LivingConditions", "ServiceReferral")
# How far past today a report period may end: a report is written at, or just before, the end
# of its period.
REPORT_END_DAYS_AHEAD = 14


def dmy(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def not_in_future(day: date | None, today: date) -> str:
    if day and day > today:
        return _("The date (%(date)s) is in the future; today is %(today)s.") % {
            "date": dmy(day),
            "today": dmy(today),
        }
    return ""


def not_before_referral(day: date | None, referred_on: date | None) -> str:
    if day and referred_on and day < referred_on:
        return _("The date (%(date)s) is before the parent was referred (%(referred)s).") % {
            "date": dmy(day),
            "referred": dmy(referred_on),
        }
    return ""


def happened_date_problem(day: date | None, *, referred_on: date | None, today: date) -> str:
    """A date of something that happened in the follow-up: not in the future, not before the
    referral."""
    return not_in_future(day, today) or not_before_referral(day, referred_on)


def closure_problem(
    *, reason: str, closed_on: date, referred_on: date | None, today: date, decisions, placements
) -> tuple[str, str]:
    """Why the follow-up cannot be closed on `closed_on` for `reason`: (the field, the message),
    or ("", "").

    The closing date is not in the future and not before the referral. "The child has moved
    home" is refused while a care order is in force or the child is still placed on that date."""
    if closed_on > today:
        return "closed_on", _(
            "The closing date (%(date)s) is in the future; today is %(today)s."
        ) % {
            "date": dmy(closed_on),
            "today": dmy(today),
        }
    if referred_on and closed_on < referred_on:
        return "closed_on", _(
            "The closing date (%(date)s) is before the parent was referred (%(referred)s)."
        ) % {"date": dmy(closed_on), "referred": dmy(referred_on)}
    if reason != "reunified":
        return "", ""
    in_force = care_order_in_force(decisions, closed_on)
    if in_force is not None:
        if in_force.kind == "emergency":
            text = _(
                "The follow-up cannot be closed as «the child has moved home» on %(date)s while "
                "the emergency decision approved on %(decided)s is in force: register the "
                "tribunal's decision lifting it first."
            )
        else:
            text = _(
                "The follow-up cannot be closed as «the child has moved home» on %(date)s while "
                "the care order of %(decided)s is in force: register the tribunal's decision "
                "lifting it first."
            )
        return "reason", text % {"date": dmy(closed_on), "decided": dmy(in_force.decided_on)}
    placement = placement_active_on(placements, closed_on)
    if placement is not None:
        return "reason", _(
            "The follow-up cannot be closed as «the child has moved home» on %(date)s while the "
            "placement from %(start)s is still active: end the placement first."
        ) % {"date": dmy(closed_on), "start": dmy(placement.start_date)}
    return "", ""


def aftercare_problem(
    *,
    reason: str,
    closed_on: date,
    aftercare_until: date | None,
    lifting,
    law: str = "",
) -> str:
    """Why the aftercare date given at closure cannot stand, or "".

    Aftercare (bvl. § 8-7) follows only the decision lifting a care order (`lifting`, or None)
    and lasts at most six months from it; `law` names the provision (a LegalReference)."""
    if aftercare_until is None:
        return ""
    if reason != "reunified":
        return _("Aftercare only follows a closure because the child has moved home.")
    if lifting is None:
        return _(
            "No care order was lifted in this case, so there is no aftercare after a lifting "
            "decision: leave the aftercare date empty."
        )
    latest = after_lifting_until(lifting.decided_on)
    if latest < closed_on:
        return _(
            "Aftercare after the decision of %(lifted)s lifting the care order ended on "
            "%(latest)s, before the closing date: leave the aftercare date empty."
        ) % {"lifted": dmy(lifting.decided_on), "latest": dmy(latest)}
    if aftercare_until > latest:
        values = {
            "date": dmy(aftercare_until),
            "latest": dmy(latest),
            "lifted": dmy(lifting.decided_on),
            "law": law,
        }
        if law:
            return (
                _(
                    "Aftercare can last until %(latest)s at the latest (%(date)s was given): six "
                    "months after the decision of %(lifted)s lifting the care order (%(law)s)."
                )
                % values
            )
        return (
            _(
                "Aftercare can last until %(latest)s at the latest (%(date)s was given): six "
                "months after the decision of %(lifted)s lifting the care order."
            )
            % values
        )
    if aftercare_until < closed_on:
        return _("Aftercare cannot end (%(date)s) before the closing date (%(closed)s).") % {
            "date": dmy(aftercare_until),
            "closed": dmy(closed_on),
        }
    return ""


def aftercare_lifting(decisions, *, reason: str, closed_on: date):
    """The lifting decision a follow-up closed on `closed_on` for `reason` goes on from as
    aftercare: the one that lifted the care order by then, while its six months still run on
    the closing date; else None (no aftercare)."""
    if reason != "reunified":
        return None
    lifting = lifting_decision_for(decisions, closed_on)
    if lifting is None or after_lifting_until(lifting.decided_on) < closed_on:
        return None
    return lifting


def aftercare_lasts(followup, on: date) -> bool:
    """Whether `followup` is in aftercare on `on`: closed because the child moved home after a
    registered lifting decision, and `on` within the aftercare period."""
    return bool(
        followup.state == State.CLOSED
        and followup.closure_reason == "reunified"
        and followup.lifting_decision_id
        and followup.aftercare_until
        and on <= followup.aftercare_until
    )


def aftercare_record_problem(followup, *, lifted_on: date | None, held_on: date | None) -> str:
    """Why a record dated `held_on` does not fall in `followup`'s aftercare, or ""."""
    if held_on is None or not followup.aftercare_until:
        return ""
    if held_on > followup.aftercare_until:
        return _("The date (%(date)s) is after aftercare ended (%(until)s).") % {
            "date": dmy(held_on),
            "until": dmy(followup.aftercare_until),
        }
    if lifted_on and held_on < lifted_on:
        return _(
            "The date (%(date)s) is before aftercare started with the lifting decision of "
            "%(lifted)s."
        ) % {"date": dmy(held_on), "lifted": dmy(lifted_on)}
    return ""


def aftercare_reminds(aftercare_until: date | None, today: date) -> bool:
    """The end of aftercare is reminded from four weeks before it until the day itself."""
    return bool(
        aftercare_until
        and aftercare_until >= today
        and (aftercare_until - today).days <= AFTERCARE_REMINDER_DAYS
    )


def report_period_problem(
    *,
    start: date | None,
    end: date | None,
    started_on: date | None,
    referred_on: date | None,
    today: date,
) -> dict[str, str]:
    """The report period's conflicts by field: it starts no earlier than the follow-up (its start,
    else the referral) and ends no later than a fortnight from today."""
    problems = {}
    first = started_on or referred_on
    if start and first and start < first:
        if started_on:
            text = _("The period starts (%(start)s) before the follow-up started (%(first)s).")
        else:
            text = _("The period starts (%(start)s) before the parent was referred (%(first)s).")
        problems["period_start"] = text % {"start": dmy(start), "first": dmy(first)}
    if start and end and end < start:
        problems["period_end"] = _("The period ends (%(end)s) before it starts (%(start)s).") % {
            "end": dmy(end),
            "start": dmy(start),
        }
    elif end and (end - today).days > REPORT_END_DAYS_AHEAD:
        problems["period_end"] = _(
            "The period ends (%(end)s) more than %(days)s days from today (%(today)s): write the "
            "report at the end of the period."
        ) % {"end": dmy(end), "days": REPORT_END_DAYS_AHEAD, "today": dmy(today)}
    return problems
