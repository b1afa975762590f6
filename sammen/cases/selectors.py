"""Reads of case data. Every queryset here is filtered by the case-access policy."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.access.models import AccessGrant
from sammen.access.policy import visible_cases
from sammen.org.models import Role

from .models import (
    ActionPlan,
    CarePlan,
    ChildCase,
    Person,
    Placement,
    Relation,
    TribunalDecision,
    TribunalDecisionVersion,
    VisitationRuling,
)


def _with_list_columns(queryset, today: date):
    """Annotate what a case list row shows: the child and the current placement."""
    child = Person.objects.filter(case=OuterRef("pk"), relation=Relation.CHILD)
    current = (
        Placement.objects.filter(case=OuterRef("pk"), start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date")
    )
    return queryset.select_related("section", "caseworker").annotate(
        child_first_name=Subquery(child.values("first_name")[:1]),
        child_last_name=Subquery(child.values("last_name")[:1]),
        child_birth=Subquery(child.values("date_of_birth")[:1]),
        current_placement_kind=Subquery(current.values("kind")[:1]),
        current_place_name=Subquery(current.values("place__name")[:1]),
    )


def case_list_for(user, *, filters: dict | None = None, today: date | None = None):
    """The cases `user` may see, narrowed by the case list's search and filters."""
    today = today or timezone.localdate()
    filters = filters or {}
    queryset = visible_cases(user, ChildCase.objects.all())
    text = (filters.get("q") or "").strip()
    if text:
        matching_people = Person.objects.filter(case=OuterRef("pk")).filter(
            Q(first_name__icontains=text) | Q(last_name__icontains=text)
        )
        queryset = queryset.filter(Q(reference__icontains=text) | Exists(matching_people))
    if filters.get("section"):
        queryset = queryset.filter(section=filters["section"])
    if filters.get("caseworker"):
        queryset = queryset.filter(caseworker=filters["caseworker"])
    if filters.get("status") == "open":
        queryset = queryset.filter(closed_on__isnull=True)
    elif filters.get("status") == "closed":
        queryset = queryset.filter(closed_on__isnull=False)
    if filters.get("petition"):
        queryset = queryset.filter(petition_status=filters["petition"])
    queryset = _with_list_columns(queryset, today)
    if filters.get("placement"):
        queryset = queryset.filter(current_placement_kind=filters["placement"])
    return queryset.order_by("child_last_name", "child_first_name", "reference")


def my_cases(user, *, today: date | None = None):
    """«Mine saker»: the open cases this person works on, and a heading that says which."""
    today = today or timezone.localdate()
    cases = ChildCase.objects.filter(closed_on__isnull=True)
    if user.role == Role.CASEWORKER:
        cases, heading = cases.filter(caseworker=user), _("Cases where you are the caseworker")
    elif user.role == Role.COUNSELLOR:
        cases, heading = (
            cases.filter(counsellors=user),
            _("Cases where you are a family counsellor"),
        )
    elif user.role == Role.SECTION_LEADER:
        cases, heading = cases.filter(section_id=user.section_id), _("Open cases in your section")
    elif user.role == Role.PROGRAMME_LEAD:
        cases, heading = cases.filter(section__unit_id=user.unit_id), _("Open cases in your unit")
    else:
        cases, heading = cases.none(), _("You have no cases")
    # The team filter above is a shortcut; the policy still has the last word.
    cases = visible_cases(user, cases)
    return _with_list_columns(cases, today).order_by("child_last_name", "child_first_name"), heading


@dataclass
class CaseOverview:
    case: ChildCase
    child: Person | None
    others: list
    placements: list
    decisions: list  # each with `ruling_list`: its visitation rulings, by the visitor's relation
    care_plans: list
    action_plans: list
    counsellors: list
    grants: list  # the temporary access grants in force now
    persons: list  # everyone in the case: the sections of other apps reuse them
    rulings: list  # every visitation ruling of the case, with its decision and visitor loaded


def _attach(objects, field: str, by_pk: dict) -> None:
    """Point each object's `field` at the instance in `by_pk` already read for this page.

    Saves a join per list. An id missing from `by_pk` (which the data model does not expect)
    is left to load on access, so the page stays right either way.
    """
    for obj in objects:
        related = by_pk.get(getattr(obj, f"{field}_id"))
        if related is not None:
            setattr(obj, field, related)


def _of_case(case: ChildCase, queryset) -> list:
    """The rows of `queryset` (of `case`), each pointed at `case` as its related manager would
    have done, so that nothing reads the case again."""
    rows = list(queryset)
    for row in rows:
        row.case = case
    return rows


def newest_first(rows, date_field: str) -> list:
    """`rows` by `date_field`, newest first, and the later registered first on the same day.

    For the short lists of one case, read without ORDER BY: the ORM takes longer to compile an
    ordering than Python takes to sort a handful of rows. (Text columns stay sorted by the
    database, whose collation Python does not share.)
    """
    return sorted(rows, key=lambda row: (getattr(row, date_field), row.pk), reverse=True)


# When the version of a decision in force was registered: "version 2, changed 03.12.2026".
_version_made_at = TribunalDecisionVersion.objects.filter(
    decision_id=OuterRef("pk"), number=OuterRef("number")
).values("made_at")[:1]


def case_overview(case: ChildCase) -> CaseOverview:
    """Everything the overview page shows, in a fixed number of queries.

    Each list is read once without joins to rows the page already has (persons, decisions);
    those are linked in Python. Orderings name only the table's own columns, which the ORM
    turns into SQL far faster than the models' default orderings through related tables; the
    lists ordered by a date are sorted in Python (`newest_first`). Lists are read through the
    model's manager filtered on `case_id` rather than the case's related managers, which cost
    a little more to set up on each access.
    """
    persons = _of_case(
        case, Person.objects.filter(case_id=case.pk).order_by("relation", "first_name")
    )
    people = {p.pk: p for p in persons}
    # The grants in force now (those still to come are read too, and left out below).
    now = timezone.now()
    grants = AccessGrant.objects.filter(
        case_id=case.pk, revoked_at__isnull=True, valid_until__gt=now
    )
    grants = list(grants.select_related("user").order_by())
    decisions = newest_first(
        _of_case(
            case,
            TribunalDecision.objects.filter(case_id=case.pk)
            .select_related("legal_basis")
            .annotate(changed_at=Subquery(_version_made_at))
            .order_by(),
        ),
        "decided_on",
    )
    by_decision = {d.pk: d for d in decisions}
    rulings = (
        sorted(
            VisitationRuling.objects.filter(decision_id__in=by_decision).order_by(),
            key=lambda r: r.pk,
        )
        if decisions
        else []
    )
    _attach(rulings, "decision", by_decision)
    _attach(rulings, "visitor", people)
    for decision in decisions:
        decision.ruling_list = sorted(
            (r for r in rulings if r.decision_id == decision.pk),
            key=lambda r: (r.visitor.relation, r.pk),
        )
    care_plans = newest_first(
        _of_case(case, CarePlan.objects.filter(case_id=case.pk).order_by()), "made_on"
    )
    _attach(care_plans, "decision", by_decision)
    return CaseOverview(
        case=case,
        child=next((p for p in persons if p.is_child), None),
        others=[p for p in persons if not p.is_child],
        placements=newest_first(
            _of_case(
                case,
                Placement.objects.filter(case_id=case.pk)
                .select_related("place", "legal_basis")
                .order_by(),
            ),
            "start_date",
        ),
        decisions=decisions,
        care_plans=care_plans,
        action_plans=newest_first(
            _of_case(case, ActionPlan.objects.filter(case_id=case.pk).order_by()), "starts_on"
        ),
        counsellors=list(case.counsellors.order_by("first_name", "last_name")),
        grants=newest_first([g for g in grants if g.valid_from <= now], "valid_until"),
        persons=persons,
        rulings=rulings,
    )
