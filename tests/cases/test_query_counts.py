"""The case list, «Mine saker» and the case overview use a fixed number of queries, however
many cases there are and however much each case holds."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    TribunalDecision,
    VisitationRuling,
)

from .. import factories as f

pytestmark = pytest.mark.django_db

# Measured: list 9, «Mine saker» 6, overview 16-17 (with the test's savepoint and its release) —
# session, user, access checks, audit rows and the page's own reads (the follow-up and visits
# sections included); every page computed afresh. A little headroom, far below one query per row.
MAX_QUERIES = {"cases:list": 11, "cases:home": 8, "cases:overview": 18}


RELATIONS = ["mother", "father", "grandparent", "step", "sibling", "other"]


def _fill_case(case, place, *, records: int):
    """Give a case `records` of everything: parents, placements, decisions with rulings, plans."""
    parents = [
        f.make_parent(case, relation=relation, first_name=f"Forelder{i}", last_name="Testesen")
        for i, relation in zip(range(records), RELATIONS * records, strict=False)
    ]
    start = date(2020, 1, 1)
    for i in range(records):
        ongoing = i == records - 1
        end = None if ongoing else start + timedelta(days=30)
        kind = ["emergency", "voluntary", "care_order"][i % 3]
        f.make_placement(case, place, kind=kind, start=start, end=end)
        start += timedelta(days=31)
        decision = TribunalDecision.objects.create(
            case=case, decided_on=date(2021, 1, 1) + timedelta(days=i), kind="care_order"
        )
        for parent in parents[:2]:
            VisitationRuling.objects.create(
                decision=decision,
                visitor=parent,
                visits=1,
                period_length=2,
                period_unit="month",
                min_hours=2,
                supervision="supervised",
            )
        CarePlan.objects.create(
            case=case, kind="preliminary", decision=decision, made_on=date(2021, 2, 1)
        )
        ActionPlan.objects.create(
            case=case,
            starts_on=date(2022, 1, 1),
            ends_on=date(2022, 6, 30),
            goals="Trygg hverdag og stabil skolegang",
        )
    return case


def _grant(case, user, by):
    AccessGrant.objects.create(
        case=case,
        user=user,
        granted_by=by,
        reason="Vikar i ferien for saksbehandler",
        valid_until=timezone.now() + timedelta(days=10),
    )


@pytest.fixture
def make_cases(people, section_a, place):
    """Fill the database with `n` cases of kari's, each with `records` of everything."""

    numbers = itertools.count()

    def make(n, *, records=3):
        cases = []
        for i in itertools.islice(numbers, n):
            case = f.make_case(
                section=section_a,
                caseworker=people["kari"],
                counsellors=[people["ola"]],
                child_first=f"Barn{i:02d}",
                child_last="Testdatter",
            )
            _fill_case(case, place, records=records)
            _grant(case, people["per"], people["siri"])
            cases.append(case)
        return cases

    return make


def _count(client, url) -> int:
    """Queries of a page computed afresh: the case overview's kept content is dropped first
    (cases/overview_page.py; tests/cases/test_overview_kept.py covers keeping it)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["kari", "ola", "siri", "pia"])
@pytest.mark.parametrize("name", ["cases:list", "cases:home"])
def test_case_lists_use_the_same_number_of_queries_for_3_and_40_cases(
    client, people, make_cases, django_assert_max_num_queries, name, viewer
):
    client.force_login(people[viewer])
    url = reverse(name)
    make_cases(3)
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        assert client.get(url).status_code == 200
    with_3 = _count(client, url)

    make_cases(37)
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url)
    assert ("Barn39" in response.content.decode()) == (name == "cases:home")  # list: page 2
    with_40 = _count(client, url)
    assert with_40 == with_3


def test_the_second_page_of_the_case_list_costs_the_same_as_the_first(client, people, make_cases):
    client.force_login(people["kari"])
    make_cases(40, records=1)
    first = _count(client, reverse("cases:list"))
    second = _count(client, reverse("cases:list") + "?side=2")
    assert second == first


@pytest.mark.parametrize("viewer", ["kari", "siri", "pia"])
def test_the_overview_uses_the_same_number_of_queries_among_3_and_40_cases(
    client, people, make_cases, django_assert_max_num_queries, viewer
):
    client.force_login(people[viewer])
    (case, *_) = make_cases(3)
    url = reverse("cases:overview", args=[case.pk])
    with django_assert_max_num_queries(MAX_QUERIES["cases:overview"]):
        assert client.get(url).status_code == 200
    with_3 = _count(client, url)

    make_cases(37)
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES["cases:overview"]):
        assert client.get(url).status_code == 200
    assert _count(client, url) == with_3


def test_the_overview_uses_the_same_number_of_queries_for_a_small_and_a_large_case(
    client, people, make_cases, django_assert_max_num_queries
):
    client.force_login(people["kari"])
    (small,) = make_cases(1, records=2)
    (large,) = make_cases(1, records=20)
    small_url = reverse("cases:overview", args=[small.pk])
    large_url = reverse("cases:overview", args=[large.pk])
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES["cases:overview"]):
        response = client.get(large_url)
    body = response.content.decode()
    assert body.count("Forelder") >= 20
    assert _count(client, large_url) == _count(client, small_url)
