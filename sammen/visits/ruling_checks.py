"""Plans checked against an older version of their visitation ruling.

A plan keeps the exact version of the ruling it was checked against (`VisitPlan.ruling_version`).
When the tribunal's ruling changes (a new version of it), a current plan checked against an
earlier version is checked again with `rules.check_plan` against the version in force; one that
no longer meets it is flagged on the case overview and counted as falling short on the
dashboard.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Subquery

from sammen.cases.models.decisions import VisitationRulingVersion

from . import rules
from .models import VisitPlan


@dataclass(frozen=True)
class PlanBehindRuling:
    """A current plan that the current version of its ruling refuses."""

    plan: VisitPlan  # with `visitor`, `ruling` (and its decision) and `ruling_version` loaded
    refusals: list  # the refusals of `rules.check_plan`, as text
    # When the version in force was registered (None for rulings made before versions were kept).
    changed_at: datetime | None = None

    @property
    def checked_number(self) -> int:
        return self.plan.ruling_version.number

    @property
    def current_number(self) -> int:
        return self.plan.ruling.number


def plans_behind_their_ruling(cases) -> list[PlanBehindRuling]:
    """The current plans of `cases` (ids or a subquery of ids) checked against an older version
    of their ruling that do not meet the version in force, in one query."""
    newer = VisitPlan.objects.filter(
        case_id=OuterRef("case_id"),
        visitor_id=OuterRef("visitor_id"),
        number__gt=OuterRef("number"),
    )
    plans = (
        VisitPlan.objects.filter(case_id__in=cases, ruling_version__number__lt=F("ruling__number"))
        .filter(~Exists(newer))
        .select_related("visitor", "ruling__decision", "ruling_version")
        .annotate(
            ruling_changed_at=Subquery(
                VisitationRulingVersion.objects.filter(
                    ruling_id=OuterRef("ruling_id"), number=OuterRef("ruling__number")
                ).values("made_at")[:1]
            )
        )
        .order_by("case_id", "visitor_id")
    )
    found = []
    for plan in plans:
        check = rules.check_plan(
            rules.PlanTerms(
                plan.visits, plan.period_length, plan.period_unit, plan.hours, plan.supervision
            ),
            ruling=plan.ruling,
            placement_kind=None,
            visitor_is_parent=plan.visitor.is_parent,
            agreed_with_parents=plan.agreed_with_parents,
        )
        if not check.ok:
            found.append(
                PlanBehindRuling(
                    plan=plan,
                    refusals=[str(m) for m in check.refusals],
                    changed_at=plan.ruling_changed_at,
                )
            )
    return found


def plan_behind_its_ruling(plan: VisitPlan) -> PlanBehindRuling | None:
    """`plans_behind_their_ruling` for the one plan shown on its page: the flag, or None.

    `plan.ruling` is loaded by the page. Only a ruling that has changed can leave a plan behind,
    so a plan whose ruling is at its first version costs no query.
    """
    if plan.ruling_id is None or plan.ruling.number <= 1:
        return None
    return next(
        (b for b in plans_behind_their_ruling([plan.case_id]) if b.plan.pk == plan.pk), None
    )
