"""Reads of the visits workflow; lists are always filtered by the case-access policy."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from sammen.access.policy import visible_cases
from sammen.cases.models import ChildCase, Placement, TribunalDecision, VisitationRuling

from . import rules
from .models import VisitExpense, VisitPlan, VisitReport, VisitSession

RULED_DECISIONS = ("care_order", "emergency", "visitation")


def ruling_context(case, visitor, on: date) -> dict:
    """What a new plan for `visitor` is checked against: the ruling in force and the placement."""
    rulings = VisitationRuling.objects.filter(decision__case=case, visitor=visitor).select_related(
        "decision"
    )
    placements = list(
        Placement.objects.filter(case=case, start_date__lte=on).order_by("-start_date")
    )
    active = next((p for p in placements if p.is_active_on(on)), None)
    latest = (
        TribunalDecision.objects.filter(case=case, kind__in=RULED_DECISIONS)
        .order_by("-decided_on", "-id")
        .first()
    )
    return {
        "ruling": rules.effective_ruling(rulings, visitor.pk),
        "placement_kind": active.kind if active else None,
        "latest_decision": latest,
    }


def _facts(sessions) -> list:
    return [
        rules.SessionFact(timezone.localdate(s.starts_at), s.status, s.cancelled_by)
        for s in sessions
    ]


@dataclass
class PlanRow:
    """The current version of a visitor's plan, with the minimum count for the current period."""

    plan: VisitPlan
    ruling: VisitationRuling | None  # the ruling in force now
    minimum: rules.MinimumStatus

    @property
    def ruling_changed(self) -> bool:
        """A newer decision rules on this visitor than the one the plan was checked against."""
        return self.plan.ruling_id is not None and (
            self.ruling is None or self.ruling.pk != self.plan.ruling_id
        )


def _row(plan, rulings, sessions, today) -> PlanRow:
    ruling = rules.effective_ruling(rulings, plan.visitor_id) if plan.ruling_id else None
    terms = ruling or plan
    minimum = rules.minimum_status(
        plan_start=plan.starts_on,
        visits=ruling.visits if ruling else None,
        period_length=terms.period_length,
        period_unit=terms.period_unit,
        sessions=_facts(sessions),
        today=today,
    )
    return PlanRow(plan=plan, ruling=ruling, minimum=minimum)


def case_plan_rows(case, *, today: date) -> list[PlanRow]:
    """The current plan of each visitor of the case, in three queries."""
    plans = list(
        VisitPlan.objects.filter(case=case)
        .select_related("visitor", "flat", "counsellor", "ruling__decision")
        .order_by("visitor__relation", "visitor_id", "-number")
    )
    current = {}
    for plan in plans:
        current.setdefault(plan.visitor_id, plan)
    rulings = list(VisitationRuling.objects.filter(decision__case=case).select_related("decision"))
    sessions = list(VisitSession.objects.filter(plan__case=case).select_related("plan"))
    return [
        _row(plan, rulings, [s for s in sessions if s.plan.visitor_id == plan.visitor_id], today)
        for plan in current.values()
    ]


@dataclass(frozen=True)
class _Held:
    """The three fields of a visit that the minimum count reads."""

    starts_at: datetime
    status: str
    cancelled_by: str


def current_plan_rows(cases, *, today: date) -> list[PlanRow]:
    """`case_plan_rows` for many cases (ids or a subquery of ids) in three queries: the
    current plan of each visitor, the rulings on them, and only the visits that can fall in
    each plan's current period."""
    current = {}
    for plan in VisitPlan.objects.filter(case_id__in=cases).order_by(
        "case_id", "visitor_id", "-number"
    ):
        current.setdefault(plan.visitor_id, plan)
    if not current:
        return []
    rulings: dict[int, list] = {}
    for ruling in VisitationRuling.objects.filter(visitor_id__in=current).select_related(
        "decision"
    ):
        rulings.setdefault(ruling.visitor_id, []).append(ruling)
    windows = []
    for plan in current.values():
        ruling = (
            rules.effective_ruling(rulings.get(plan.visitor_id, []), plan.visitor_id)
            if plan.ruling_id
            else None
        )
        terms = ruling or plan
        windows.append(
            rules.window_containing(plan.starts_on, terms.period_length, terms.period_unit, today)
        )
    # Local midnights, a day wider on each side: the exact test is on the local date.
    first = datetime.combine(min(w[0] for w in windows) - timedelta(days=1), datetime.min.time())
    last = datetime.combine(max(w[1] for w in windows) + timedelta(days=1), datetime.min.time())
    visits: dict[int, list] = {}
    for visitor_id, starts_at, status, cancelled_by in VisitSession.objects.filter(
        plan__visitor_id__in=current,
        starts_at__gte=timezone.make_aware(first),
        starts_at__lt=timezone.make_aware(last),
    ).values_list("plan__visitor_id", "starts_at", "status", "cancelled_by"):
        visits.setdefault(visitor_id, []).append(_Held(starts_at, status, cancelled_by))
    return [
        _row(plan, rulings.get(visitor_id, []), visits.get(visitor_id, []), today)
        for visitor_id, plan in current.items()
    ]


def plan_page(plan: VisitPlan, *, today: date) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    versions = list(
        VisitPlan.objects.filter(case_id=plan.case_id, visitor_id=plan.visitor_id)
        .select_related("made_by")
        .order_by("-number")
    )
    sessions = list(
        VisitSession.objects.filter(plan__case_id=plan.case_id, plan__visitor_id=plan.visitor_id)
        .select_related("counsellor", "flat", "plan")
        .order_by("starts_at")
    )
    rulings = list(
        VisitationRuling.objects.filter(decision__case_id=plan.case_id).select_related("decision")
    )
    reports = list(
        VisitReport.objects.filter(plan__case_id=plan.case_id, plan__visitor_id=plan.visitor_id)
        .select_related("session")
        .order_by("-period_end")
    )
    expenses = list(
        VisitExpense.objects.filter(plan__case_id=plan.case_id, plan__visitor_id=plan.visitor_id)
    )
    current = versions[0]
    return {
        "versions": versions,
        "is_current": current.pk == plan.pk,
        "current": current,
        "sessions": sessions,
        "reports": reports,
        "expenses": expenses,
        "expenses_total": sum(e.amount for e in expenses),
        "row": _row(current, rulings, sessions, today),
    }


def sessions_for_counsellor(counsellor, viewer, *, start: datetime, end: datetime):
    """A counsellor's visits in [start, end), on cases the viewer may see."""
    cases = visible_cases(viewer, ChildCase.objects.all())
    return (
        VisitSession.objects.filter(
            counsellor=counsellor, plan__case__in=cases, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("plan__case", "plan__visitor", "flat")
        .order_by("starts_at")
    )


def sessions_in_flat(flat, viewer, *, start: datetime, end: datetime) -> list:
    """The flat's bookings in [start, end); `visible` tells whether the viewer may see the case."""
    cases = visible_cases(viewer, ChildCase.objects.all())
    visible_ids = set(cases.values_list("pk", flat=True))
    sessions = list(
        VisitSession.objects.filter(flat=flat, starts_at__lt=end, ends_at__gt=start)
        .exclude(status__in=("cancelled", "no_show"))
        .select_related("plan__case", "counsellor")
        .order_by("starts_at")
    )
    for s in sessions:
        s.visible = s.plan.case_id in visible_ids
    return sessions


def feed_sessions(user):
    """The visits of a counsellor's iCal feed: not cancelled, from 60 days back."""
    since = timezone.now() - timedelta(days=60)
    return (
        VisitSession.objects.filter(counsellor=user, ends_at__gte=since)
        .exclude(status__in=("cancelled", "no_show"))
        .select_related("plan__case", "flat")
        .order_by("starts_at")
    )
