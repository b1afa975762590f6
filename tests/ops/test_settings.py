"""The deployment settings read from the environment (sammen/settings.py, docs/OPERATIONS.md):
the demo's plain HTTP keeps working, the production values switch HTTPS on, and a value that
cannot be read stops the start with the variable's name. Each case imports the settings in a
process of its own, with only the variables it names."""

import json
import subprocess
import sys

import pytest

from sammen import serve

from .support import PROJECT_ROOT, clean_environment, production_environment

SHOW = """
import json
import sammen.settings as s
print(json.dumps({
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],
    "proxy_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "trusted": s.CSRF_TRUSTED_ORIGINS,
    "hosts": s.ALLOWED_HOSTS,
    "session_age": s.SESSION_COOKIE_AGE,
    "email": [s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS],
    "static_root": str(s.STATIC_ROOT),
}))
"""


def settings_with(env):
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def read_settings(env) -> dict:
    done = settings_with(env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_demo_on_plain_http_keeps_cookies_usable_and_no_https():
    found = read_settings(clean_environment(SAMMEN_DEBUG="true"))
    assert found["session_secure"] is False and found["csrf_secure"] is False
    assert found["ssl_redirect"] is False
    assert found["hsts"] == [0, False, False]
    assert found["proxy_header"] is None
    assert found["email"][0] == "django.core.mail.backends.console.EmailBackend"
    assert found["hosts"] == ["127.0.0.1", "localhost"]
    assert found["session_age"] == 8 * 3600


def test_the_documented_production_values():
    found = read_settings(production_environment(SAMMEN_STATIC_ROOT="/srv/sammen/static"))
    assert found["session_secure"] is True and found["csrf_secure"] is True
    assert found["ssl_redirect"] is True
    assert found["hsts"] == [31536000, True, True]
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["trusted"] == ["https://sammen.kommune.no"]
    assert found["hosts"] == ["sammen.kommune.no"]
    assert found["email"] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.kommune.no",
        587,
        True,
    ]
    assert found["static_root"] == "/srv/sammen/static"


def test_plain_http_trial_of_the_production_server():
    """Debug off without a proxy, as docs/OPERATIONS.md tells for a trial on one's own machine."""
    env = clean_environment(SAMMEN_SECRET_KEY="x" * 60, SAMMEN_SECURE_COOKIES="false")
    found = read_settings(env)
    assert found["session_secure"] is False and found["csrf_secure"] is False


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SAMMEN_HSTS_SECONDS": "a year"}, "SAMMEN_HSTS_SECONDS must be a whole number"),
        ({"SAMMEN_HSTS_SECONDS": "-1"}, "SAMMEN_HSTS_SECONDS must be at least 0"),
        ({"SAMMEN_SSL_REDIRECT": "ja"}, "SAMMEN_SSL_REDIRECT must be a boolean"),
        ({"SAMMEN_SESSION_HOURS": "0"}, "SAMMEN_SESSION_HOURS must be at least 1"),
        ({"SAMMEN_CSRF_TRUSTED_ORIGINS": "sammen.kommune.no"}, "needs its scheme"),
        ({"SAMMEN_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}, "must be a header name"),
        (
            {"SAMMEN_EMAIL_USE_TLS": "true", "SAMMEN_EMAIL_USE_SSL": "true"},
            "exclude each other",
        ),
    ],
)
def test_a_value_that_cannot_be_read_stops_the_start(variables, message):
    done = settings_with(clean_environment(SAMMEN_DEBUG="true", **variables))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert message in done.stderr


def test_serve_reads_its_own_settings_strictly():
    assert serve.workers({"SAMMEN_WORKERS": "3"}) == 3
    assert 1 <= serve.workers({}) <= serve.MAX_DEFAULT_WORKERS
    for bad in ("0", "many", "-2", "2.5"):
        with pytest.raises(serve.ServeError, match="SAMMEN_WORKERS"):
            serve.workers({"SAMMEN_WORKERS": bad})
    assert serve.bind({}) == "127.0.0.1:8000"
    assert serve.bind({"SAMMEN_BIND": "127.0.0.1:9000"}) == "127.0.0.1:9000"
    assert serve.bind({"SAMMEN_BIND": "unix:/run/sammen.sock"}) == "unix:/run/sammen.sock"
    with pytest.raises(serve.ServeError, match="SAMMEN_BIND"):
        serve.bind({"SAMMEN_BIND": "8000; rm -rf /"})
    argv = serve.gunicorn_argv({"SAMMEN_WORKERS": "2", "SAMMEN_LOG_LEVEL": "INFO"})
    assert argv[1:4] == ["-m", "gunicorn", "sammen.wsgi:application"]
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--log-level") + 1] == "info"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SAMMEN_DEBUG": "true"}, "SAMMEN_DEBUG is on"),
        ({"SAMMEN_SECRET_KEY": "x" * 60, "SAMMEN_WORKERS": "lots"}, "SAMMEN_WORKERS must be"),
    ],
)
def test_serve_refuses_debug_and_bad_values_before_it_changes_anything(
    variables, message, tmp_path
):
    database = tmp_path / "never-created.sqlite3"
    env = clean_environment(DATABASE_URL=f"sqlite:///{database}", **variables)
    done = subprocess.run(
        [sys.executable, "-m", "sammen.serve"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert not database.exists()  # not migrated
