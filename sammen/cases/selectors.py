"""Reads of case data. Every queryset here is filtered by the case-access policy."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.access.models import AccessGrant
from sammen.access.policy import visible_cases
from sammen.org.models import Role

from .models import (
    ChildCase,
    Person,
    Placement,
    Relation,
    TribunalDecision,
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
    decisions: list
    care_plans: list
    action_plans: list
    counsellors: list
    grants: list


def case_overview(case: ChildCase) -> CaseOverview:
    """Everything the overview page shows, in a fixed number of queries."""
    persons = list(case.persons.all())
    rulings = VisitationRuling.objects.select_related("visitor")
    decisions = list(
        TribunalDecision.objects.filter(case=case)
        .select_related("legal_basis")
        .prefetch_related(Prefetch("rulings", queryset=rulings))
    )
    return CaseOverview(
        case=case,
        child=next((p for p in persons if p.is_child), None),
        others=[p for p in persons if not p.is_child],
        placements=list(case.placements.select_related("place", "legal_basis")),
        decisions=decisions,
        care_plans=list(case.care_plans.select_related("decision")),
        action_plans=list(case.action_plans.all()),
        counsellors=list(case.counsellors.all()),
        grants=list(
            AccessGrant.objects.active().filter(case=case).select_related("user", "granted_by")
        ),
    )
