"""Security headers and cookies on a page as production serves it: over HTTPS behind the proxy,
with HSTS and the SSL redirect switched on (their values from docs/OPERATIONS.md's table)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PRODUCTION = override_settings(
    DEBUG=False,
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def cookie(response, name):
    assert name in response.cookies, (name, list(response.cookies))
    return response.cookies[name]


@PRODUCTION
def test_a_page_sends_every_security_header(people):
    client = Client()
    client.force_login(people["kari"])
    response = client.get(reverse("cases:home"), **HTTPS)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Cache-Control"] == "no-store"


@PRODUCTION
def test_plain_http_is_sent_to_https():
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@PRODUCTION
def test_the_sign_in_cookies_are_secure_http_only_and_same_site(people):
    client = Client()
    page = client.get(reverse("login"), **HTTPS)
    csrf = cookie(page, "csrftoken")
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"

    response = client.post(reverse("login"), {"username": "kari", "password": PASSWORD}, **HTTPS)
    assert response.status_code == 302
    session = cookie(response, "sessionid")
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # Gone when the browser closes; the server ends it sooner (test_session_timeout.py).
    assert session["max-age"] == ""


@PRODUCTION
def test_the_language_cookie_is_secure_too():
    response = Client().post(
        reverse("core:language"), {"language": "nn", "next": "/logg-inn/"}, **HTTPS
    )
    language = cookie(response, "django_language")
    assert language["secure"] is True
    assert language["httponly"] is True
    assert language["samesite"] == "Lax"
