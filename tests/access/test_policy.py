"""The case-access policy: who reaches which case, how far, and for how long."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.access.policy import (
    Access,
    can_manage_access,
    case_access,
    readable_unit_ids,
    visible_cases,
)
from sammen.cases.models import ChildCase
from sammen.org.models import Role

from .. import factories as f

pytestmark = pytest.mark.django_db

# Written out by hand: what each person of the conftest gets on each case.
EXPECTED = {
    #        case_a          case_b          manages a, manages b
    "kari": (Access.WRITE, Access.NONE, False, False),
    "ola": (Access.WRITE, Access.NONE, False, False),
    "per": (Access.NONE, Access.NONE, False, False),
    "siri": (Access.WRITE, Access.NONE, True, False),
    "sven": (Access.NONE, Access.WRITE, False, True),
    "pia": (Access.READ, Access.READ, False, False),
    "adam": (Access.NONE, Access.NONE, False, False),
    "cato": (Access.NONE, Access.WRITE, False, False),
}


def visible(user):
    return set(visible_cases(user, ChildCase.objects.all()))


def grant(case, user, granted_by, *, starts=None, ends=None, **fields):
    now = timezone.now()
    return AccessGrant.objects.create(
        case=case,
        user=user,
        granted_by=granted_by,
        reason="Dekker ferie",
        valid_from=starts or now,
        valid_until=ends or now + timedelta(days=21),
        **fields,
    )


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_person_reaches_exactly_the_cases_of_their_team(people, case_a, case_b, who):
    on_a, on_b, manages_a, manages_b = EXPECTED[who]
    user = people[who]
    assert (case_access(user, case_a), case_access(user, case_b)) == (on_a, on_b)
    assert (can_manage_access(user, case_a), can_manage_access(user, case_b)) == (
        manages_a,
        manages_b,
    )
    expected_visible = {c for c, level in ((case_a, on_a), (case_b, on_b)) if level > Access.NONE}
    assert visible(user) == expected_visible


@pytest.mark.parametrize("who", list(EXPECTED))
def test_list_and_case_agree_for_everyone(people, case_a, case_b, who):
    """A case is in a person's lists exactly when they may open it."""
    user = people[who]
    for case in (case_a, case_b):
        assert (case in visible(user)) == (case_access(user, case) > Access.NONE)


def test_an_anonymous_visitor_gets_nothing(case_a):
    anonymous = AnonymousUser()
    assert visible(anonymous) == set()
    assert case_access(anonymous, case_a) == Access.NONE
    assert not can_manage_access(anonymous, case_a)


@pytest.mark.parametrize("who", ["kari", "siri", "pia"])
def test_an_inactive_user_gets_nothing(people, case_a, who):
    user = people[who]
    user.is_active = False
    user.save()
    assert visible(user) == set()
    assert case_access(user, case_a) == Access.NONE
    assert not can_manage_access(user, case_a)


def test_an_inactive_user_gets_nothing_from_a_grant_either(people, case_b):
    per = people["per"]
    grant(case_b, per, people["sven"], can_edit=True)
    per.is_active = False
    per.save()
    assert visible(per) == set()
    assert case_access(per, case_b) == Access.NONE


def test_an_administrator_sees_no_case_even_as_superuser(people, case_a, case_b):
    adam = people["adam"]
    adam.is_staff = adam.is_superuser = True
    adam.save()
    assert visible(adam) == set()
    assert case_access(adam, case_a) == Access.NONE


def test_an_active_grant_gives_read_access_to_that_case_only(people, case_a, case_b):
    per = people["per"]
    grant(case_b, per, people["sven"])
    assert case_access(per, case_b) == Access.READ
    assert case_access(per, case_a) == Access.NONE
    assert visible(per) == {case_b}
    assert not can_manage_access(per, case_b)


def test_a_grant_that_may_edit_gives_write_access(people, case_b):
    per = people["per"]
    grant(case_b, per, people["sven"], can_edit=True)
    assert case_access(per, case_b) == Access.WRITE


def test_a_grant_lifts_the_programme_lead_to_write(people, case_a):
    pia = people["pia"]
    grant(case_a, pia, people["siri"], can_edit=True)
    assert case_access(pia, case_a) == Access.WRITE


def test_a_grant_opens_a_case_to_an_administrator(people, case_a):
    adam = people["adam"]
    grant(case_a, adam, people["siri"])
    assert case_access(adam, case_a) == Access.READ
    assert visible(adam) == {case_a}


def test_a_grant_not_yet_valid_gives_nothing(people, case_b):
    per = people["per"]
    now = timezone.now()
    grant(case_b, per, people["sven"], starts=now + timedelta(days=1), ends=now + timedelta(days=8))
    assert case_access(per, case_b) == Access.NONE
    assert visible(per) == set()


def test_a_grant_gives_nothing_once_it_has_expired(people, case_b):
    per = people["per"]
    now = timezone.now()
    grant(case_b, per, people["sven"], starts=now, ends=now + timedelta(days=21))
    assert case_access(per, case_b) == Access.READ
    with time_machine.travel(now + timedelta(days=21), tick=False):  # the end is exclusive
        assert case_access(per, case_b) == Access.NONE
        assert visible(per) == set()
    with time_machine.travel(now + timedelta(days=20, hours=23), tick=False):
        assert case_access(per, case_b) == Access.READ


def test_a_revoked_grant_gives_nothing(people, case_b):
    per = people["per"]
    revoked = grant(case_b, per, people["sven"], can_edit=True)
    revoked.revoked_at = timezone.now()
    revoked.save()
    assert case_access(per, case_b) == Access.NONE
    assert visible(per) == set()


def test_a_grant_to_someone_else_gives_nothing(people, case_b):
    grant(case_b, people["ola"], people["sven"])
    assert case_access(people["per"], case_b) == Access.NONE
    assert visible(people["per"]) == set()


def test_a_programme_lead_from_another_unit_sees_nothing(people, case_a, case_b):
    other_unit = f.make_unit("Bydel Sørvik")
    stranger = f.make_user("tone", Role.PROGRAMME_LEAD, unit=other_unit)
    assert visible(stranger) == set()
    assert case_access(stranger, case_a) == Access.NONE
    assert case_access(stranger, case_b) == Access.NONE


def test_a_section_leader_leads_only_their_own_section(people, case_a, case_b):
    assert visible(people["siri"]) == {case_a}
    assert visible(people["sven"]) == {case_b}


def test_a_counsellor_removed_from_the_team_loses_access(people, case_a):
    ola = people["ola"]
    case_a.counsellors.remove(ola)
    assert case_access(ola, case_a) == Access.NONE
    assert visible(ola) == set()


def test_a_caseworker_replaced_on_the_case_loses_access(people, case_a):
    kari = people["kari"]
    case_a.caseworker = people["cato"]
    case_a.save()
    assert case_access(kari, case_a) == Access.NONE
    assert visible(kari) == set()
    assert case_access(people["cato"], case_a) == Access.WRITE


def test_a_section_leader_moved_to_another_section_can_no_longer_manage_access(
    people, section_b, case_a
):
    siri = people["siri"]
    siri.section = section_b
    siri.save()
    assert not can_manage_access(siri, case_a)
    assert case_access(siri, case_a) == Access.NONE


# --- Lists never show a case the user may not see ------------------------------------------


def list_page(client, user):
    client.force_login(user)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    return response


def test_the_case_list_shows_per_no_case(client, people, case_a, case_b):
    response = list_page(client, people["per"])
    assert list(response.context["page"]) == []
    body = response.content.decode()
    for case in (case_a, case_b):
        assert case.reference not in body
    assert "Testdatter" not in body and "Andrebarn" not in body


def test_the_case_list_shows_kari_her_case_and_not_the_other(client, people, case_a, case_b):
    response = list_page(client, people["kari"])
    assert [case.pk for case in response.context["page"]] == [case_a.pk]
    body = response.content.decode()
    assert case_a.reference in body
    assert case_b.reference not in body
    assert "Andrebarn" not in body


def test_the_case_list_search_finds_no_foreign_case(client, people, case_a, case_b):
    client.force_login(people["kari"])
    response = client.get(reverse("cases:list"), {"q": "Andrebarn"})
    assert list(response.context["page"]) == []


def test_the_home_page_shows_only_the_persons_own_cases(client, people, case_a, case_b):
    client.force_login(people["kari"])
    response = client.get(reverse("cases:home"))
    body = response.content.decode()
    assert case_a.reference in body
    assert case_b.reference not in body


@pytest.mark.parametrize("who", list(EXPECTED))
def test_readable_units_cover_the_units_of_every_case_the_person_may_read(
    people, case_a, case_b, who
):
    """`readable_unit_ids` keys kept pages; it must hold the unit of every visible case, also
    cases reached in another unit as caseworker, counsellor or by a grant."""
    other_unit = f.make_unit("Bydel Sørvik")
    other_section = f.make_section(other_unit, "Seksjon sør")
    f.make_case(section=other_section, caseworker=people["kari"], counsellors=[people["ola"]])
    granted = f.make_case(section=other_section, caseworker=people["kari"])
    grant(granted, people["pia"], people["sven"])
    user = people[who]
    units = {row[0] for row in readable_unit_ids(user, ChildCase)}
    reached = {c.section.unit_id for c in visible_cases(user, ChildCase.objects.all())}
    assert reached <= units
    if who in ("kari", "ola", "pia"):
        assert other_unit.pk in reached
    if who == "per":
        assert units == set()
