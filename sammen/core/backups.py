"""Whole-database backups and restores for `manage.py backup` / `restore` (`make backup` /
`make restore`; docs/OPERATIONS.md).

- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction`
  (Debian's postgresql-client; the client's major version must be at least the server's).
  Connection settings go to the tools through PG* environment variables, never on the command
  line, where other users of the machine could read the password.
- SQLite: the online backup API of Python's sqlite3 module, page by page from a live database
  (readers and writers may go on meanwhile), and the same API the other way to restore.

A backup holds special-category personal data: the file is created readable by its owner only
(0600), written under a temporary name and renamed when complete, so a failed run never leaves
a half file under the name asked for, and an existing file is never overwritten.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """What went wrong, in words for the operator."""


@dataclass(frozen=True)
class Result:
    path: Path
    vendor: str
    size: int
    tables: int


def default_path(vendor: str, folder: Path, now: datetime) -> Path:
    suffix = "pgdump" if vendor == "postgresql" else "sqlite3"
    return folder / f"sammen-{now:%Y%m%d-%H%M%S}.{suffix}"


def _vendor(connection) -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


# --- Backup -----------------------------------------------------------------------------------


def backup(connection, path: Path) -> Result:
    """Write the whole database of `connection` (a Django connection) to the new file `path`."""
    vendor = _vendor(connection)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already; a backup never overwrites a file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        # Created empty with mode 0600 before a byte of data goes in.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        write = _sqlite_backup if vendor == "sqlite" else _pg_backup
        tables = write(connection, partial)
        try:
            # A link, not a rename: it fails if the file appeared meanwhile (another backup).
            os.link(partial, path)
        except FileExistsError:
            raise BackupError(f"{path} exists already; a backup never overwrites a file.") from None
    finally:
        partial.unlink(missing_ok=True)
    return Result(path=path, vendor=vendor, size=path.stat().st_size, tables=tables)


def _sqlite_backup(connection, target_path: Path) -> int:
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target_path)) as target:
        connection.connection.backup(target)
        return _sqlite_check(target, target_path)


def _sqlite_check(db, path) -> int:
    """The number of tables of a sound SQLite database; a BackupError otherwise."""
    try:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        tables = db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from error
    if verdict != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {verdict}")
    return tables


def _pg_backup(connection, target_path: Path) -> int:
    _run_pg(
        connection,
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", f"--file={target_path}"],
    )
    return _pg_archive_tables(connection, target_path)


# --- Restore ----------------------------------------------------------------------------------


def describe_target(connection) -> str:
    """The database a restore would replace, for the operator's confirmation."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host = settings.get("HOST") or "local socket"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"PostgreSQL database {settings['NAME']!r} on {host}{port}"
    return f"SQLite database {settings['NAME']}"


def check_file(connection, path: Path) -> None:
    """Refuse a file that is not a backup of this database's kind (before anything changes)."""
    vendor = _vendor(connection)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if vendor == "sqlite" and not head.startswith(SQLITE_MAGIC):
        kind = "a PostgreSQL backup" if head.startswith(PGDUMP_MAGIC) else "no SQLite database"
        raise BackupError(f"{path} is {kind}; this installation runs on SQLite.")
    if vendor == "postgresql" and not head.startswith(PGDUMP_MAGIC):
        kind = "a SQLite database" if head.startswith(SQLITE_MAGIC) else "no pg_dump archive"
        raise BackupError(f"{path} is {kind}; this installation runs on PostgreSQL.")


def restore(connection, path: Path) -> Result:
    """Replace the whole database of `connection` with the backup in `path`."""
    check_file(connection, path)
    path = Path(path)
    load = _sqlite_restore if connection.vendor == "sqlite" else _pg_restore
    tables = load(connection, path)
    return Result(path=path, vendor=connection.vendor, size=path.stat().st_size, tables=tables)


def _sqlite_restore(connection, path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as src:
        _sqlite_check(src, path)
        connection.close()
        connection.ensure_connection()
        try:
            src.backup(connection.connection)
            return _sqlite_check(connection.connection, connection.settings_dict["NAME"])
        finally:
            connection.close()


def _pg_restore(connection, path: Path) -> int:
    tables = _pg_archive_tables(connection, path)
    connection.close()  # our own session must not hold locks on what is dropped
    _run_pg(
        connection,
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
    )
    return tables


# --- PostgreSQL tools -------------------------------------------------------------------------


def _pg_archive_tables(connection, path: Path) -> int:
    """The number of tables whose data the archive holds (pg_restore reads its table of contents:
    a file it cannot read is no backup)."""
    listing = _run_pg(connection, "pg_restore", ["--list", str(path)])
    return sum(1 for line in listing.splitlines() if " TABLE DATA " in line)


def pg_environment(settings_dict) -> dict[str, str]:
    """PG* variables for the PostgreSQL tools from Django's settings for the database."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        pairs[variable] = options.get(option)
    for variable, value in pairs.items():
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _run_pg(connection, tool: str, arguments: list[str]) -> str:
    found = shutil.which(tool)
    if not found:
        raise BackupError(
            f"{tool} is not installed. On Debian: apt-get install postgresql-client "
            "(its major version at least the server's)."
        )
    done = subprocess.run(  # noqa: S603 # nosec B603 # a PostgreSQL tool found on PATH, our own arguments
        [found, *arguments],
        env=pg_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} failed ({done.returncode}):\n{done.stderr.strip()}")
    return done.stdout
