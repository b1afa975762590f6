"""`make backup` / `make restore`: a backup of a database with the demo data in it, restored into
an empty database, brings back every row of every table with the same ids, the audit log
included, and the id sequences where they were.

It runs on the suite's database: SQLite (the online backup API) in CI's SQLite run, PostgreSQL
(pg_dump / pg_restore, which must be installed there) in its PostgreSQL run. The backup is made
by `manage.py backup` in this process (on SQLite the suite's database lives in its memory); the
restore by `manage.py restore` in another process, as `make restore` runs it.
"""

import os
import sqlite3
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.core.migration_support import Databases, PostgresDatabase, SqliteDatabase, snapshot

from .support import clean_environment, manage

AUDIT_TABLE = "audit_auditevent"
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}


class _LiveSqlite(SqliteDatabase):
    """The suite's SQLite database, in memory with a shared cache: opened by its URI."""

    def connect(self):
        return sqlite3.connect(str(self.path), uri=True)


def suite_database(databases):
    """A reader of the suite's own database, of the same kind as `databases` makes."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        return PostgresDatabase(databases.server, name, "source")
    return _LiveSqlite(name, "source")


def sequences(database) -> dict[str, int]:
    """Where each id sequence stands: the next row of each table gets the next id."""
    if database.vendor == "postgresql":
        rows = database.query("SELECT sequencename, last_value FROM pg_sequences")
    else:
        rows = database.query("SELECT name, seq FROM sqlite_sequence")
    return dict(rows)


def test_the_suite_runs_the_backup_of_its_own_database_kind():
    """CI's PostgreSQL run sets DATABASE_URL: the round trip below then runs pg_dump and
    pg_restore, never the SQLite path."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    assert connection.vendor == (expected or connection.vendor)
    assert connection.vendor in MAGIC


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_brings_back_every_row(tmp_path):
    call_command("load_demo", stdout=StringIO())
    backup_file = tmp_path / "sammen.backup"
    out = StringIO()
    call_command("backup", str(backup_file), stdout=out)
    assert f"to {backup_file}" in out.getvalue()
    assert backup_file.read_bytes().startswith(MAGIC[connection.vendor])
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600  # personal data: the owner only
    assert not list(tmp_path.glob(".*partial"))

    databases = Databases(connection.vendor, connection.settings_dict, tmp_path)
    try:
        target = databases.empty("restored")
        env = clean_environment(SAMMEN_DEBUG="true", DATABASE_URL=target.url)
        done = manage(env, "restore", str(backup_file), "--noinput")
        assert "Restored" in done.stdout

        source = suite_database(databases)
        before, after = snapshot(source), snapshot(target)
        assert sorted(after) == sorted(before)
        assert {table: len(rows) for table, rows in after.items()} == {
            table: len(rows) for table, rows in before.items()
        }
        # The audit log: the same rows with the same ids and content, and plenty of them.
        assert len(before[AUDIT_TABLE]) > 100
        assert after[AUDIT_TABLE] == before[AUDIT_TABLE]
        assert after == before
        assert sequences(target) == sequences(source)
        assert sequences(source)
    finally:
        databases.close()


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "earlier.backup"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing), stdout=StringIO())
    assert existing.read_bytes() == b"an earlier backup"


@pytest.mark.django_db
def test_a_restore_refuses_a_file_of_the_other_kind_and_asks_first(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    wrong = tmp_path / "other.backup"
    wrong.write_bytes(MAGIC[other] + b"\x00" * 100)
    with pytest.raises(CommandError, match="this installation runs on"):
        call_command("restore", str(wrong), interactive=False, stdout=StringIO())
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "missing"), interactive=False, stdout=StringIO())


def test_restore_without_a_terminal_asks_and_changes_nothing(tmp_path):
    """`make restore` asks before it replaces anything; with no one to answer it stops."""
    database = tmp_path / "untouched.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE kept (id integer)")
    backup = tmp_path / "empty-backup.sqlite3"
    sqlite3.connect(backup).close()
    with sqlite3.connect(backup) as db:
        db.execute("CREATE TABLE other (id integer)")
    env = clean_environment(SAMMEN_DEBUG="true", DATABASE_URL=f"sqlite:///{database}")
    done = manage(env, "restore", str(backup), check=False)
    assert done.returncode != 0
    assert "nothing was changed" in done.stderr
    with sqlite3.connect(database) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert tables == {"kept"}
