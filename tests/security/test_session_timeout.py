"""Signing out after inactivity and after the longest session (sammen/core/session_timeout.py)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/"
IDLE = timedelta(seconds=settings.SAMMEN_SESSION_IDLE_SECONDS)
MAX = timedelta(seconds=settings.SAMMEN_SESSION_MAX_SECONDS)


@pytest.fixture
def start():
    """A fixed moment to travel from (time_machine moves every clock, time.time() too)."""
    return timezone.now()


def sign_in(start):
    client = Client()
    with time_machine.travel(start, tick=False):
        response = client.post(reverse("login"), {"username": "kari", "password": PASSWORD})
    assert response.status_code == 302
    return client


def get_at(client, moment, url=HOME):
    with time_machine.travel(moment, tick=False):
        return client.get(url)


def test_the_defaults_are_half_an_hour_idle_and_eight_hours_in_all():
    assert timedelta(minutes=30) == IDLE
    assert timedelta(hours=8) == MAX


def test_a_session_idle_longer_than_the_limit_is_signed_out(people, start):
    client = sign_in(start)
    response = get_at(client, start + IDLE + timedelta(seconds=1))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/")
    assert SESSION_KEY not in client.session


def test_the_sign_in_page_says_why_in_norwegian(people, start):
    client = sign_in(start)
    response = get_at(client, start + IDLE + timedelta(minutes=1), reverse("login"))
    assert response.status_code == 200
    assert "Du ble logget ut etter 30 minutter uten aktivitet" in response.content.decode()


def test_activity_renews_the_session(people, start):
    client = sign_in(start)
    moment = start
    # A page every 20 minutes for two hours: never idle for 30.
    for _ in range(6):
        moment += timedelta(minutes=20)
        assert get_at(client, moment).status_code == 200
    assert SESSION_KEY in client.session


def test_a_session_idle_just_under_the_limit_lives(people, start):
    client = sign_in(start)
    assert get_at(client, start + IDLE - timedelta(minutes=1)).status_code == 200


def test_no_session_lasts_longer_than_the_longest_however_active(people, start, settings):
    settings.SAMMEN_SESSION_MAX_SECONDS = 2 * 60 * 60  # two hours: fewer requests to make
    longest = timedelta(hours=2)
    client = sign_in(start)
    moment = start
    while moment + timedelta(minutes=25) < start + longest:
        moment += timedelta(minutes=25)
        assert get_at(client, moment).status_code == 200
    response = get_at(client, start + longest + timedelta(minutes=1))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    page = get_at(client, start + longest + timedelta(minutes=1), reverse("login"))
    assert "fordi du hadde vært logget inn i 2 timer" in page.content.decode()


def test_signing_in_again_starts_both_clocks_afresh(people, start):
    client = sign_in(start)
    later = start + MAX - timedelta(minutes=5)
    get_at(client, later)
    with time_machine.travel(later, tick=False):
        client.post(reverse("login"), {"username": "kari", "password": PASSWORD})
    assert get_at(client, later + timedelta(minutes=20)).status_code == 200


def test_stay_signed_in_renews_the_session(people, start):
    client = sign_in(start)
    renew = reverse("core:session_renew")
    with time_machine.travel(start + IDLE - timedelta(minutes=2), tick=False):
        assert client.post(renew).status_code == 204
    # 30 minutes after the start, but only 2 after the renewal.
    assert get_at(client, start + IDLE + timedelta(minutes=2)).status_code == 200


def test_stay_signed_in_after_the_limit_says_the_session_has_ended(people, start):
    client = sign_in(start)
    with time_machine.travel(start + IDLE + timedelta(minutes=1), tick=False):
        assert client.post(reverse("core:session_renew")).status_code == 401
    assert SESSION_KEY not in client.session


def test_stay_signed_in_needs_the_csrf_token(people, start):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["kari"])
    assert client.post(reverse("core:session_renew")).status_code == 403


def test_the_warning_markup_is_on_every_signed_in_page(people):
    client = Client()
    client.force_login(people["kari"])
    html = client.get(HOME).content.decode()
    box = re.search(r"<div[^>]*data-session-warning[^>]*>", html, re.S).group(0)
    assert 'role="alert"' in box
    assert " hidden" in box
    assert 'tabindex="-1"' in box
    # The page counts from a minute less than the server (which notes activity once a minute).
    assert f'data-idle-seconds="{settings.SAMMEN_SESSION_IDLE_SECONDS - 60}"' in box
    assert 'data-warning-seconds="300"' in box
    assert f'data-renew-url="{reverse("core:session_renew")}"' in box
    assert "data-csrf-token=" in box
    assert "data-session-renew" in html
    assert "/static/sammen/session.js" in html


def test_the_warning_is_norwegian(people):
    client = Client()
    client.force_login(people["kari"])
    html = client.get(HOME).content.decode()
    assert "Du blir logget ut om 5 minutter fordi du ikke har vært aktiv." in html
    assert "Forbli innlogget" in html


def test_there_is_no_warning_when_signed_out():
    html = Client().get(reverse("login")).content.decode()
    assert "data-session-warning" not in html
