"""The dashboard's case filter (`Scope.cases`) is exactly the case-access policy's answer.

For a programme lead in their own unit and a section leader in their own section the figures
filter on the scope's cases by unit and section (a subquery, like the hand-written SQL);
everyone else goes through `visible_cases`. Either way the set must be `scope_cases()`.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.cases.models import ChildCase
from sammen.insights.selectors import Scope, reads_whole_scope, scope_cases
from sammen.org.models import Role

from .. import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)


@pytest.fixture
def world(people, unit, section_a, section_b, case_a, case_b):
    # Cases on nobody's team but the leaders', one in another unit, and a grant across units.
    f.make_case(section=section_a, caseworker=people["kari"])
    f.make_case(section=section_b, caseworker=people["cato"], counsellors=[people["ola"]])
    other_unit = f.make_unit()
    other_section = f.make_section(other_unit)
    other_lead = f.make_user("olga", Role.PROGRAMME_LEAD, unit=other_unit)
    other_leader = f.make_user("sara", Role.SECTION_LEADER, unit=other_unit, section=other_section)
    elsewhere = f.make_case(section=other_section, caseworker=other_leader)
    AccessGrant.objects.create(
        case=case_b,
        user=other_lead,
        granted_by=people["sven"],
        reason="Ferievikar",
        valid_until=timezone.now() + timedelta(days=7),
    )
    AccessGrant.objects.create(
        case=elsewhere,
        user=people["siri"],
        granted_by=other_leader,
        reason="Samarbeid",
        valid_until=timezone.now() + timedelta(days=7),
    )
    inactive = f.make_user("ina", Role.PROGRAMME_LEAD, unit=unit)
    inactive.is_active = False
    inactive.save()
    return {**people, "olga": other_lead, "sara": other_leader, "ina": inactive}


def scope_for(user, unit_id, section_id=None):
    return Scope(
        user=user,
        unit_id=unit_id,
        section_id=section_id,
        start=date(2025, 1, 1),
        end=TODAY,
        today=TODAY,
    )


def scopes(world, unit, section_a, section_b):
    for user in world.values():
        for unit_id in {unit.pk, world["olga"].unit_id}:
            for section_id in (None, section_a.pk, section_b.pk, world["sara"].section_id):
                yield scope_for(user, unit_id, section_id)


def test_the_scopes_cases_are_the_policys_cases(world, unit, section_a, section_b):
    whole = 0
    for scope in scopes(world, unit, section_a, section_b):
        expected = set(scope_cases(scope).values_list("pk", flat=True))
        got = set(ChildCase.objects.filter(pk__in=scope.cases).values_list("pk", flat=True))
        assert got == expected, (scope.user, scope.unit_id, scope.section_id)
        whole += reads_whole_scope(scope)
    assert whole  # the unit and section filter was exercised, not only the id list


def test_only_leaders_in_their_own_unit_or_section_read_the_whole_scope(
    world, unit, section_a, section_b
):
    assert reads_whole_scope(scope_for(world["pia"], unit.pk))
    assert reads_whole_scope(scope_for(world["pia"], unit.pk, section_b.pk))
    assert reads_whole_scope(scope_for(world["siri"], unit.pk, section_a.pk))
    assert not reads_whole_scope(scope_for(world["siri"], unit.pk))
    assert not reads_whole_scope(scope_for(world["siri"], unit.pk, section_b.pk))
    assert not reads_whole_scope(scope_for(world["olga"], unit.pk))
    assert not reads_whole_scope(scope_for(world["ina"], unit.pk))
    assert not reads_whole_scope(scope_for(world["adam"], unit.pk))
    assert not reads_whole_scope(scope_for(world["kari"], unit.pk, section_a.pk))
    # A programme lead reads every case of their unit; a grant elsewhere adds only that case.
    assert set(ChildCase.objects.filter(pk__in=scope_for(world["pia"], unit.pk).cases)) == set(
        ChildCase.objects.filter(section__unit=unit)
    )
    assert len(ChildCase.objects.filter(pk__in=scope_for(world["olga"], unit.pk).cases)) == 1


def test_the_figures_hold_for_someone_who_sees_no_case_of_the_scope(world, unit):
    from sammen.insights import dashboard

    tables = {t.key: t for t in dashboard.build(scope_for(world["adam"], unit.pk))}
    assert [row[1] for row in tables["load"].rows] == [0, 0]
    assert tables["duration"].rows[0][1] == 0
    assert tables["time"].rows[-1][1] == 0
    assert tables["offers"].rows[-1][1:] == [0, 0, 0, 0]
