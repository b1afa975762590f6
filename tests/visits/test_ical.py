"""The counsellor's iCal feed: token-protected, one event per visit, no names."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from sammen.cases.models import Person
from sammen.org.models import User
from sammen.visits import services

from .conftest import make_session

pytestmark = pytest.mark.django_db


def test_the_feed_has_one_event_per_visit_and_no_names(client, people, case_a, plan, flat):
    ola = people["ola"]
    soon = timezone.now().replace(microsecond=0) + timedelta(days=2)
    held = make_session(plan, soon, counsellor=ola, flat=flat)
    planned = make_session(plan, soon + timedelta(days=7), counsellor=ola)
    make_session(
        plan, soon + timedelta(days=14), counsellor=ola, status="cancelled", cancelled_by="parent"
    )
    make_session(plan, soon, counsellor=people["per"])  # someone else's
    token = services.calendar_token_for(ola).token

    response = client.get(reverse("visits:ical", args=[token]))  # no login
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"visit-{s.pk}@sammen" for s in (held, planned)
    )
    assert all(case_a.reference in str(e["SUMMARY"]) for e in events)
    assert any(str(e["LOCATION"]) == flat.name for e in events)
    names = {n for p in Person.objects.all() for n in (p.first_name, p.last_name)}
    names |= {n for u in User.objects.all() for n in (u.first_name, u.last_name, u.username) if n}
    for name in names:
        assert name.lower() not in body.lower(), name


def test_a_wrong_token_gives_404(client, people):
    services.calendar_token_for(people["ola"])
    assert client.get(reverse("visits:ical", args=["not-the-token"])).status_code == 404


def test_a_renewed_token_shuts_the_old_address(client, people):
    old = services.calendar_token_for(people["ola"]).token
    new = services.calendar_token_renew(user=people["ola"]).token
    assert client.get(reverse("visits:ical", args=[old])).status_code == 404
    assert client.get(reverse("visits:ical", args=[new])).status_code == 200
