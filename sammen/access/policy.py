"""The one case-access policy. Every view, list and export asks it.

A user reaches a case as a member of its team — its caseworker, a family counsellor assigned
to it, a section leader of its section, a programme lead of its unit — or through an active,
time-limited grant. Administrators run the system; they see no case without a grant.

The policy knows the case model only by field names (`caseworker`, `counsellors`, `section`),
so this module imports no domain app.
"""

from enum import IntEnum

from django.db.models import QuerySet

from sammen.org.models import Role, Section

from .models import AccessGrant


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2


# What each role gets when it reaches a case through the team.
TEAM_ACCESS = {
    Role.CASEWORKER: Access.WRITE,
    Role.COUNSELLOR: Access.WRITE,
    Role.SECTION_LEADER: Access.WRITE,
    Role.PROGRAMME_LEAD: Access.READ,
    Role.ADMINISTRATOR: Access.NONE,
}


def _routes(user, case_model) -> list[QuerySet]:
    """The ids of the cases `user` reaches, one index-friendly subquery per route: an active
    grant; and for team roles the caseworker, an assigned counsellor, the section leader of
    the case's section, the programme lead of its unit."""
    routes = [AccessGrant.objects.active().filter(user_id=user.pk).order_by().values("case_id")]
    if TEAM_ACCESS.get(user.role, Access.NONE) == Access.NONE:
        return routes
    cases = case_model._default_manager.order_by()
    routes += [
        cases.filter(caseworker_id=user.pk).values("pk"),
        case_model.counsellors.through.objects.filter(user_id=user.pk).values("childcase_id"),
    ]
    if user.role == Role.SECTION_LEADER and user.section_id:
        routes.append(cases.filter(section_id=user.section_id).values("pk"))
    if user.role == Role.PROGRAMME_LEAD and user.unit_id:
        routes.append(cases.filter(section__unit_id=user.unit_id).values("pk"))
    return routes


def visible_cases(user, queryset: QuerySet) -> QuerySet:
    """The cases of `queryset` that `user` may read. Lists are built on this, never around it.

    One `pk IN (… UNION …)` of the routes rather than an OR of them: the database reads each
    route from its index instead of testing every case against the OR.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    return queryset.filter(pk__in=visible_case_ids(user, queryset.model))


def visible_case_ids(user, case_model) -> QuerySet:
    """The ids of the cases `user` may read, as a subquery: the `… UNION …` of `visible_cases`.

    For rows that point at a case: `filter(case_id__in=visible_case_ids(user, ChildCase))`
    keeps the same rows as `filter(case__in=visible_cases(user, ChildCase.objects.all()))`
    without wrapping the union in a query of the cases, which the ORM is slow to build.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return case_model._default_manager.none().values("pk")
    first, *rest = _routes(user, case_model)
    return first.union(*rest) if rest else first


def reads_every_case_of(user, *, unit_id: int, section_id: int | None = None) -> bool:
    """Whether `visible_cases` gives `user` every case of the unit (or of one section of it)
    by their role: a programme lead in their own unit, a section leader in their own section.
    Aggregates may then filter on the unit's or section's cases directly; it must change
    with the routes in `_routes`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if TEAM_ACCESS.get(user.role, Access.NONE) == Access.NONE:
        return False
    if user.role == Role.PROGRAMME_LEAD:
        return bool(user.unit_id) and user.unit_id == unit_id
    if user.role == Role.SECTION_LEADER:
        return bool(user.section_id) and section_id == user.section_id
    return False


def readable_unit_ids(user, case_model) -> QuerySet:
    """The ids of the units `user` may read a case in, possibly with units where they reach
    none (their own unit or section's unit with no case yet): for keys of pages whose content
    depends on every case the user may read. Cheaper than the units of `visible_cases`: the
    section and unit routes give their unit without reading their cases. It must change with
    the routes in `_routes` (tests/access/test_policy.py proves it covers `visible_cases`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Section.objects.none().values_list("unit_id")
    unit_of_case = "case__section__unit_id"
    routes = [AccessGrant.objects.active().filter(user_id=user.pk).values_list(unit_of_case)]
    if TEAM_ACCESS.get(user.role, Access.NONE) != Access.NONE:
        through = case_model.counsellors.through.objects
        routes += [
            case_model._default_manager.filter(caseworker_id=user.pk).values_list(
                "section__unit_id"
            ),
            through.filter(user_id=user.pk).values_list("childcase__section__unit_id"),
        ]
        if user.role == Role.SECTION_LEADER and user.section_id:
            routes.append(Section.objects.filter(pk=user.section_id).values_list("unit_id"))
        if user.role == Role.PROGRAMME_LEAD and user.unit_id:
            routes.append(Section.objects.filter(unit_id=user.unit_id).values_list("unit_id"))
    first, *rest = [route.order_by() for route in routes]
    return first.union(*rest)


def _is_team_member(user, case) -> bool:
    if case.caseworker_id == user.pk:
        return True
    if user.role == Role.SECTION_LEADER and user.section_id == case.section_id:
        return True
    if user.role == Role.PROGRAMME_LEAD and user.unit_id and user.unit_id == case.section.unit_id:
        return True
    return case.counsellors.filter(pk=user.pk).exists()


def case_access(user, case) -> Access:
    """How far `user` may go with `case`: not at all, read, or read and change."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access.NONE
    level = Access.NONE
    if _is_team_member(user, case):
        level = TEAM_ACCESS.get(user.role, Access.NONE)
    if level < Access.WRITE:
        grants = AccessGrant.objects.active().filter(user_id=user.pk, case_id=case.pk)
        for grant in grants:
            level = max(level, Access.WRITE if grant.can_edit else Access.READ)
    return level


def can_manage_access(user, case) -> bool:
    """Section leaders of the case's section grant access and read who has looked at the case."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.SECTION_LEADER
        and user.section_id == case.section_id
    )


def can_manage_team(user, case) -> bool:
    """Section leaders of the case's section choose its caseworker and counsellors."""
    return can_manage_access(user, case)


def can_register_legal_records(user, case) -> bool:
    """The tribunal's decisions and their visitation rulings are registered and changed only by
    the case's caseworker and the section leaders of its section: they are legal records, not
    working notes. Family counsellors (on the team or with a grant that may edit), programme
    leads and other caseworkers with a grant read them but change nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if case.caseworker_id == user.pk:
        return True
    return (
        user.role == Role.SECTION_LEADER
        and bool(user.section_id)
        and (user.section_id == case.section_id)
    )
