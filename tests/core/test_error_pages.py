"""Errors in Norwegian, never Django's debug pages: debug is off unless asked for."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _debug_setting(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMMEN_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "sammen.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_is_off_unless_sammen_debug_says_true():
    assert _debug_setting(SAMMEN_SECRET_KEY="x" * 50).stdout.strip() == "False"
    assert _debug_setting(SAMMEN_DEBUG="true").stdout.strip() == "True"
    refused = _debug_setting()  # debug off and no secret key: refuses to start
    assert refused.returncode != 0 and "SAMMEN_SECRET_KEY is required" in refused.stderr


def test_an_unknown_address_gets_the_norwegian_404_without_the_url_list(client, people):
    client.force_login(people["kari"])
    response = client.get("/finnes-ikke/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Siden finnes ikke" in html or "Fant ikke siden" in html
    assert "URLconf" not in html and "admin/" not in html


def test_a_3_mb_post_gets_the_norwegian_413_page_and_saves_nothing(client, people, case_a):
    client.force_login(people["kari"])
    before = case_a.persons.count()
    response = client.post(
        reverse("cases:person_add", args=[case_a.pk]),
        {"first_name": "Ny", "last_name": "Person", "notes": "x" * (3 * 1024 * 1024)},
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert "For mye å sende på én gang" in html
    assert "tilbake i nettleseren" in html
    assert case_a.persons.count() == before


def test_a_server_error_shows_a_calm_norwegian_page():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Noe gikk galt" in html and "Traceback" not in html


def test_a_form_sent_without_its_csrf_token_gets_the_norwegian_page_without_inline_style(
    people,
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["kari"])
    response = client.post(reverse("cases:home"), {"anything": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Skjemaet er utløpt" in html and "Ingenting ble lagret" in html
    assert "<style" not in html and "CSRF verification failed" not in html
