"""The leaders' figures, computed in the database with a fixed number of queries.

Every figure filters on `Scope.cases`, the cases `scope_cases()` gives through the case-access
policy. Each figure has a `*_rows` function, the one query the dashboard runs for it (the
`*_from` function turning the rows into the figure. Each query is an ordinary ORM queryset
built from the scope's values (`_filter_values`) and read at once (`_rows`).
"""

import functools
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache, cached_property

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Star
from django.utils import timezone

from sammen.access.policy import reads_every_case_of, visible_cases
from sammen.cases.models import ChildCase, Person, Placement
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.followup import rules as followup_rules
from sammen.followup.choices import ConsentKind
from sammen.followup.models import ConsentEvent, Contact, FollowUp, Information, Referral
from sammen.followup.selectors import overdue_counts
from sammen.org.models import Role, Section, User
from sammen.timelog.models import Activity, TimeEntry
from sammen.visits.ruling_checks import plans_behind_their_ruling
from sammen.visits.selectors import current_plan_rows

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
        """The ids of `scope_cases()`, read once: the policy's subqueries run once per page
        instead of once per figure."""
        return list(scope_cases(self).values_list("pk", flat=True))

    @cached_property
    def section_ids(self) -> list[int]:
        """The sections of the scope, read once: the figures filter on the plain list, which
        PostgreSQL plans far better than a join to the section table (it cannot tell how many
        rows a join on `unit_id` gives and chose nested loops over 500 case lookups)."""
        sections = Section.objects.filter(unit_id=self.unit_id)
        if self.section_id:
            sections = sections.filter(pk=self.section_id)
        # Unordered: the model's ordering joins the unit to sort by its name, for a list that
        # is only ever used in `IN (…)`.
        return list(sections.order_by().values_list("pk", flat=True))

    @cached_property
    def cases(self):
        """What every figure filters on (`case_id__in=scope.cases`): the set `scope_cases()` gives.

        When the policy lets the user read every case of the scope through their role (a
        programme lead in their own unit, a section leader in their own section), that set is
        simply the cases of the scope's sections: a subquery the database runs once per query,
        as the hand-written SQL does (tests/insights/test_scope.py proves the sets equal).
        Otherwise the ids of `scope_cases()`, read once per page.
        """
        return _cases(self.section_ids, self.listed_case_ids)

    @cached_property
    def listed_case_ids(self) -> list[int] | None:
        """`case_ids`, or None when the policy gives the user every case of the scope."""
        return None if reads_whole_scope(self) else self.case_ids


def _filter_values(scope: Scope) -> dict:
    """What the figures' queries filter on: the scope's sections, and
    the ids of the cases the user may read unless the policy gives the whole scope."""
    return {
        "sections": scope.section_ids,
        "case_ids": scope.listed_case_ids,
        "counsellor_id": scope.counsellor_id,
    }


def _rows(build):
    """The rows of the queryset that `build` returns for the keyword values it is called with."""

    @functools.wraps(build)
    def read(**values) -> list[tuple]:
        return list(build(**values))

    return read


def _cases(sections: list[int], case_ids: list[int] | None):
    """`Scope.cases` from the filter values."""
    if case_ids is None:
        return ChildCase.objects.filter(section_id__in=sections).values("pk")
    return case_ids


def _cases_in_scope(scope: Scope):
    """The cases of the unit (and section) of the scope, whoever looks."""
    return ChildCase.objects.filter(section_id__in=scope.section_ids)


def scope_cases(scope: Scope):
    """The cases of the scope the user may read."""
    return visible_cases(scope.user, _cases_in_scope(scope))


def reads_whole_scope(scope: Scope) -> bool:
    """Whether the policy gives the user every case of the scope's unit (and section)."""
    return reads_every_case_of(scope.user, unit_id=scope.unit_id, section_id=scope.section_id)


def _followups(sections, case_ids, counsellor_id):
    followups = FollowUp.objects.filter(referral__case_id__in=_cases(sections, case_ids))
    if counsellor_id:
        followups = followups.filter(referral__counsellor_id=counsellor_id)
    return followups


def months_between(start: date, end: date) -> Decimal:
    """Length of a stretch of days in months of 30.4375 days."""
    return Decimal((end - start).days) / DAYS_PER_MONTH


def _count(field: str = "*", *, distinct: bool = False) -> Func:
    """COUNT as a plain function, for a correlated subquery that counts without a GROUP BY
    (`SELECT COUNT(x) FROM … WHERE …`, one row even when nothing matches). Rows are counted as
    `COUNT(*)`: PostgreSQL then counts from a covering index without reading the table."""
    distinct_template = {"template": "%(function)s(DISTINCT %(expressions)s)"} if distinct else {}
    counted = Star() if field == "*" else F(field)
    return Func(counted, function="COUNT", output_field=IntegerField(), **distinct_template)


class Found(Exists):
    """EXISTS written as `(SELECT 1 … LIMIT 1) IS NOT NULL`: the same answer, but PostgreSQL
    probes the index once per row instead of turning an EXISTS inside a CASE into a hash of
    the whole table (every consent and follow-up in the country, 17 ms → 5 ms for a unit)."""

    template = "(%(subquery)s) IS NOT NULL"


# L1 Load ---------------------------------------------------------------------------------


def load_rows(scope: Scope) -> list[tuple[str, str, str, int, int]]:
    """(first name, last name, username, active families, id) of each active counsellor of the
    unit."""
    return _load(unit_id=scope.unit_id, **_filter_values(scope))


@_rows
def _load(*, unit_id, sections, case_ids, counsellor_id):
    families = (
        Referral.objects.filter(
            counsellor_id=OuterRef("pk"),
            case_id__in=_cases(sections, case_ids),
            followups__state__in=followup_rules.CARRIED_STATES,
        )
        .order_by()
        .values(n=_count("case_id", distinct=True))
    )
    counsellors = User.objects.filter(unit_id=unit_id, role=Role.COUNSELLOR, is_active=True)
    if counsellor_id:
        counsellors = counsellors.filter(pk=counsellor_id)
    return (
        counsellors.annotate(families=Subquery(families))
        .order_by("-families", "first_name", "last_name", "pk")
        .values_list("first_name", "last_name", "username", "families", "pk")
    )


def load_counsellors(scope: Scope):
    """The counsellors `load` lists: the unit's active counsellors (the one of the filter)."""
    counsellors = User.objects.filter(unit_id=scope.unit_id, role=Role.COUNSELLOR, is_active=True)
    if scope.counsellor_id:
        counsellors = counsellors.filter(pk=scope.counsellor_id)
    return counsellors


def carried_followups(scope: Scope):
    """The follow-ups that make `load` count a family: carried now by a counsellor it lists, in
    a case of the scope (a counsellor's families are the distinct cases of these)."""
    return FollowUp.objects.filter(
        referral__case_id__in=scope.cases,
        referral__counsellor__in=load_counsellors(scope),
        state__in=followup_rules.CARRIED_STATES,
    )


def load_from(rows) -> list[dict]:
    # The name as `User.__str__` gives it: the full name, or the username. No case in the
    # scope at all (an empty id list) leaves the subquery NULL: none.
    return [
        {"counsellor": f"{first} {last}".strip() or username, "families": n or 0, "pk": pk}
        for first, last, username, n, pk in rows
    ]


def load(scope: Scope) -> list[dict]:
    """Active families (cases with a carried follow-up) per counsellor of the unit."""
    return load_from(load_rows(scope))


# L2 Duration and intensity ---------------------------------------------------------------


def followup_rows(scope: Scope) -> list[tuple[date, date | None, int | None, int]]:
    """(started, closed, frame, contacts held in the period) of each follow-up active in the
    period: duration and intensity read the same follow-ups, so one query serves both."""
    return _followup_rows(start=scope.start, end=scope.end, **_filter_values(scope))


@_rows
def _followup_rows(*, start, end, sections, case_ids, counsellor_id):
    return _active_followups(
        start=start, end=end, sections=sections, case_ids=case_ids, counsellor_id=counsellor_id
    ).values_list("started_on", "closed_on", "contacts_per_month", "n")


def _active_followups(*, start, end, sections, case_ids, counsellor_id):
    """The follow-ups active in the period, each with `n`, its contacts held in the period."""
    held = (
        Contact.objects.filter(followup_id=OuterRef("pk"), held_on__range=(start, end))
        .order_by()
        .values(n=_count())
    )
    return (
        _followups(sections, case_ids, counsellor_id)
        .filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=start),
            started_on__isnull=False,
            started_on__lte=end,
        )
        .annotate(n=Subquery(held))
        .order_by()
    )


def active_followups(scope: Scope):
    """The follow-ups `followup_rows` reads, as a queryset (for the figures' drill-downs)."""
    return _active_followups(start=scope.start, end=scope.end, **_filter_values(scope))


def duration_from(rows, *, today: date) -> dict:
    months = [months_between(started, closed or today) for started, closed, *_ in rows]
    if not months:
        return {"count": 0, "median": None, "mean": None}
    return {
        "count": len(months),
        "median": round(statistics.median(months), 1),
        "mean": round(sum(months) / len(months), 1),
    }


def intensity_band(started, closed, frame, n, scope: Scope) -> tuple[str, Decimal] | None:
    """The band ("below", "within", "above") of one follow-up's contacts against its frame, and
    its contacts per month active in the period; None when it is not counted (no frame agreed,
    or not active for a day of the period up to today)."""
    if not frame:  # no frame agreed (none, or 0 contacts a month)
        return None
    first = max(started, scope.start)
    last = min(closed or scope.end, scope.end, scope.today)
    if last <= first:
        return None
    per_month = Decimal(n) / months_between(first, last)
    if per_month < frame:
        return "below", per_month
    if per_month > frame * ABOVE_FRAME:
        return "above", per_month
    return "within", per_month


def intensity_from(rows, scope: Scope) -> dict:
    bands = {"below": 0, "within": 0, "above": 0}
    actual_sum = frame_sum = Decimal(0)
    counted = 0
    for started, closed, frame, n in rows:
        band = intensity_band(started, closed, frame, n, scope)
        if band is None:
            continue
        counted += 1
        actual_sum += band[1]
        frame_sum += frame
        bands[band[0]] += 1
    return {
        "count": counted,
        **bands,
        "mean_actual": round(actual_sum / counted, 1) if counted else None,
        "mean_frame": round(frame_sum / counted, 1) if counted else None,
    }


# L3 Equal offer --------------------------------------------------------------------------


def eligible_parents(today: date, cases):
    """Parents of children placed outside the home now, or whose case is heading for the
    tribunal, among `cases`."""
    placed = Placement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        case_id=OuterRef("pk"),
        start_date__lte=today,
    )
    placed_cases = ChildCase.objects.filter(
        Exists(placed) | ~Q(petition_status="none"), pk__in=cases, closed_on__isnull=True
    )
    return Person.objects.filter(case__in=placed_cases, relation__in=PARENT_RELATIONS)


def offer_rows(scope: Scope) -> list[tuple[str, str, int]]:
    """(relation, offer status, parents) of the eligible parents.

    A parent's status is the furthest one reached: accepted (consent given at some time);
    re-offered (declined, then informed again); declined; offered (a follow-up exists);
    never offered. This is `followup.selectors.offer_overview` counted in the database, with
    re-offers told apart and every placement kind counted.
    """
    values = _filter_values(scope)
    del values["counsellor_id"]  # a parent's offer is the unit's, whoever follows them up
    return _offer_rows(today=scope.today, **values)


@_rows
def _offer_rows(*, today, sections, case_ids):
    parents = _offer_parents(today=today, sections=sections, case_ids=case_ids)
    return parents.values_list("relation", "status").annotate(n=Count("*")).order_by()


def _offer_parents(*, today, sections, case_ids):
    return eligible_parents(today, _cases(sections, case_ids)).annotate(**_offer_status())


def offer_parents(scope: Scope):
    """The eligible parents `offer_rows` counts, each with its `status` (for the drill-downs)."""
    values = _filter_values(scope)
    del values["counsellor_id"]
    return _offer_parents(today=scope.today, **values)


@cache
def _offer_status() -> dict:
    """The annotations giving each parent's `status` (see `offer_rows`). Nothing in them depends
    on the scope, so they are built once rather than per call: their four subqueries are a good
    part of the ORM's work (each query resolves its own copy)."""
    mine = {"followup__parent": OuterRef("pk")}
    first_decline = (
        ConsentEvent.objects.filter(**mine, kind=ConsentKind.DECLINED).order_by("on").values("on")
    )
    return {
        "first_decline": Subquery(first_decline[:1]),
        "status": Case(
            When(
                Found(ConsentEvent.objects.filter(**mine, kind=ConsentKind.GIVEN)),
                then=Value("accepted"),
            ),
            When(
                Found(
                    Information.objects.filter(**mine, informed_on__gt=OuterRef("first_decline"))
                ),
                then=Value("reoffered"),
            ),
            When(first_decline__isnull=False, then=Value("declined")),
            When(Found(FollowUp.objects.filter(parent=OuterRef("pk"))), then=Value("offered")),
            default=Value("never"),
            output_field=CharField(),
        ),
    }


def offers_from(rows) -> dict:
    counts: dict[str, dict[str, int]] = {}
    for relation, status, n in rows:
        counts.setdefault(relation, dict.fromkeys(OFFER_STATUSES, 0))[status] = n
    return counts


def offer_status_counts(scope: Scope) -> dict:
    """Each eligible parent's offer, by relation: {relation: {status: n}} (see `offer_rows`)."""
    return offers_from(offer_rows(scope))


# L4 Time by activity ---------------------------------------------------------------------


def time_entries(scope: Scope):
    return _time_entries(scope.start, scope.end, **_filter_values(scope))


def _time_entries(start, end, sections, case_ids, counsellor_id):
    # The entry's section (the case's section when the time was logged) lets the database read
    # the covering (section, date, …) index; the case filter keeps the access policy's answer.
    entries = TimeEntry.objects.filter(
        section_id__in=sections,
        worked_on__range=(start, end),
        case_id__in=_cases(sections, case_ids),
    )
    if counsellor_id:
        entries = entries.filter(counsellor_id=counsellor_id)
    return entries


def time_rows(scope: Scope) -> list[tuple[str, Decimal, Decimal, int]]:
    """(activity, hours, km, cases worked on) summed over the period."""
    return _time_rows(start=scope.start, end=scope.end, **_filter_values(scope))


@_rows
def _time_rows(*, start, end, sections, case_ids, counsellor_id):
    return (
        _time_entries(start, end, sections, case_ids, counsellor_id)
        .values("activity")
        .annotate(hours=Sum("hours"), km=Sum("km"), cases=Count("case_id", distinct=True))
        .order_by()
        .values_list("activity", "hours", "km", "cases")
    )


def time_from(rows) -> dict:
    sums = {activity: (hours, km) for activity, hours, km, _ in rows}
    cases = {activity: n for activity, _, _, n in rows}
    total_hours = sum((h for h, _ in sums.values()), Decimal(0))
    total_km = sum((k for _, k in sums.values()), Decimal(0))
    out = []
    for value, label in Activity.choices:
        hours, km = sums.get(value, (None, None))
        hours = hours or Decimal(0)
        out.append(
            {
                "activity": value,
                "label": str(label),
                "hours": hours,
                "km": km or Decimal(0),
                "share": round(hours * 100 / total_hours, 1) if total_hours else Decimal(0),
                "cases": cases.get(value, 0),
            }
        )
    return {"rows": out, "hours": total_hours, "km": total_km}


def time_by_activity(scope: Scope) -> dict:
    """Hours and km per activity in the period, with each activity's share of the hours."""
    return time_from(time_rows(scope))


def cost_inputs(scope: Scope) -> dict:
    """Hours, km and cases worked on in the period: the inputs of the cost comparison."""
    return time_entries(scope).aggregate(
        hours=Sum("hours"), km=Sum("km"), cases=Count("case_id", distinct=True)
    )


# Deadlines -------------------------------------------------------------------------------


def overdue_by_kind(scope: Scope) -> dict[str, int]:
    """Overdue reminders the leader sees, by kind (`followup.selectors.OVERDUE_KINDS`; counted,
    not built)."""
    return overdue_counts(scope.user, today=scope.today)


# L6 Visits -------------------------------------------------------------------------------


def visit_rows(scope: Scope) -> list[tuple[str, int]]:
    """(status, sessions) of the visit sessions starting in the period."""
    # Local midnight to local midnight: the same as `starts_at__date__range`, without casting
    # every row's timestamp to a date (a Python function per row on SQLite).
    return _visit_rows(**_period_instants(scope), **_filter_values(scope))


@_rows
def _visit_rows(*, since, until, sections, case_ids, counsellor_id):
    sessions = _sessions(
        since=since, until=until, sections=sections, case_ids=case_ids, counsellor_id=counsellor_id
    )
    return sessions.values_list("status").annotate(n=Count("*")).order_by()


def _sessions(*, since, until, sections, case_ids, counsellor_id):
    from sammen.visits.models import VisitSession

    # Joined to the plan rather than a subquery of plans, both databases still read the
    # session's (plan, start, status) index; COUNT(*) lets PostgreSQL count from it alone.
    sessions = VisitSession.objects.filter(
        plan__case_id__in=_cases(sections, case_ids), starts_at__gte=since, starts_at__lt=until
    )
    if counsellor_id:
        sessions = sessions.filter(counsellor_id=counsellor_id)
    return sessions


def _period_instants(scope: Scope) -> dict:
    zone = timezone.get_current_timezone()
    return {
        "since": datetime.combine(scope.start, time.min, tzinfo=zone),
        "until": datetime.combine(scope.end + timedelta(days=1), time.min, tzinfo=zone),
    }


def visit_sessions(scope: Scope):
    """The visit sessions `visit_rows` counts (for the drill-downs)."""
    return _sessions(**_period_instants(scope), **_filter_values(scope))


def visit_status_counts(scope: Scope) -> dict[str, int]:
    """Visit sessions in the period by status."""
    return dict(visit_rows(scope))


def minimum_counts(scope: Scope) -> dict[str, int]:
    """The current visitation plans of the scope by whether the decision's minimum is met in
    the plan's current period (as of today): met, on track, falling short, or no ruling.
    A plan checked against an older version of its ruling that the version in force refuses
    falls short, however many visits it had."""
    counts = dict.fromkeys(MINIMUM_KEYS, 0)
    for plan in minimum_plans(scope):
        counts[plan.key] += 1
    return counts


MINIMUM_KEYS = ("met", "on_track", "falling_short", "no_ruling")


@dataclass
class MinimumPlan:
    """A current plan of the scope and where `minimum_counts` counts it."""

    key: str  # one of MINIMUM_KEYS
    row: object  # the plan's `visits.selectors.PlanRow`
    behind: object = None  # its `PlanBehindRuling` when the ruling's version in force refuses it


def minimum_plans(scope: Scope) -> list[MinimumPlan]:
    """The current visitation plans of the scope, each with the row `minimum_counts` counts it in."""
    behind = {b.plan.pk: b for b in plans_behind_their_ruling(scope.cases)}
    plans = []
    for row in current_plan_rows(scope.cases, today=scope.today):
        if row.ruling is None or row.minimum.required is None:
            key = "no_ruling"
        elif row.plan.pk in behind:
            key = "falling_short"
        elif row.minimum.met:
            key = "met"
        elif row.minimum.falling_short:
            key = "falling_short"
        else:
            key = "on_track"
        plans.append(MinimumPlan(key, row, behind.get(row.plan.pk) if key != "no_ruling" else None))
    return plans
