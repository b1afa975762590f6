"""Clearing away the data-version triggers that earlier releases installed.

Releases up to the end of November 2026 kept pages under version tokens renewed by database
triggers on most tables (`sammen_data_version*`). Those triggers name other tables in their
bodies, so SQLite's table rebuild in an ordinary later migration fails while they exist. They
are dropped by `core.0002` and, because a later migration of another app may be planned before
`core.0002` on an existing database, also before every `migrate` (`CoreConfig.ready`). Both are
no-ops on a database that never had them. Remove the signal once every installation has run
`core.0002`.
"""

PREFIX = "sammen_data_version"


def drop_version_triggers(connection) -> int:
    """Drop every trigger (and, on PostgreSQL, trigger function) left by the old versioning.
    Returns how many triggers were dropped."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [PREFIX + "%"],
            )
            names = [row[0] for row in cursor.fetchall()]
            for name in names:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            return len(names)
        if vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE %s "
                "AND n.nspname = current_schema()",
                [PREFIX + "%"],
            )
            triggers = cursor.fetchall()
            for name, table in triggers:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            cursor.execute(
                "SELECT p.proname FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE p.proname LIKE %s AND n.nspname = current_schema()",
                [PREFIX + "%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP FUNCTION IF EXISTS "{name}"()')
            return len(triggers)
    return 0
