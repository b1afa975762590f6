"""Rules of the child's case that follow from law and guideline (DOMAIN.md §5)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from sammen.core.deadlines import age_on, deadline

# Child welfare follows children up to their 23rd birthday (bvl. § 1-2, guideline 002 §1).
CHILD_WELFARE_AGE_LIMIT = 23
EMERGENCY_PLACEMENT_WEEKS = 6
FINAL_CARE_PLAN_YEARS = 2


def is_within_age_limit(birth: date, on: date) -> bool:
    """True while the person is younger than 23 on `on`."""
    return age_on(birth, on) < CHILD_WELFARE_AGE_LIMIT


def emergency_placement_limit(start: date) -> date:
    """Last day an emergency placement may last before a care-order case must be brought."""
    return deadline(start, weeks=EMERGENCY_PLACEMENT_WEEKS)


def final_care_plan_due(care_order_decided_on: date) -> date:
    """The final care plan is due no later than two years after the care-order decision."""
    return deadline(care_order_decided_on, years=FINAL_CARE_PLAN_YEARS)


@dataclass(frozen=True)
class CaseWarning:
    message: str
    due: date | None = None


def case_warnings(*, today: date, placements, decisions, care_plans, petition_status) -> list:
    """Warnings a caseworker should see on the overview: passed or near legal deadlines."""
    warnings = []
    for placement in placements:
        if placement.kind == "emergency" and placement.is_active_on(today):
            limit = emergency_placement_limit(placement.start_date)
            if petition_status == "none":
                warnings.append(
                    CaseWarning(
                        _("Emergency placement: a care-order petition must be sent by this date."),
                        limit,
                    )
                )
    care_orders = [d for d in decisions if d.kind == "care_order"]
    has_final_plan = any(p.kind == "final" for p in care_plans)
    if care_orders and not has_final_plan:
        first = min(care_orders, key=lambda d: d.decided_on)
        warnings.append(
            CaseWarning(
                _("Final care plan is due by this date."), final_care_plan_due(first.decided_on)
            )
        )
    return warnings
