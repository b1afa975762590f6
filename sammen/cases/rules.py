"""Rules of the child's case that follow from law and guideline (DOMAIN.md §5)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from sammen.core.deadlines import age_on, deadline, out_of_range

# Child welfare follows children up to their 23rd birthday (bvl. § 1-2, guideline 002 §1).
CHILD_WELFARE_AGE_LIMIT = 23
EMERGENCY_PLACEMENT_WEEKS = 6
FINAL_CARE_PLAN_YEARS = 2
PETITION_SENT = "sent"  # `PetitionStatus.SENT`; the rules import no models


def is_within_age_limit(birth: date, on: date) -> bool:
    """True while the person is younger than 23 on `on`."""
    return age_on(birth, on) < CHILD_WELFARE_AGE_LIMIT


def emergency_placement_limit(start: date) -> date:
    """Last day an emergency placement may last before a care-order case must be brought."""
    return deadline(start, weeks=EMERGENCY_PLACEMENT_WEEKS)


def final_care_plan_due(care_order_decided_on: date) -> date:
    """The final care plan is due no later than two years after the care-order decision."""
    return deadline(care_order_decided_on, years=FINAL_CARE_PLAN_YEARS)


# Legal deadlines of the case (DOMAIN.md §5) that `case_warnings` shows on the overview and
# `followup.selectors.reminders_for` reminds the caseworker and the section leader of.
EMERGENCY_PETITION = "emergency_petition"
FINAL_CARE_PLAN = "final_care_plan"
LEGAL_DEADLINE_KINDS = (EMERGENCY_PETITION, FINAL_CARE_PLAN)


@dataclass(frozen=True)
class LegalDeadline:
    """A legal deadline the case is under today, e.g. the care-order petition of an emergency
    placement of 3 March, due 14 April."""

    kind: str
    due: date
    counted_from: date

    @property
    def invalid_date(self) -> bool:
        """The deadline was counted from an impossible stored date (the calendar's end)."""
        return out_of_range(self.due)

    def is_overdue(self, today: date) -> bool:
        """Passed: the due date is before today (the last day itself is not overdue)."""
        return self.due < today and not self.invalid_date


def petition_outstanding(placement, *, petition_status: str, today: date) -> bool:
    """An emergency placement in force today whose care-order petition has not been sent (none
    yet, or still being prepared): the service must bring the case within six weeks."""
    return (
        placement.kind == "emergency"
        and placement.is_active_on(today)
        and petition_status != PETITION_SENT
    )


def care_orders_in_force(decisions) -> list:
    """The care-order decisions no lifting has ended: those with no lifting decided on or after
    them (a care order lifted and later decided again counts from the new decision)."""
    liftings = [d.decided_on for d in decisions if d.kind == "lifting"]
    return [
        d
        for d in decisions
        if d.kind == "care_order" and not any(day >= d.decided_on for day in liftings)
    ]


def final_care_plan_counted_from(decisions, care_plans) -> date | None:
    """The date the final care plan's two years count from: the first care order in force, if
    no final plan has been made."""
    if any(p.kind == "final" for p in care_plans):
        return None
    care_orders = care_orders_in_force(decisions)
    return min(d.decided_on for d in care_orders) if care_orders else None


def legal_deadlines(
    *, today: date, placements, decisions, care_plans, petition_status: str
) -> list[LegalDeadline]:
    """The legal deadlines the case is under today: the care-order petition of every emergency
    placement in force without one sent, and the final care plan after a care order."""
    deadlines = [
        LegalDeadline(EMERGENCY_PETITION, emergency_placement_limit(p.start_date), p.start_date)
        for p in placements
        if petition_outstanding(p, petition_status=petition_status, today=today)
    ]
    start = final_care_plan_counted_from(decisions, care_plans)
    if start is not None:
        deadlines.append(LegalDeadline(FINAL_CARE_PLAN, final_care_plan_due(start), start))
    return deadlines


@dataclass(frozen=True)
class CaseWarning:
    message: str
    due: date | None = None
    overdue: bool = False  # the deadline has passed: marked "Overdue" with its date
    invalid_date: bool = False  # counted from an impossible stored date: marked, not shown


WARNING_TEXTS = {
    EMERGENCY_PETITION: _("Emergency placement: a care-order petition must be sent by this date."),
    FINAL_CARE_PLAN: _("Final care plan is due by this date."),
}


def case_warnings(*, today: date, placements, decisions, care_plans, petition_status) -> list:
    """Warnings a caseworker should see on the overview: the case's legal deadlines, passed or
    to come, each marked overdue once its last day has passed."""
    return [
        CaseWarning(
            WARNING_TEXTS[d.kind],
            d.due,
            overdue=d.is_overdue(today),
            invalid_date=d.invalid_date,
        )
        for d in legal_deadlines(
            today=today,
            placements=placements,
            decisions=decisions,
            care_plans=care_plans,
            petition_status=petition_status,
        )
    ]


# Decisions and placements in force on a day -------------------------------------------------
#
# Pure functions over plain objects: a decision has `kind` and `decided_on` (DecisionKind values),
# a placement `start_date` and `end_date`. Used by the follow-up's closure and aftercare rules.

CARE_ORDER_KINDS = ("care_order", "emergency")  # DecisionKind.CARE_ORDER, EMERGENCY_APPROVAL
LIFTING_KIND = "lifting"  # DecisionKind.LIFTING


def _ordered(decisions):
    """The decisions in the order they took effect; on one day a lifting comes last."""
    return sorted(decisions, key=lambda d: (d.decided_on, d.kind == LIFTING_KIND))


def care_order_in_force(decisions, on: date):
    """The care order (or approved emergency decision) in force on `on`: the latest of them
    decided on or before `on` that no later lifting decision (up to `on`) ended; else None."""
    current = None
    for decision in _ordered(decisions):
        if decision.decided_on > on:
            break
        if decision.kind in CARE_ORDER_KINDS:
            current = decision  # the latest (a care order after the approved emergency one)
        elif decision.kind == LIFTING_KIND:
            current = None
    return current


def lifting_decision_for(decisions, on: date):
    """The decision that lifted the care order by `on`: the latest lifting decided on or before
    `on` that followed a care order, with no new care order after it; else None."""
    lifting, under_care = None, False
    for decision in _ordered(decisions):
        if decision.decided_on > on:
            break
        if decision.kind in CARE_ORDER_KINDS:
            lifting, under_care = None, True
        elif decision.kind == LIFTING_KIND and under_care:
            lifting, under_care = decision, False
    return lifting


def placement_active_on(placements, on: date):
    """A placement the child is still in on `on` (started, and not ended before or on it)."""
    for placement in placements:
        started = placement.start_date <= on
        if started and (placement.end_date is None or placement.end_date > on):
            return placement
    return None
