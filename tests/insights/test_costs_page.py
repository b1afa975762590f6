"""The cost page and the rates a leader sets."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from sammen.insights.models import CostRates

from . import data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2025, 6, 30), tick=False):
        yield


def test_the_cost_page_shows_inputs_formula_and_result(client, people, case_a, case_b, place):
    data.build(people, case_a, case_b, place)
    client.force_login(people["pia"])
    response = client.get(reverse("insights:costs"), {"start": "2025-01-01", "end": "2025-06-30"})
    assert response.status_code == 200
    c = response.context["c"]
    assert (c.hours, c.km, c.cases, c.months) == (5.5, 62, 2, 6)
    assert c.saving == Decimal("4799.8")  # 5.5 × 840 + 62 × 2.9
    html = response.content.decode()
    assert "4\u202f800" in html  # shown to the krone
    assert "887\u202f042" in html and "924\u202f000" in html  # the report's 2025 inconsistency


def test_a_leader_changes_the_rates(client, people):
    client.force_login(people["siri"])
    response = client.post(
        reverse("insights:rates"),
        {
            "private_hourly": "1300",
            "private_per_km": "6",
            "own_hourly": "420",
            "own_per_km": "3.1",
            "budget_amount": "12025000",
            "budget_months": "30",
        },
    )
    assert response.status_code == 302
    assert CostRates.objects.get(unit=people["siri"].unit).private_hourly == 1300


def test_bad_rates_show_errors_keep_values_and_save_nothing(client, people):
    client.force_login(people["pia"])
    response = client.post(
        reverse("insights:rates"),
        {
            "private_hourly": "-5",
            "private_per_km": "x",
            "own_hourly": "400",
            "own_per_km": "3.1",
            "budget_amount": "12025000",
            "budget_months": "0",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "private_hourly",
        "private_per_km",
        "budget_months",
    }
    assert 'value="-5"' in response.content.decode()
    assert not CostRates.objects.exists()
