"""The leaders' figures, computed in the database with a fixed number of queries.

Every figure starts from `scope_cases()`, which goes through the case-access policy.
"""

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Sum, Value, When

from sammen.access.policy import visible_cases
from sammen.cases.models import ChildCase, Person, Placement
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.followup import rules as followup_rules
from sammen.followup.choices import ConsentKind
from sammen.followup.models import ConsentEvent, FollowUp, Information
from sammen.followup.selectors import reminders_for
from sammen.org.models import Role, User
from sammen.timelog.models import Activity, TimeEntry

DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
# Above this multiple of the case's frame a follow-up counts as more intense than agreed.
ABOVE_FRAME = Decimal("1.5")
OFFER_STATUSES = ("never", "offered", "accepted", "declined", "reoffered")


@dataclass
class Scope:
    """Whose figures: a unit, maybe one section and one counsellor, over a period."""

    user: User
    unit_id: int
    start: date
    end: date
    today: date
    section_id: int | None = None
    counsellor_id: int | None = None

    @cached_property
    def case_ids(self) -> list[int]:
        """The ids of `scope_cases()`, read once: every figure filters on this plain list, so the
        policy's OR of subqueries runs once per page instead of once per figure."""
        return list(scope_cases(self).values_list("pk", flat=True))


def scope_cases(scope: Scope):
    """The cases of the scope the user may read."""
    cases = ChildCase.objects.filter(section__unit_id=scope.unit_id)
    if scope.section_id:
        cases = cases.filter(section_id=scope.section_id)
    return visible_cases(scope.user, cases)


def _followups(scope: Scope):
    followups = FollowUp.objects.filter(referral__case_id__in=scope.case_ids)
    if scope.counsellor_id:
        followups = followups.filter(referral__counsellor_id=scope.counsellor_id)
    return followups


def months_between(start: date, end: date) -> Decimal:
    """Length of a stretch of days in months of 30.4375 days."""
    return Decimal((end - start).days) / DAYS_PER_MONTH


# L1 Load ---------------------------------------------------------------------------------


def load(scope: Scope) -> list[dict]:
    """Active families (cases with a carried follow-up) per counsellor of the unit."""
    counsellors = User.objects.filter(unit_id=scope.unit_id, role=Role.COUNSELLOR, is_active=True)
    if scope.counsellor_id:
        counsellors = counsellors.filter(pk=scope.counsellor_id)
    rows = counsellors.annotate(
        families=Count(
            "assigned_referrals__case",
            filter=Q(
                assigned_referrals__followups__state__in=followup_rules.CARRIED_STATES,
                assigned_referrals__case_id__in=scope.case_ids,
            ),
            distinct=True,
        )
    ).order_by("-families", "first_name", "last_name", "pk")
    return [{"counsellor": str(u), "families": u.families} for u in rows]


# L2 Duration and intensity ---------------------------------------------------------------


def _active_in_period(scope: Scope):
    return (
        _followups(scope)
        .filter(started_on__isnull=False, started_on__lte=scope.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start))
    )


def duration(scope: Scope) -> dict:
    """Months from start to closure (or today) of follow-ups active in the period."""
    spans = _active_in_period(scope).values_list("started_on", "closed_on")
    months = [months_between(s, c or scope.today) for s, c in spans]
    if not months:
        return {"count": 0, "median": None, "mean": None}
    return {
        "count": len(months),
        "median": round(statistics.median(months), 1),
        "mean": round(sum(months) / len(months), 1),
    }


def intensity(scope: Scope) -> dict:
    """Contacts per month in the period against each follow-up's frame (contacts per month)."""
    rows = (
        _active_in_period(scope)
        .filter(contacts_per_month__gt=0)
        .annotate(n=Count("contacts", filter=Q(contacts__held_on__range=(scope.start, scope.end))))
        .values_list("contacts_per_month", "started_on", "closed_on", "n")
    )
    bands = {"below": 0, "within": 0, "above": 0}
    actual_sum = frame_sum = Decimal(0)
    counted = 0
    for frame, started, closed, n in rows:
        first = max(started, scope.start)
        last = min(closed or scope.end, scope.end, scope.today)
        if last <= first:
            continue
        per_month = Decimal(n) / months_between(first, last)
        counted += 1
        actual_sum += per_month
        frame_sum += frame
        if per_month < frame:
            bands["below"] += 1
        elif per_month > frame * ABOVE_FRAME:
            bands["above"] += 1
        else:
            bands["within"] += 1
    return {
        "count": counted,
        **bands,
        "mean_actual": round(actual_sum / counted, 1) if counted else None,
        "mean_frame": round(frame_sum / counted, 1) if counted else None,
    }


# L3 Equal offer --------------------------------------------------------------------------


def eligible_parents(scope: Scope):
    """Parents of children placed outside the home now, or whose case is heading for the tribunal."""
    placed = Placement.objects.filter(start_date__lte=scope.today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=scope.today)
    )
    cases = ChildCase.objects.filter(pk__in=scope.case_ids, closed_on__isnull=True)
    cases = cases.filter(Q(pk__in=placed.values("case_id")) | ~Q(petition_status="none"))
    return Person.objects.filter(case__in=cases, relation__in=PARENT_RELATIONS)


def offer_status_counts(scope: Scope) -> dict:
    """Each eligible parent's offer, by relation: {relation: {status: n}}.

    A parent's status is the furthest one reached: accepted (consent given at some time);
    re-offered (declined, then informed again); declined; offered (a follow-up exists);
    never offered. This is `followup.selectors.offer_overview` counted in the database, with
    re-offers told apart and every placement kind counted.
    """
    mine = {"followup__parent": OuterRef("pk")}
    first_decline = (
        ConsentEvent.objects.filter(**mine, kind=ConsentKind.DECLINED).order_by("on").values("on")
    )
    parents = eligible_parents(scope).annotate(
        first_decline=Subquery(first_decline[:1]),
        status=Case(
            When(
                Exists(ConsentEvent.objects.filter(**mine, kind=ConsentKind.GIVEN)),
                then=Value("accepted"),
            ),
            When(
                Exists(
                    Information.objects.filter(**mine, informed_on__gt=OuterRef("first_decline"))
                ),
                then=Value("reoffered"),
            ),
            When(first_decline__isnull=False, then=Value("declined")),
            When(Exists(FollowUp.objects.filter(parent=OuterRef("pk"))), then=Value("offered")),
            default=Value("never"),
            output_field=CharField(),
        ),
    )
    counts: dict[str, dict[str, int]] = {}
    for row in parents.values("relation", "status").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["relation"], dict.fromkeys(OFFER_STATUSES, 0))[row["status"]] = row[
            "n"
        ]
    return counts


# L4 Time by activity ---------------------------------------------------------------------


def time_entries(scope: Scope):
    # The section filter lets the database use the (section, date) index; the case ids keep
    # the access policy's answer.
    entries = TimeEntry.objects.filter(
        section__unit_id=scope.unit_id,
        worked_on__range=(scope.start, scope.end),
        case_id__in=scope.case_ids,
    )
    if scope.section_id:
        entries = entries.filter(section_id=scope.section_id)
    if scope.counsellor_id:
        entries = entries.filter(counsellor_id=scope.counsellor_id)
    return entries


def time_by_activity(scope: Scope) -> dict:
    """Hours and km per activity in the period, with each activity's share of the hours."""
    sums = {
        row["activity"]: row
        for row in time_entries(scope)
        .values("activity")
        .annotate(hours=Sum("hours"), km=Sum("km"))
        .order_by()
    }
    total_hours = sum((r["hours"] for r in sums.values()), Decimal(0))
    total_km = sum((r["km"] for r in sums.values()), Decimal(0))
    rows = []
    for value, label in Activity.choices:
        hours = sums.get(value, {}).get("hours") or Decimal(0)
        rows.append(
            {
                "activity": value,
                "label": str(label),
                "hours": hours,
                "km": sums.get(value, {}).get("km") or Decimal(0),
                "share": round(hours * 100 / total_hours, 1) if total_hours else Decimal(0),
            }
        )
    return {"rows": rows, "hours": total_hours, "km": total_km}


def cost_inputs(scope: Scope) -> dict:
    """Hours, km and cases worked on in the period: the inputs of the cost comparison."""
    return time_entries(scope).aggregate(
        hours=Sum("hours"), km=Sum("km"), cases=Count("case_id", distinct=True)
    )


# Deadlines -------------------------------------------------------------------------------


def overdue_count(scope: Scope) -> int:
    """Overdue reminders from the follow-up workflow that the leader sees."""
    return sum(1 for r in reminders_for(scope.user, today=scope.today) if r.is_overdue(scope.today))


# L6 Visits -------------------------------------------------------------------------------


def visit_status_counts(scope: Scope) -> dict[str, int] | None:
    """Visit sessions in the period by status; None while the visits app is not installed."""
    from django.apps import apps

    if not apps.is_installed("sammen.visits"):
        return None
    session = apps.get_model("visits", "VisitSession")
    sessions = session.objects.filter(
        plan__case_id__in=scope.case_ids,
        starts_at__date__range=(scope.start, scope.end),
    )
    if scope.counsellor_id:
        sessions = sessions.filter(counsellor_id=scope.counsellor_id)
    return dict(sessions.values_list("status").annotate(n=Count("pk")).order_by())
