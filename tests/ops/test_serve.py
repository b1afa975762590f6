"""`make serve`'s command line, started as `make serve` starts it, behind a TLS-terminating proxy.

`python -m sammen.serve` (what the Makefile's `serve` and the Dockerfile run; the first test
checks that they still do) migrates a new database of the suite's kind, collects the static files
into a temporary STATIC_ROOT and starts gunicorn on 127.0.0.1 with the production values of
docs/OPERATIONS.md. The test then talks to it as the proxy does (the site's Host header,
X-Forwarded-Proto: https): the login page with its style sheets and htmx, signing in, and what
plain HTTP gets. The server is stopped whatever happens.
"""

import re
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from django.db import connection

from tests.core.migration_support import Databases

from .support import (
    LOOPBACK,
    PROJECT_ROOT,
    ProxiedClient,
    documented_production_environment,
    free_port,
    manage,
    production_environment,
    set_cookies,
)

START_SECONDS = 300  # migrate and collectstatic on a busy CI machine
SERVE_COMMAND = [sys.executable, "-m", "sammen.serve"]
PASSWORD = "serve-test-passord-123"
MAKE_USER = f"""
from sammen.org.models import Role, ServiceUnit, User
unit = ServiceUnit.objects.create(name="Bydel Serve")
User.objects.create_user(
    username="kari", password={PASSWORD!r}, role=Role.CASEWORKER, unit=unit
)
"""


def test_make_serve_and_the_container_run_this_command():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    recipe = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no serve target"
    assert recipe.group(1).strip() == "$(PY) -m sammen.serve"
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "sammen.serve"]' in dockerfile


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn as `make serve` starts it, on a new database; yields (client, env, log)."""
    tmp_path = tmp_path_factory.mktemp("serve")
    databases = Databases(connection.vendor, connection.settings_dict, tmp_path)
    host = documented_production_environment()["SAMMEN_ALLOWED_HOSTS"].split(",")[0]
    port = free_port()
    try:
        database = databases.empty("serve")
        env = production_environment(
            DATABASE_URL=database.url,
            SAMMEN_BIND=f"{LOOPBACK}:{port}",
            SAMMEN_WORKERS="2",
            SAMMEN_STATIC_ROOT=str(tmp_path / "static"),
        )
        with tempfile.TemporaryFile() as log:
            server = subprocess.Popen(  # the same command as the Makefile's recipe
                SERVE_COMMAND, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                client = ProxiedClient(port=port, host=host)
                wait_until_healthy(server, client, log)
                manage(env, "shell", "-c", MAKE_USER)
                yield client, env, log
            finally:
                server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    finally:
        databases.close()


def log_text(log) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode("utf-8", "replace")


def wait_until_healthy(server, client, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"serve stopped with {server.returncode}:\n{log_text(log)[-5000:]}")
        try:
            if client.get("/helse/", https=False).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"serve did not answer within {START_SECONDS} s:\n{log_text(log)[-5000:]}")


def assets(page_html: str) -> tuple[list[str], list[str]]:
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page_html)
    scripts = re.findall(r'<script src="([^"]+)"', page_html)
    return styles, scripts


def test_the_login_page_its_css_and_htmx_over_the_proxy_and_signing_in(served):
    client, env, log = served

    page = client.get("/logg-inn/")
    assert page.status == 200, page.text
    assert "Logg inn" in page.text
    assert page.header("Strict-Transport-Security") == (
        f"max-age={env['SAMMEN_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    csrf_cookie = set_cookies(page)["csrftoken"]
    assert "Secure" in csrf_cookie

    styles, scripts = assets(page.text)
    htmx = [src for src in scripts if "/htmx.org/" in src]
    designsystemet = [href for href in styles if "/designsystemet-css/" in href]
    assert htmx and len(designsystemet) == 2, (styles, scripts)
    for url in styles + scripts:
        # Hashed names from the manifest: cached for a year without ever going stale.
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
        answer = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert answer.status == 200, (url, answer.status)
        kind = "text/css" if url.endswith(".css") else "text/javascript"
        assert answer.header("Content-Type").startswith(kind), (url, answer.header("Content-Type"))
        assert "immutable" in answer.header("Cache-Control"), url
    plain = client.get(htmx[0])
    zipped = client.get(htmx[0], headers={"Accept-Encoding": "gzip"})
    assert b"htmx" in plain.body
    assert zipped.header("Content-Encoding") == "gzip"
    assert len(zipped.body) < len(plain.body) / 2
    # Only the hashed names are served: nothing can be cached under a name that changes content.
    assert client.get("/static/vendor/htmx.org/dist/htmx.min.js").status == 404

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = client.post_form(
        "/logg-inn/",
        {"csrfmiddlewaretoken": token, "username": "kari", "password": PASSWORD},
    )
    assert signed_in.status == 302, signed_in.text[:3000]
    session_cookie = set_cookies(signed_in)["sessionid"]
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    home = client.get(signed_in.header("Location"))
    assert home.status == 200
    assert "kari" in home.text

    assert "Traceback" not in log_text(log)


def test_plain_http_is_sent_to_https_but_the_health_check_is_not(served):
    client, env, log = served
    redirect = client.get("/logg-inn/", https=False)
    assert redirect.status == 301
    assert redirect.header("Location") == f"https://{client.host}/logg-inn/"
    health = client.get("/helse/", https=False)
    assert (health.status, health.body) == (200, b"ok")
    # A Host the site does not answer to is refused, the health check included.
    assert client.get("/helse/", https=False, headers={"Host": "evil.example"}).status == 400
