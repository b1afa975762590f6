"""The overview of who has been offered follow-up links to referring a parent never offered it:
to the case's referral form with that parent ticked, for those who may refer (a caseworker or
section leader who may change the case). The parent in the address is only ever a parent of
that case."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.cases.models import Relation

from .. import factories as f
from . import data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def never(people, case_a, case_b, place):
    """Under a care order: case_a's new adoptive parent and case_b's mother, never offered
    (data.build offers case_a's mother and father and case_b's father)."""
    f.make_placement(case_a, place)
    f.make_placement(case_b, place)
    data.build(people, case_a, case_b, place)
    return {
        "a": f.make_parent(case_a, Relation.ADOPTIVE_PARENT, "Aud", "Adoptivmor"),
        "b": case_b.persons.get(relation=Relation.MOTHER),
    }


def refer_links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*/henvis/\?[^"]*)"', html)]


def refer_url(case, parent):
    return f"{reverse('followup:refer', args=[case.pk])}?forelder={parent.pk}"


def test_the_section_leader_gets_a_link_to_refer_each_parent_never_offered(
    client, people, case_a, never
):
    client.force_login(people["siri"])
    html = client.get(reverse("followup:offers")).content.decode()
    assert refer_links(html) == [refer_url(case_a, never["a"])]
    assert "Refer<span" in html


def test_the_programme_lead_sees_the_parents_but_may_not_refer(client, people, never):
    client.force_login(people["pia"])
    html = client.get(reverse("followup:offers")).content.decode()
    assert "Aud Adoptivmor" in html and "Berit Testmor" in html
    assert refer_links(html) == []


def test_a_grant_that_may_edit_lets_another_section_leader_refer(
    client, people, case_a, case_b, never
):
    sven = people["sven"]
    grant = AccessGrant.objects.create(
        case=case_a,
        user=sven,
        granted_by=people["siri"],
        reason="Ferievikar",
        valid_until=timezone.now() + timedelta(days=7),
    )
    client.force_login(sven)
    links = refer_links(client.get(reverse("followup:offers")).content.decode())
    assert links == [refer_url(case_b, never["b"])]  # a read grant: case_a's parent, no link
    f.set_columns(AccessGrant.objects.filter(pk=grant.pk), can_edit=True)
    links = refer_links(client.get(reverse("followup:offers")).content.decode())
    assert sorted(links) == sorted([refer_url(case_a, never["a"]), refer_url(case_b, never["b"])])


def _ticked(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="parents"[^>]*value="(\d+)"[^>]*checked', html) + [
        v for v in re.findall(r'<input[^>]*checked[^>]*name="parents"[^>]*value="(\d+)"', html)
    ]


def test_the_link_opens_the_referral_form_with_that_parent_ticked(client, people, case_a, never):
    client.force_login(people["siri"])
    response = client.get(refer_url(case_a, never["a"]))
    assert response.status_code == 200
    assert _ticked(response.content.decode()) == [str(never["a"].pk)]


@pytest.mark.parametrize(
    "value", ["", "abc", "²", "-1", "0", "99999999999999999999999999", "1 OR 1=1"]
)
def test_anything_but_a_parent_of_the_case_ticks_nobody(client, people, case_a, never, value):
    client.force_login(people["kari"])
    url = reverse("followup:refer", args=[case_a.pk])
    response = client.get(url, {"forelder": value})
    assert response.status_code == 200
    assert _ticked(response.content.decode()) == []


def test_a_parent_of_another_case_or_the_child_is_not_ticked(client, people, case_a, never):
    client.force_login(people["kari"])
    url = reverse("followup:refer", args=[case_a.pk])
    child = case_a.persons.get(relation=Relation.CHILD)
    for person in (never["b"], child):
        response = client.get(url, {"forelder": person.pk})
        assert response.status_code == 200
        assert _ticked(response.content.decode()) == []


def test_the_link_says_henvis_in_norwegian(client, people, never):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(people["siri"])
    html = client.get(reverse("followup:offers")).content.decode()
    assert "Henvis<span" in html
