"""Sign-in throttling (django-axes, sammen/core/throttle.py): through the real sign-in page."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sammen.core.throttle import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/logg-inn/"
LOCKED_NB = "For mange mislykkede påloggingsforsøk"
WRONG_NB = "Feil brukernavn eller passord"


def attempt(client, username, password, *, address="10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return SESSION_KEY in client.session


def fail_until_locked(client, username="kari", *, address="10.0.0.7"):
    """The failures the limit allows, then the one that locks; returns the last response."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, username, "feil-passord", address=address)
        assert response.status_code == 200
        assert "lockout-message" not in response.content.decode()
    return attempt(client, username, "feil-passord", address=address)


def test_the_defaults_are_five_failures_and_half_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_repeated_failures_lock_the_user_name_out_with_the_sign_in_page(people):
    client = Client()
    response = fail_until_locked(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert 'role="alert" id="lockout-message"' in html
    # The form stays, with the user name kept, and no server error.
    assert 'name="password"' in html
    assert 'value="kari"' in html


def test_the_lock_out_message_is_norwegian(people):
    html = fail_until_locked(Client()).content.decode()
    assert LOCKED_NB in html
    assert "sperret i 30 minutter" in html


def test_the_right_password_is_refused_during_the_lock_out(people):
    client = Client()
    fail_until_locked(client)
    response = attempt(client, "kari", PASSWORD)
    assert response.status_code == 429
    assert 'id="lockout-message"' in response.content.decode()
    assert not signed_in(client)


def test_the_cool_off_ends_the_lock_out(people):
    client = Client()
    fail_until_locked(client)
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = attempt(client, "kari", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:home")
    assert signed_in(client)


def test_the_lock_out_holds_until_the_cool_off_has_passed(people):
    client = Client()
    fail_until_locked(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
        assert attempt(client, "kari", PASSWORD).status_code == 429


def test_the_lock_out_is_for_the_user_name_from_that_address_only(people):
    fail_until_locked(Client(), address="10.0.0.7")
    # The same person from another address, and another person from the same address.
    elsewhere, colleague = Client(), Client()
    assert attempt(elsewhere, "kari", PASSWORD, address="10.0.0.8").status_code == 302
    assert attempt(colleague, "ola", PASSWORD, address="10.0.0.7").status_code == 302


def test_a_successful_sign_in_resets_the_count(people):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "kari", "feil-passord")
    assert attempt(client, "kari", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "kari", "feil-passord").status_code == 200


def test_a_wrong_password_before_the_limit_says_so_in_norwegian(people):
    response = attempt(Client(), "kari", "feil-passord")
    assert response.status_code == 200
    assert WRONG_NB in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_comes_from_the_settings(people):
    client = Client()
    assert attempt(client, "kari", "feil-passord").status_code == 200
    assert attempt(client, "kari", "feil-passord").status_code == 429


def test_the_test_clients_login_works_with_a_request(people):
    """client.login() goes through authenticate(); axes needs the request (its documented way)."""
    client = Client()
    assert client.login(request=HttpRequest(), username="kari", password=PASSWORD)
    assert client.get(reverse("cases:home")).status_code == 200


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's and ignored
        (1, "198.51.100.2, 203.0.113.9", "203.0.113.9"),  # what the one proxy saw
        (2, "198.51.100.2, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not trusted
    ],
)
def test_the_client_address_counts_the_proxies_from_the_right(settings, count, forwarded, expected):
    settings.SAMMEN_PROXY_COUNT = count
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_ip(request) == expected
