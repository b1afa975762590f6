"""Small factories for synthetic test data. Every name here is made up."""

import itertools
from datetime import date

from sammen.cases.models import ChildCase, Person, Placement, PlacementPlace, Relation
from sammen.cases.services import next_case_reference
from sammen.org.models import Role, Section, ServiceUnit, User

_seq = itertools.count(1)
PASSWORD = "test-passord-123"


def make_unit(name=None):
    return ServiceUnit.objects.create(
        name=name or f"Bydel Test {next(_seq)}", municipality="Testby"
    )


def make_section(unit, name=None):
    return Section.objects.create(unit=unit, name=name or f"Seksjon {next(_seq)}")


def make_user(username, role, *, unit, section=None, first_name="", last_name=""):
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        unit=unit,
        section=section,
        first_name=first_name or username.capitalize(),
        last_name=last_name or "Testesen",
    )


def make_place(unit, name=None, kind="foster_home"):
    return PlacementPlace.objects.create(
        unit=unit, name=name or f"Fosterhjem {next(_seq)}", kind=kind
    )


def make_case(
    *,
    section,
    caseworker,
    counsellors=(),
    child_first="Mia",
    child_last="Testdatter",
    opened_on=None,
):
    opened_on = opened_on or date(2025, 1, 15)
    case = ChildCase.objects.create(
        reference=next_case_reference(opened_on.year),
        section=section,
        caseworker=caseworker,
        opened_on=opened_on,
    )
    case.counsellors.set(counsellors)
    Person.objects.create(
        case=case,
        relation=Relation.CHILD,
        first_name=child_first,
        last_name=child_last,
        date_of_birth=date(2016, 5, 4),
    )
    return case


def make_parent(case, relation=Relation.MOTHER, first_name="Anne", last_name="Testmor"):
    return Person.objects.create(
        case=case,
        relation=relation,
        first_name=first_name,
        last_name=last_name,
        has_parental_responsibility=True,
    )


def make_placement(case, place, *, kind="care_order", start=date(2025, 2, 1), end=None):
    return Placement.objects.create(
        case=case, place=place, kind=kind, start_date=start, end_date=end
    )


def make_referral(case, counsellor, *, by, referred_on=date(2024, 12, 1), goals="Samvær"):
    """A guidance referral of `case` to `counsellor`, made by the caseworker `by`."""
    from sammen.followup.models import Referral

    return Referral.objects.create(
        case=case,
        referred_by=by,
        referred_on=referred_on,
        order="guidance",
        goals=goals,
        counsellor=counsellor,
    )


__all__ = ["PASSWORD", "Role"]


def set_columns(queryset, **values) -> int:
    """Write `values` straight into the rows of `queryset`, as test set-up: past the versioned
    models' refusal of bulk writes (core.models.VersionedQuerySet) and past every form rule."""
    from django.db.models import QuerySet

    rows = QuerySet(model=queryset.model).filter(pk__in=list(queryset.values_list("pk", flat=True)))
    return rows.update(**values)
