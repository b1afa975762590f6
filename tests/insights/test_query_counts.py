"""The dashboard is computed afresh on every request with a number of queries that does not grow
with the data: from 2 to 30 cases, each with parents, a follow-up with contacts, a visitation
ruling and plan with visit sessions, and time entries."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sammen.cases.models import TribunalDecision, VisitationRuling
from sammen.visits.models import VisitPlan, VisitSession

from .. import factories as f
from . import data

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}

# Measured (with the test's savepoint and its release): 18 for the programme lead, 22 for the
# section leader (the form's check of their section, the case ids the policy gives, the
# first-conversation reminders and the case's legal deadlines) — session, user, audit row, the
# filter form's choices, the scope and one query per figure. One query of headroom, far below
# one query per case.
MAX_QUERIES = {"pia": 19, "siri": 23}


def _grow(people, section, place, n):
    """`n` more cases, each with two parents, an active follow-up with contacts, a ruled
    visitation plan with held, cancelled and planned visits, and time entries."""
    for i in range(n):
        case = f.make_case(section=section, caseworker=people["kari"], counsellors=[people["ola"]])
        f.make_placement(case, place)
        mother = f.make_parent(case, first_name=f"Mor{i}")
        f.make_parent(case, "father", first_name=f"Far{i}")
        followup = data.followup(
            data.referral(case, people["ola"], people["kari"]),
            mother,
            state="active",
            started_on=date(2025, 2, 1),
            contacts_per_month=3,
        )
        data.contacts(
            followup, [date(2025, 3, 1), date(2025, 4, 1), date(2025, 6, 2)], people["ola"]
        )
        decision = TribunalDecision.objects.create(
            case=case, decided_on=date(2025, 1, 10), kind="care_order"
        )
        ruling = VisitationRuling.objects.create(
            decision=decision,
            visitor=mother,
            visits=2,
            period_length=1,
            period_unit="month",
            min_hours=Decimal("2"),
            supervision="supervised",
        )
        plan = VisitPlan.objects.create(
            case=case,
            visitor=mother,
            ruling=ruling,
            starts_on=date(2025, 2, 1),
            evaluate_on=date(2025, 12, 1),
            visits=2,
            period_unit="month",
            hours=2,
            place_kind="office",
            supervision="supervised",
            counsellor=people["ola"],
            made_by=people["kari"],
        )
        for day, status in ((date(2025, 5, 6), "held"), (date(2025, 6, 3), "cancelled")):
            start = timezone.make_aware(
                datetime.combine(day, datetime.min.time()) + timedelta(hours=16)
            )
            VisitSession.objects.create(
                plan=plan,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                status=status,
                cancelled_by="parent" if status == "cancelled" else "",
            )
        start = timezone.make_aware(datetime(2025, 7, 2, 16))
        VisitSession.objects.create(plan=plan, starts_at=start, ends_at=start + timedelta(hours=2))
        for month in (2, 4, 6):
            data.entry(people["ola"], case, date(2025, month, 3), "visit", "2", 10)
            data.entry(people["ola"], case, date(2025, month, 3), "travel", "0.5", 25)


AFRESH = {**PERIOD, "naa": "1"}  # computed now, not the figures kept for minutes


@pytest.mark.parametrize("who", ["pia", "siri"])
def test_the_dashboard_uses_a_fixed_number_of_queries_from_2_to_30_cases(
    client, people, section_a, place, django_assert_max_num_queries, who
):
    client.force_login(people[who])
    url = reverse("insights:dashboard")
    with time_machine.travel(date(2025, 6, 30), tick=False):
        _grow(people, section_a, place, 2)
        with django_assert_max_num_queries(MAX_QUERIES[who]) as small:
            assert client.get(url, AFRESH).status_code == 200
        _grow(people, section_a, place, 28)
        with django_assert_max_num_queries(MAX_QUERIES[who]) as large:
            response = client.get(url, AFRESH)
    assert response.status_code == 200
    assert len(large) == len(small)
    # The figures did grow: 30 cases' time entries (2.5 hours each, three times) are summed.
    assert 'data-value="225"' in response.content.decode()
