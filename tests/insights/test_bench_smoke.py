"""The benchmark command works end to end on a tiny data set (timings live in the benchmark)."""

import io
import os
import re
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from sammen.insights.management.commands._bench_server import database_url

TINY = [
    "--children",
    "20",
    "--contacts-per-case",
    "4",
    "--sessions-per-case",
    "4",
    "--entries-per-case",
    "4",
    "--requests",
    "2",
    "--warmup",
    "1",
]


@pytest.mark.django_db
def test_the_bench_command_generates_data_and_prints_ratios():
    out = io.StringIO()
    call_command(
        "bench",
        children=20,
        contacts_per_case=4,
        sessions_per_case=4,
        entries_per_case=4,
        requests=3,
        warmup=1,
        load="off",
        stdout=out,
    )
    text = out.getvalue()
    assert "20 children, 40 parents" in text
    assert "80 follow-up contacts, 80 visit sessions, 160 contacts and sessions together" in text
    for label in (
        "floor",
        "case overview",
        "counsellor's week",
        "dashboard afresh",
        "dashboard afresh (sect.)",
        "dashboard kept",
        "dashboard kept (section)",
    ):
        assert label in text
    assert "× floor" in text and "queries" in text
    assert "FAILED" not in text


def shared_database_url(tmp_path):
    """A DATABASE_URL another process can open holding the test database's schema: the test
    database itself on PostgreSQL, a file copy of the in-memory one on SQLite."""
    if connection.vendor != "sqlite":
        return database_url(connection.settings_dict)
    connection.ensure_connection()
    path = tmp_path / "bench.sqlite3"
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


@pytest.mark.django_db(transaction=True)
def test_the_load_phase_runs_gunicorn_and_loses_no_write(tmp_path):
    """gunicorn is another process: the command runs in one too, on committed data."""
    command = [sys.executable, "manage.py", "bench", *TINY]
    command += ["--load", "on", "--load-users", "3", "--load-seconds", "4", "--load-warmup", "0"]
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "sammen.settings",
        "SAMMEN_DEBUG": "true",
    }
    done = subprocess.run(
        command,
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    text = done.stdout + done.stderr
    assert done.returncode == 0, text
    assert "signed in 3 staff through the login form" in text
    level = re.search(r"load 3 users: (\d+) requests.*writes confirmed (\d+), lost (\d+)", text)
    assert level, text
    requests, confirmed, lost = map(int, level.groups())
    # With the default seed, the caseworker's and the counsellor's third action is an edit.
    assert requests > 0 and confirmed > 0, text
    assert lost == 0, text
    assert "5xx 0, no answer 0, other wrong answers 0" in text
