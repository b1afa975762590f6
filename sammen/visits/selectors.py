"""Reads of the visits workflow; lists are always filtered by the case-access policy."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

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

    plan: VisitPlan  # from `current_plan_rows`, a `_Plan` record
    ruling: VisitationRuling | None  # the ruling in force now (there, a `_Ruling` record)
    minimum: rules.MinimumStatus

    @property
    def ruling_changed(self) -> bool:
        """A newer decision rules on this visitor than the one the plan was checked against."""
        return self.plan.ruling_id is not None and (
            self.ruling is None or self.ruling.pk != self.plan.ruling_id
        )


def _row(plan, rulings, sessions, today) -> PlanRow:
    return _row_on(plan, _ruling_of(plan, rulings), _facts(sessions), today)


def _ruling_of(plan, rulings):
    """The ruling the plan's minimum is counted on: the one in force for its visitor, if the
    plan rests on a ruling at all."""
    return rules.effective_ruling(rulings, plan.visitor_id) if plan.ruling_id else None


def _window(plan, ruling, today: date) -> tuple[date, date]:
    """The current period of the plan: in the ruling's terms, or the plan's own."""
    terms = ruling or plan
    return rules.window_containing(plan.starts_on, terms.period_length, terms.period_unit, today)


def _row_on(plan, ruling, facts: list, today) -> PlanRow:
    """The plan's row, its minimum counted on `ruling` (from `_ruling_of`) over the visits'
    `rules.SessionFact`s."""
    terms = ruling or plan
    minimum = rules.minimum_status(
        plan_start=plan.starts_on,
        visits=ruling.visits if ruling else None,
        period_length=terms.period_length,
        period_unit=terms.period_unit,
        sessions=facts,
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


class _Plan(NamedTuple):
    """What a plan's row reads of the plan: the dashboard reads plans as bare values."""

    pk: int
    visitor_id: int
    ruling_id: int | None
    starts_on: date
    period_length: int
    period_unit: str


class _Decision(NamedTuple):
    """What `rules.effective_ruling` reads of a ruling's decision."""

    pk: int
    decided_on: date


class _Ruling(NamedTuple):
    """What a plan's row reads of a ruling (`rules.effective_ruling` reads its decision)."""

    pk: int
    visitor_id: int
    decision_id: int
    decision: _Decision
    visits: int
    period_length: int
    period_unit: str


def _plans(cases) -> tuple[dict[int, _Plan], dict[int, int]]:
    """The current (highest-numbered) plan of each visitor of the cases, by visitor; and the
    visitor of every version, by plan id (the visits of older versions count too)."""
    current, visitor_of = {}, {}
    plans = (
        VisitPlan.objects.filter(case_id__in=cases)
        .order_by("case_id", "visitor_id", "-number")
        .values_list(*_Plan._fields)
    )
    for row in plans:
        plan = _Plan._make(row)
        current.setdefault(plan.visitor_id, plan)
        visitor_of[plan.pk] = plan.visitor_id
    return current, visitor_of


def _rulings_by_visitor(cases) -> dict[int, list[_Ruling]]:
    """The rulings of the cases' decisions, by visitor, as `case_plan_rows` reads them."""
    rulings: dict[int, list[_Ruling]] = {}
    # No order: the model's (decision, visitor's relation) would join the persons to sort.
    rulings_of_cases = VisitationRuling.objects.filter(decision__case_id__in=cases).order_by()
    for pk, visitor_id, decision_id, decided_on, *terms in rulings_of_cases.values_list(
        "pk",
        "visitor_id",
        "decision_id",
        "decision__decided_on",
        "visits",
        "period_length",
        "period_unit",
    ):
        ruling = _Ruling(pk, visitor_id, decision_id, _Decision(decision_id, decided_on), *terms)
        rulings.setdefault(visitor_id, []).append(ruling)
    return rulings


def current_plan_rows(cases, *, today: date) -> list[PlanRow]:
    """`case_plan_rows` for many cases (ids or a subquery of ids) in three queries: the
    current plan of each visitor, the rulings of the cases, and only the visits that can fall
    in each plan's current period.

    The rows' plans and rulings are light records with the fields the minimum count reads
    (`_Plan`, `_Ruling`), not model instances, and the visits are read as bare values: a
    unit has hundreds of plans.
    """
    current, visitor_of = _plans(cases)
    if not current:
        return []
    rulings = _rulings_by_visitor(cases)
    in_force = {
        visitor_id: _ruling_of(plan, rulings.get(visitor_id, ()))
        for visitor_id, plan in current.items()
    }
    windows = [_window(plan, in_force[visitor_id], today) for visitor_id, plan in current.items()]
    # Local midnights, a day wider on each side: the exact test is on the local date.
    first = datetime.combine(min(w[0] for w in windows) - timedelta(days=1), datetime.min.time())
    last = datetime.combine(max(w[1] for w in windows) + timedelta(days=1), datetime.min.time())
    zone = timezone.get_current_timezone()
    facts: dict[int, list] = {}
    sessions = VisitSession.objects.filter(
        plan__case_id__in=cases,
        starts_at__gte=timezone.make_aware(first),
        starts_at__lt=timezone.make_aware(last),
    ).order_by()
    for plan_id, starts_at, status, cancelled_by in sessions.values_list(
        "plan_id", "starts_at", "status", "cancelled_by"
    ):
        fact = rules.SessionFact(starts_at.astimezone(zone).date(), status, cancelled_by)
        facts.setdefault(visitor_of[plan_id], []).append(fact)
    return [
        _row_on(plan, in_force[visitor_id], facts.get(visitor_id, []), today)
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


def week_sessions(user, *, case_ids, start: datetime, end: datetime) -> list:
    """«Min uke»'s visits: those starting in [start, end) on the cases the counsellor follows
    (on the case's team, or a follow-up of a parent there: `case_ids`) or with `user` as their
    counsellor, of the cases `user` may see; with the case, the visitor, the flat and the
    counsellor, in one query."""
    team = ChildCase.counsellors.through.objects.filter(user_id=user.pk).values("childcase_id")
    sessions = (
        VisitSession.objects.filter(plan__case_id__in=case_ids)
        | VisitSession.objects.filter(plan__case_id__in=team)
        | VisitSession.objects.filter(counsellor_id=user.pk)
    )
    return list(
        sessions.filter(
            plan__case__in=visible_cases(user, ChildCase.objects.all()),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("plan__case", "plan__visitor", "flat", "counsellor")
        .order_by("starts_at", "pk")
    )
