"""The plan page flags a plan that falls short of its changed visitation ruling, from the same
check as the case overview and the dashboard (visits.ruling_checks)."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from sammen.cases import services as case_services
from sammen.cases.models import VisitationRuling
from sammen.visits.models import VisitPlan
from sammen.visits.rules import OSLO
from sammen.visits.ruling_checks import plan_behind_its_ruling, plans_behind_their_ruling

from .test_ruling_versions import change, make_plan

pytestmark = pytest.mark.django_db

FLAG = "Planen oppfyller ikke samværsretten"


@pytest.fixture
def kept_ruling(people, case_a, decision, mother):
    """The mother's ruling registered through the service, so its first version is kept."""
    ruling = VisitationRuling(
        decision=decision, visitor=mother, visits=1, period_length=2, period_unit="month",
        min_hours=2, supervision="supervised",
    )  # fmt: skip
    return case_services.ruling_save(
        user=people["kari"], case=case_a, ruling=ruling, expected_version=None
    )


@pytest.fixture(autouse=True)
def _bokmal():
    with translation.override("nb"):
        yield


def plan_page(client, plan) -> str:
    response = client.get(reverse("visits:plan", args=[plan.case_id, plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_plan_page_flags_a_plan_behind_the_changed_ruling(
    client, people, case_a, mother, kept_ruling
):
    plan = make_plan(people, case_a, mother)  # 1 visit per 2 months: the minimum
    client.force_login(people["ola"])
    assert FLAG not in plan_page(client, plan)
    with time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=OSLO), tick=False):
        change(people, case_a, kept_ruling, period_length=1)  # now at least 1 per month
    html = plan_page(client, plan)
    assert (
        "Planen oppfyller ikke samværsretten, som ble endret til versjon 2 12.03.2026. "
        "Planen ble kontrollert mot versjon 1."
    ) in html
    (behind,) = plans_behind_their_ruling([case_a.pk])
    for refusal in behind.refusals:
        assert refusal.replace("'", "&#x27;") in html
    assert reverse("visits:plan_revise", args=[case_a.pk, plan.pk]) in html


def test_one_source_the_flag_on_the_page_is_the_cases_flag(people, case_a, mother, kept_ruling):
    plan = make_plan(people, case_a, mother)
    change(people, case_a, kept_ruling, period_length=1)
    (behind,) = plans_behind_their_ruling([case_a.pk])
    mine = plan_behind_its_ruling(VisitPlan.objects.select_related("ruling").get(pk=plan.pk))
    assert (mine.plan.pk, mine.checked_number, mine.current_number, mine.refusals) == (
        behind.plan.pk,
        behind.checked_number,
        behind.current_number,
        behind.refusals,
    )


def test_an_earlier_version_and_a_plan_that_meets_the_ruling_are_not_flagged(
    client, people, case_a, mother, kept_ruling
):
    first = make_plan(people, case_a, mother)
    change(people, case_a, kept_ruling, period_length=1)
    second = make_plan(people, case_a, mother, based_on=1, visits=1, period_length=1)
    client.force_login(people["ola"])
    assert FLAG not in plan_page(client, first)  # an earlier version: its page says so already
    assert FLAG not in plan_page(client, second)
    assert plan_behind_its_ruling(VisitPlan.objects.get(pk=second.pk)) is None


def test_a_plan_whose_ruling_never_changed_costs_no_check(
    people, case_a, mother, kept_ruling, django_assert_num_queries
):
    plan = VisitPlan.objects.select_related("ruling").get(pk=make_plan(people, case_a, mother).pk)
    with django_assert_num_queries(0):
        assert plan_behind_its_ruling(plan) is None
