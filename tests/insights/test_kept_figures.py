"""The dashboard keeps its aggregates for at most five minutes, says so, and recomputes on demand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sammen.insights import figures
from sammen.insights.selectors import Scope
from sammen.timelog.models import TimeEntry
from tests import factories as f

from . import data

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}
NOON = date(2025, 6, 30)


@pytest.fixture
def world(people, case_a, case_b, place):
    data.build(people, case_a, case_b, place)
    return people


def _get(client, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:dashboard"), {**PERIOD, **extra})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")], len(queries)


def test_the_figures_are_kept_said_to_be_kept_and_recomputed_on_demand(client, world, case_a):
    client.force_login(world["pia"])
    with time_machine.travel("2025-06-30 10:00 +02:00", tick=False):
        first, cold = _get(client)
        assert "Tall per 10:00" in first and "inntil 5 minutter" in first
        f.set_columns(TimeEntry.objects.filter(case=case_a, activity="visit"), hours=Decimal("13"))
    with time_machine.travel("2025-06-30 10:03 +02:00", tick=False):
        kept, warm = _get(client)
        assert 'data-value="5.5"' in kept and "Tall per 10:00" in kept  # as kept at 10:00
        assert warm < cold - 5
        afresh, _ = _get(client, naa="1")
        assert 'data-value="15.5"' in afresh and "Tall per 10:03" in afresh


def test_kept_figures_expire_after_five_minutes(client, world, case_a):
    client.force_login(world["pia"])
    with time_machine.travel("2025-06-30 10:00 +02:00", tick=False):
        _get(client)
        f.set_columns(TimeEntry.objects.filter(case=case_a, activity="visit"), hours=Decimal("13"))
    with time_machine.travel("2025-06-30 10:05:01 +02:00", tick=False):
        later, _ = _get(client)
    assert 'data-value="15.5"' in later


def test_each_viewer_and_filter_has_figures_of_their_own(client, world, section_a):
    with time_machine.travel("2025-06-30 10:00 +02:00", tick=False):
        client.force_login(world["pia"])
        whole, _ = _get(client)
        section, _ = _get(client, section=section_a.pk)
        client.force_login(world["sven"])
        other_leader, _ = _get(client)
    assert whole != section and whole != other_leader


def test_what_is_kept_holds_no_case_data(client, world, case_a, case_b):
    client.force_login(world["pia"])
    scope = Scope(
        user=world["pia"],
        unit_id=world["pia"].unit_id,
        start=date(2025, 1, 1),
        end=NOON,
        today=NOON,
    )
    with time_machine.travel("2025-06-30 10:00 +02:00", tick=False):
        _get(client)
        with translation.override("nb"):
            kept = cache.get(figures.kept_key(scope))
    assert isinstance(kept, figures.Figures)
    text = repr((kept.tables, kept.html))
    for case in (case_a, case_b):
        assert case.reference not in text
        for person in case.persons.all():
            assert person.last_name not in text
    assert timedelta(minutes=5).total_seconds() == figures.KEPT_SECONDS
