"""The dashboard keeps its figures under the unit's data version (insights.figures, core.versioning)
and shows new figures as soon as the unit's data changes, however it changes."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.access.models import AccessGrant
from sammen.followup.models import Contact
from sammen.timelog.models import TimeEntry

from . import data

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}


@pytest.fixture
def world(people, case_a, case_b, place):
    data.build(people, case_a, case_b, place)
    return people


@pytest.fixture(autouse=True)
def _today_in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with time_machine.travel(date(2025, 6, 30), tick=False), translation.override("en"):
        yield


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:dashboard"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")], len(queries)


def test_the_figures_are_kept_until_the_data_changes_however_it_changes(client, world, case_a):
    client.force_login(world["pia"])
    first, cold = _get(client)
    again, warm = _get(client)
    assert again == first
    assert warm < cold - 5  # the figures were not computed again
    assert 'data-value="5.5"' in first  # total hours (tests/insights/test_dashboard.py)
    # A queryset update: no save(), no signal. The page must show it at once.
    TimeEntry.objects.filter(case=case_a, activity="visit").update(hours=Decimal("13"))
    changed, _ = _get(client)
    assert 'data-value="15.5"' in changed
    assert 'data-value="5.5"' not in changed


def test_a_new_contact_changes_the_intensity_at_once(client, world, case_a):
    client.force_login(world["pia"])
    before, _ = _get(client)
    followup = case_a.persons.get(relation="mother").followups.get()
    Contact.objects.bulk_create(
        [
            Contact(
                followup=followup,
                held_on=date(2025, 6, d),
                with_whom="mother",
                minutes=60,
                recorded_by=world["ola"],
            )
            for d in (1, 2, 3, 4, 5)
        ]
    )
    after, _ = _get(client)
    assert after != before


def test_a_leader_with_an_access_grant_always_gets_figures_computed_afresh(client, world, case_b):
    AccessGrant.objects.create(
        case=case_b,
        user=world["pia"],
        granted_by=world["adam"],
        reason="Vikar",
        valid_until=timezone.now() + timezone.timedelta(days=1),
    )
    client.force_login(world["pia"])
    _, first = _get(client)
    _, second = _get(client)
    assert second == first


def test_a_page_with_filter_errors_is_shown_but_not_kept(client, world):
    client.force_login(world["pia"])
    bad = {"start": "2025-06-30", "end": "2025-01-01"}
    url = reverse("insights:dashboard")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url, bad).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = client.get(url, bad)
    assert response.context["form"].errors["end"]  # computed again: the form was rendered
    assert len(second) == len(first)


def test_each_filter_has_its_own_kept_page(client, world, section_a):
    client.force_login(world["pia"])
    whole, _ = _get(client)
    with CaptureQueriesContext(connection):
        response = client.get(reverse("insights:dashboard"), {**PERIOD, "section": section_a.pk})
    html = response.content.decode()
    assert html[html.index("<main") : html.index("</main>")] != whole
