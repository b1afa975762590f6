"""`/helse/` for the load balancer: 200 "ok" when the database answers and every migration is
applied, 503 otherwise; nobody signs in, nothing about anybody, nothing in the audit log."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse

from sammen.audit.models import AuditEvent

from .support import PROJECT_ROOT, clean_environment, free_port, random_secret_key

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_ok_without_a_cookie_or_an_audit_row():
    before = AuditEvent.objects.count()
    response = Client().get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    assert AuditEvent.objects.count() == before


def test_the_same_tiny_answer_for_the_signed_in(people):
    client = Client()
    client.force_login(people["kari"])
    before = AuditEvent.objects.count()
    response = client.get(reverse("health"))
    assert (response.status_code, response.content) == (200, b"ok")
    assert AuditEvent.objects.count() == before


def test_only_get_and_head():
    assert Client().head(reverse("health")).status_code == 200
    assert Client().post(reverse("health")).status_code == 405


def test_an_unapplied_migration_gives_503():
    """The database says a migration of the code is not applied (as after deploying new code
    before `migrate`): the migration recorder's row is removed inside the test's transaction."""
    recorder = MigrationRecorder(connection)
    app, name = max(key for key in recorder.applied_migrations() if key[0] == "core")
    recorder.record_unapplied(app, name)

    response = Client().get(reverse("health"))
    assert response.status_code == 503
    assert response.content == b"migrations"


def test_plain_http_is_not_redirected_for_the_load_balancer(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get(reverse("login")).status_code == 301
    assert Client().get(reverse("health")).status_code == 200


# A separate process whose database cannot be reached: a SQLite file in a folder that does not
# exist, a PostgreSQL port nobody listens on. Django's test client asks /helse/ there.
ASK_HEALTH = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get("/helse/")
print(response.status_code, response.content.decode())
"""


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_a_database_that_does_not_answer_gives_503(vendor, tmp_path):
    if vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    else:
        url = f"postgres://sammen:sammen@127.0.0.1:{free_port()}/sammen"
    env = clean_environment(SAMMEN_SECRET_KEY=random_secret_key(), DATABASE_URL=url)
    done = subprocess.run(
        [sys.executable, "-c", ASK_HEALTH],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "503 database", done.stdout + done.stderr
    assert "Health check: the database does not answer" in done.stderr
    if vendor == "sqlite":
        assert not Path(url.removeprefix("sqlite:///")).parent.exists()


def test_a_sqlite_file_without_tables_gives_503(tmp_path):
    """The database answers but nothing was ever migrated."""
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    env = clean_environment(
        SAMMEN_SECRET_KEY=random_secret_key(), DATABASE_URL=f"sqlite:///{empty}"
    )
    done = subprocess.run(
        [sys.executable, "-c", ASK_HEALTH],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "503 migrations", done.stdout + done.stderr
