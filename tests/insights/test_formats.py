"""The dashboard in Norwegian: decimal commas, grouped thousands, and chart values with the
plural form their count takes ("1 forelder", "2 foreldre")."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from sammen.insights.charts import count_text
from sammen.insights.figures import cell

from . import data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1, "parents", "1 parent"),
        (2, "parents", "2 parents"),
        (1, "plans", "1 plan"),
        (2, "plans", "2 plans"),
        (1, "families", "1 family"),
        (0, "visits", "0 visits"),
        (Decimal("2.5"), "hours", "2.5 hours"),
        (Decimal("1.0"), "hours", "1 hour"),
        (12000, "visits", "12,000 visits"),
    ],
)
def test_a_chart_value_takes_the_plural_form_of_its_count(value, unit, text):
    with translation.override("en"):
        assert count_text(value, unit) == text


def test_a_table_cell_is_written_the_norwegian_way_and_keeps_its_plain_value():
    with translation.override("nb"):
        assert cell(Decimal("5.50")) == ("5,5", "5.5")
        assert cell(10000) == ("10\u202f000", "10000")
        assert cell(None) == ("–", "")


def test_the_dashboard_shows_decimal_commas_and_counted_units(
    client, people, case_a, case_b, place
):
    data.build(people, case_a, case_b, place)
    client.force_login(people["pia"])  # no language chosen: bokmål
    with time_machine.travel(date(2025, 6, 30), tick=False):
        response = client.get(
            reverse("insights:dashboard"), {"start": "2025-01-01", "end": "2025-06-30", "naa": 1}
        )
    html = response.content.decode()
    assert '<td data-value="5.5">5,5</td>' in html  # total hours
    with translation.override("nb"):
        assert count_text(Decimal("5.5"), "hours") not in html  # the total has no bar
        assert f">{count_text(Decimal('3'), 'hours')}</text>" in html  # the visit's 3 hours
        assert f">{count_text(1, 'families')}</text>" in html  # ola carries one family
