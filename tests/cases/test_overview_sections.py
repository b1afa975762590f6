"""The overview reads each list once and links the rows it already has, in the usual order."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from sammen.cases.models import CarePlan, TribunalDecision, VisitationRuling
from sammen.cases.selectors import case_overview
from sammen.followup.models import FollowUp, Referral
from sammen.followup.templatetags.followup_tags import case_followups

from .. import factories as f

pytestmark = pytest.mark.django_db


def _ruling(decision, visitor, visits):
    return VisitationRuling.objects.create(
        decision=decision,
        visitor=visitor,
        visits=visits,
        period_length=1,
        period_unit="month",
        min_hours=Decimal("2"),
        supervision="supervised",
    )


@pytest.fixture
def full_case(people, case_a):
    mother = case_a.persons.get(relation="mother")
    father = f.make_parent(case_a, relation="father", first_name="Bjørn", last_name="Testfar")
    first = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 3, 1), kind="care_order"
    )
    second = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 9, 1), kind="visitation"
    )
    _ruling(first, mother, 1)
    _ruling(first, father, 2)
    _ruling(second, mother, 3)
    CarePlan.objects.create(
        case=case_a, kind="preliminary", decision=first, made_on=date(2025, 4, 1)
    )
    for days, parent in ((30, mother), (10, father)):
        referral = Referral.objects.create(
            case=case_a,
            referred_by=people["kari"],
            referred_on=date(2025, 6, 1) + timedelta(days=days),
            order="guidance",
            goals="Samvær",
            counsellor=people["ola"],
        )
        FollowUp.objects.create(referral=referral, parent=parent, state="assigned")
    return case_a


def test_rulings_stand_under_their_decision_by_relation(full_case, django_assert_num_queries):
    overview = case_overview(full_case)
    with django_assert_num_queries(0):  # visitors, decisions and plans' decisions are linked
        listed = [
            (d.decided_on, [(r.visitor.first_name, r.visits, r.decision) for r in d.ruling_list])
            for d in overview.decisions
        ]
        plans = [p.decision.decided_on for p in overview.care_plans]
    later, first = overview.decisions
    assert listed == [
        (date(2025, 9, 1), [("Anne", 3, later)]),
        (date(2025, 3, 1), [("Bjørn", 2, first), ("Anne", 1, first)]),  # father, then mother
    ]
    assert plans == [date(2025, 3, 1)]
    assert {r.pk for r in overview.rulings} == set(
        VisitationRuling.objects.filter(decision__case=full_case).values_list("pk", flat=True)
    )


def test_the_follow_up_section_lists_newest_referral_first(full_case, django_assert_num_queries):
    overview = case_overview(full_case)
    with django_assert_num_queries(1):
        rows = [
            (f.pk, f.parent.full_name, str(f.referral.counsellor))
            for f in case_followups(full_case, overview)
        ]
    assert rows == [
        (f.pk, f.parent.full_name, str(f.referral.counsellor)) for f in case_followups(full_case)
    ]
    assert [name for _pk, name, _c in rows] == ["Anne Testmor", "Bjørn Testfar"]


def test_the_overview_page_shows_the_rulings_and_follow_ups(client, people, full_case):
    client.force_login(people["kari"])
    body = client.get(reverse("cases:overview", args=[full_case.pk])).content.decode()
    assert body.count("Bjørn Testfar") >= 2  # a ruling and a follow-up
    assert (
        reverse("cases:ruling_edit", args=[full_case.pk, VisitationRuling.objects.first().pk])
        in body
    )
