"""Throwaway databases and source trees for tests that run `manage.py migrate` in subprocesses.

The databases live beside the pytest test database, never in it: SQLite files in a temporary
folder, or (when the suite runs on PostgreSQL) databases of their own on the same server, named
`migr_from_main_<pid>_<random>_<label>` and dropped afterwards. The test process reads them
through plain DB-API connections, so nothing here goes through Django's connection.
"""

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LEGACY_PREFIX = "sammen_data_version"
VERSION_TABLES = {"core_unitversion", "core_caseversion"}
SUBPROCESS_TIMEOUT = 600  # seconds; a hung migrate fails the test instead of the whole CI job


# Source trees -----------------------------------------------------------------------------


def require_commit(commit: str) -> None:
    """Fail (never skip) when `commit` cannot be read from the repository, e.g. a shallow clone."""
    try:
        found = subprocess.run(
            ["git", "cat-file", "-e", f"{commit}^{{commit}}"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        pytest.fail(f"git is needed to read commit {commit} for this test: {error}")
    if found.returncode != 0:
        pytest.fail(
            f"Commit {commit} (the last release with the data-version triggers) is not in the "
            f"repository at {PROJECT_ROOT}; the upgrade test builds its database with that "
            "commit's code. Fetch the full history (e.g. `git fetch --unshallow`, or "
            f"`fetch-depth: 0` in CI). git said: {found.stderr.strip()}"
        )


def export_commit(commit: str, target: Path) -> Path:
    """The files of `commit` (as `git archive` gives them) in the folder `target`."""
    require_commit(commit)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(
            ["git", "archive", "--format=tar", commit],
            cwd=PROJECT_ROOT,
            stdout=archive,
            check=True,
        )
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target, filter="data")
    return target


def copy_working_tree(target: Path) -> Path:
    """The code of the working directory as it is now (what `manage.py` in the project root
    runs): `manage.py` and the `sammen` package, without caches."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT_ROOT / "manage.py", target / "manage.py")
    shutil.copytree(
        PROJECT_ROOT / "sammen",
        target / "sammen",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return target


def run_python(tree: Path, database, *args: str, check: bool = True):
    """Run `python <args>` in `tree` against `database`. The tree's own `sammen` package is
    imported (the script's folder comes first on sys.path)."""
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "sammen.settings",
        "SAMMEN_DEBUG": "true",
    }
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    if check and done.returncode != 0:
        pytest.fail(
            f"`python {' '.join(args)}` in {tree} on {database.label} exited with "
            f"{done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
        )
    return done


def manage(tree: Path, database, *args: str, check: bool = True):
    return run_python(tree, database, "manage.py", *args, check=check)


# Databases ---------------------------------------------------------------------------------


def _quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Reader:
    """Reads through a DB-API connection opened per query, or held open by `reading()`."""

    _held = None

    def connect(self):
        raise NotImplementedError

    @contextlib.contextmanager
    def reading(self):
        """One connection for every query inside (a snapshot of many tables)."""
        if self._held is not None:
            yield self
            return
        self._held = self.connect()
        try:
            yield self
        finally:
            self._held.close()
            self._held = None

    def query(self, sql: str, params=()) -> list[tuple]:
        with self.reading():
            return self._held.execute(sql, params).fetchall()


@dataclass
class SqliteDatabase(_Reader):
    path: Path
    label: str
    vendor = "sqlite"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def connect(self):
        return sqlite3.connect(self.path)

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return {name for (name,) in rows}

    def column_names(self, table: str) -> list[str]:
        return [row[1] for row in self.query(f"PRAGMA table_info({_quote_name(table)})")]

    def legacy_triggers(self) -> set[tuple[str, str]]:
        """(trigger, table) of every trigger left by the old versioning."""
        rows = self.query(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            [LEGACY_PREFIX + "%"],
        )
        return set(rows)

    def legacy_functions(self) -> set[str]:
        return set()  # SQLite triggers have no functions of their own


@dataclass
class PostgresDatabase(_Reader):
    server: "PostgresServer"
    name: str
    label: str
    vendor = "postgresql"

    @property
    def url(self) -> str:
        return self.server.url(self.name)

    def connect(self):
        return self.server.connect(self.name)

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return {name for (name,) in rows}

    def column_names(self, table: str) -> list[str]:
        rows = self.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [name for (name,) in rows]

    def legacy_triggers(self) -> set[tuple[str, str]]:
        rows = self.query(
            "SELECT t.tgname, c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            [LEGACY_PREFIX + "%"],
        )
        return set(rows)

    def legacy_functions(self) -> set[str]:
        rows = self.query(
            "SELECT proname FROM pg_proc WHERE proname LIKE %s", [LEGACY_PREFIX + "%"]
        )
        return {name for (name,) in rows}


@dataclass
class PostgresServer:
    """The server of the suite's PostgreSQL database, with the suite's credentials."""

    host: str
    port: str
    user: str
    password: str
    created: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        credentials = quote(self.user, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        port = f":{self.port}" if self.port else ""
        return f"postgres://{credentials}@{self.host}{port}/{quote(name, safe='')}"

    def connect(self, name: str):
        import psycopg

        return psycopg.connect(
            host=self.host or None,
            port=self.port or None,
            user=self.user,
            password=self.password or None,
            dbname=name,
            autocommit=True,
        )

    def create(self, name: str, template: str | None = None) -> None:
        sql = f"CREATE DATABASE {_quote_name(name)}"
        if template:
            # Waits a few seconds for sessions of subprocesses that just exited to go away.
            sql += f" TEMPLATE {_quote_name(template)}"
        with self.connect("postgres") as admin:
            admin.execute(sql)
        self.created.append(name)

    def drop_created(self) -> None:
        with self.connect("postgres") as admin:
            for name in reversed(self.created):
                admin.execute(f"DROP DATABASE IF EXISTS {_quote_name(name)} WITH (FORCE)")
        self.created.clear()


class Databases:
    """Creates throwaway databases of the suite's vendor; `close()` removes them."""

    def __init__(self, vendor: str, settings_dict: dict, folder: Path):
        self.vendor = vendor
        self.folder = folder
        self.prefix = f"migr_from_main_{os.getpid()}_{secrets.token_hex(3)}"
        self.server = None
        if vendor == "postgresql":
            self.server = PostgresServer(
                host=settings_dict.get("HOST") or "",
                port=str(settings_dict.get("PORT") or ""),
                user=settings_dict.get("USER") or "",
                password=settings_dict.get("PASSWORD") or "",
            )
        elif vendor != "sqlite":
            pytest.fail(f"The migration test knows SQLite and PostgreSQL, not {vendor!r}")

    def empty(self, label: str):
        if self.server is not None:
            name = f"{self.prefix}_{label}"
            self.server.create(name)
            return PostgresDatabase(self.server, name, label)
        return SqliteDatabase(self.folder / f"{label}.sqlite3", label)

    def clone(self, source, label: str):
        """A copy of `source` (which nobody must be writing to) under a new name."""
        if self.server is not None:
            name = f"{self.prefix}_{label}"
            self.server.create(name, template=source.name)
            return PostgresDatabase(self.server, name, label)
        copy = SqliteDatabase(self.folder / f"{label}.sqlite3", label)
        # The backup API copies committed pages, whatever is still in a -wal file.
        with (
            contextlib.closing(sqlite3.connect(source.path)) as src,
            contextlib.closing(sqlite3.connect(copy.path)) as dst,
        ):
            src.backup(dst)
        return copy

    def close(self) -> None:
        if self.server is not None:
            self.server.drop_created()


# What a database holds --------------------------------------------------------------------


def snapshot(database, tables=None, columns_of=None) -> dict[str, list[tuple]]:
    """Every row of `tables` (default: all), sorted, reading the columns `columns_of[table]`
    (default: the table's own)."""
    found = {}
    with database.reading():
        for table in sorted(tables if tables is not None else database.table_names()):
            columns = (columns_of or {}).get(table) or database.column_names(table)
            select = ", ".join(_quote_name(column) for column in columns)
            rows = database.query(f"SELECT {select} FROM {_quote_name(table)}")
            found[table] = sorted(rows, key=repr)
    return found
