"""Which version of a unit's or a case's data a page was computed from.

Pages that keep what they computed (the dashboard's figures, a case overview) key it on a
version token: a random number per service unit (`UnitVersion`) and per case (`CaseVersion`)
that database triggers replace whenever a row of that unit's or case's data is inserted, changed
or deleted, however it is written: `save()`, `bulk_create()`, `QuerySet.update()`, raw SQL or the
admin. What is kept under a token is therefore exact for as long as the token stands.

The triggers are generated from the models of `WATCHED_APPS`. A row finds its case by following
foreign keys to `cases.ChildCase`, and its unit through its case where it has one, else by the
shortest path to `org.ServiceUnit` (a user's, a section's, a visit flat's own unit); keys to
users are never followed (a caseworker's or a recorder's unit is not the row's). A row with no
path, or whose path ends in an empty key, renews the level's epoch (row 0), which every key
holds as well. The triggers are (re)installed after every `migrate`, and every token renewed,
so new tables and SQLite's table rebuilds never leave a table unwatched;
`tests/core/test_versioning.py` checks every watched table has its triggers.

The SQL is built from the models' table and column names only, never from input. Tokens are
random rather than counters: a rolled-back transaction (every test) never leaves a token that a
later, different state of the data could take again.
"""

from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connection as default_connection
from django.db import models, transaction

WATCHED_APPS = ("org", "cases", "followup", "visits", "timelog", "access")
# The project's other apps with tables, and why no kept page depends on them. A new app must be
# added to one list or the other (tests/core/test_versioning.py).
UNWATCHED_APPS = {
    "core": "the version tables themselves",
    "audit": "the audit log: appended by every view, shown by no kept page",
    "insights": "the cost rates: shown only on the cost page, which is not kept",
}
# Tables no page shows: permissions, the calendar feed's secret tokens.
IGNORED_TABLES = {"org_user_groups", "org_user_user_permissions", "visits_calendartoken"}
# Columns no page shows: a login must not throw kept pages away.
UNSEEN_COLUMNS = {"org_user": {"last_login", "password"}}
TRIGGER = "sammen_data_version"
# The key of each level's epoch row: renewed by a write no single unit or case owns (a user's
# name, a placement place, a lookup table) and by TRUNCATE. Every kept page's key holds it.
EPOCH = 0
_TOKEN = {"sqlite": "random()", "postgresql": "(random() * 9000000000000000000)::bigint"}


@dataclass(frozen=True)
class Level:
    version_table: str
    key_column: str
    target: str  # the table whose rows are versioned
    hubs: tuple[str, ...]  # tables a row's path goes through, in order of preference


UNIT = Level(
    "core_unitversion", "unit_id", "org_serviceunit", ("cases_childcase", "org_serviceunit")
)
CASE = Level("core_caseversion", "case_id", "cases_childcase", ("cases_childcase",))
LEVELS = (UNIT, CASE)


def watched_models(apps) -> list[type[models.Model]]:
    found = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.db_table not in IGNORED_TABLES and not model._meta.proxy:
                found.append(model)
    return found


def _path_to(model, hub: str) -> list | None:
    """The foreign keys of a shortest path from `model` to the table `hub`, not through users."""
    queue = deque([(model, [])])
    seen = {model._meta.db_table, "org_user"}
    while queue:
        current, path = queue.popleft()
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            table = field.related_model._meta.db_table
            if table == hub:
                return [*path, field]
            if table not in seen:
                seen.add(table)
                queue.append((field.related_model, [*path, field]))
    return None


def path(model, level: Level) -> list | None:
    """The foreign keys from `model` to the row of `level.target` it belongs to; [] for that
    table itself, None when there is no path."""
    table = model._meta.db_table
    if table == level.target:
        return []
    for hub in level.hubs:
        found = None if hub == table else _path_to(model, hub)
        if found is not None:
            rest = path(found[-1].related_model, level)
            return None if rest is None else found + rest
    return None


def key_expression(model, level: Level, row: str) -> str | None:
    """SQL giving the key (unit or case id) of `row` (NEW or OLD), or None (no path)."""
    fields = path(model, level)
    if fields is None:
        return None
    if not fields:
        return f"{row}.{model._meta.pk.column}"
    value = f"{row}.{fields[0].column}"
    for previous, field in zip(fields, fields[1:], strict=False):
        table, key = field.model._meta.db_table, previous.target_field.column
        value = f"(SELECT {field.column} FROM {table} WHERE {key} = {value})"  # noqa: S608
    return value


def _upsert(level: Level, keys_sql: str, token: str) -> str:
    """SQL giving the keys `keys_sql` selects (as `version_key`) a new token each, in key order
    (two writers renewing the same two keys take their row locks in the same order)."""
    return (
        f"INSERT INTO {level.version_table} ({level.key_column}, token) "  # noqa: S608
        f"SELECT version_key, {token} FROM ({keys_sql}) AS keyed "
        f"WHERE version_key IS NOT NULL ORDER BY version_key "
        f"ON CONFLICT ({level.key_column}) DO UPDATE SET token = excluded.token;"
    )


def _renew(level: Level, expressions: list[str | None], token: str) -> str:
    """SQL renewing the token of the unit or case of each row (OLD and/or NEW). A row with none
    to be found (no path, an empty key, a parent deleted first in a cascade) renews the level's
    epoch, which every key holds too: one row to change instead of every row of the level."""
    if None in expressions:
        return _upsert(level, f"SELECT {EPOCH} AS version_key", token)
    # Not "found" for the column: PL/pgSQL has a variable of that name.
    keys = " UNION ".join(f"SELECT {e} AS version_key" for e in expressions)
    missing = " OR ".join(f"({e}) IS NULL" for e in expressions)
    epoch = f"SELECT {EPOCH} AS version_key WHERE {missing}"
    return _upsert(level, keys, token) + " " + _upsert(level, epoch, token)


def _body(model, rows: list[str], token: str) -> str:
    return " ".join(
        _renew(lv, [key_expression(model, lv, row) for row in rows], token) for lv in LEVELS
    )


def _update_of(model) -> str:
    """`UPDATE` or `UPDATE OF <the columns a page may show>`."""
    unseen = UNSEEN_COLUMNS.get(model._meta.db_table)
    if not unseen:
        return "UPDATE"
    columns = [f.column for f in model._meta.concrete_fields if f.column not in unseen]
    return "UPDATE OF " + ", ".join(columns)


def _sqlite_statements(model) -> list[str]:
    table, token = model._meta.db_table, _TOKEN["sqlite"]
    statements = []
    events = (("INSERT", ["NEW"]), (_update_of(model), ["OLD", "NEW"]), ("DELETE", ["OLD"]))
    for event, rows in events:
        name = f"{TRIGGER}_{event.split()[0].lower()}_{table}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name};",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
            f"BEGIN {_body(model, rows, token)} END;",
        ]
    return statements


def _postgresql_statements(model) -> list[str]:
    table, token = model._meta.db_table, _TOKEN["postgresql"]
    function = f"{TRIGGER}_{table}"
    epochs = " ".join(_renew(lv, [None], token) for lv in LEVELS)
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'TRUNCATE' THEN {epochs} "
        f"ELSIF TG_OP = 'INSERT' THEN {_body(model, ['NEW'], token)} "
        f"ELSIF TG_OP = 'UPDATE' THEN {_body(model, ['OLD', 'NEW'], token)} "
        f"ELSE {_body(model, ['OLD'], token)} END IF; "
        f"RETURN NULL; END $$;",
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table};",
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR {_update_of(model)} OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();",
        # TRUNCATE fires no row trigger: renew the epochs once for the statement.
        f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {table};",
        f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
    ]


def _drop_statements(model, vendor: str) -> list[str]:
    table = model._meta.db_table
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER}{e} ON {table};" for e in ("", "_truncate")]
    return [
        f"DROP TRIGGER IF EXISTS {TRIGGER}_{e}_{table};" for e in ("insert", "update", "delete")
    ]


def install_triggers(apps=global_apps, connection=default_connection) -> None:
    """(Re)create the triggers of every watched table, then renew every token: a write made
    while they were being replaced (or while a migration had dropped them) is not missed.
    Idempotent; skipped on a database without the version tables or with a watched table
    missing (a partial migrate)."""
    build = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}.get(
        connection.vendor
    )
    tables = set(connection.introspection.table_names())
    models_ = watched_models(apps)
    needed = {lv.version_table for lv in LEVELS} | {m._meta.db_table for m in models_}
    if build is None or not needed <= tables:
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for model in models_:
            for statement in build(model):
                cursor.execute(statement)
        renew_every_token(connection)


def renew_every_token(connection=default_connection) -> None:
    """Give every unit and case, and each level's epoch, a new token: after a bulk load or a
    migrate, or to drop everything kept."""
    token = _TOKEN[connection.vendor]
    with connection.cursor() as cursor:
        for level in LEVELS:
            keys = f"SELECT id AS version_key FROM {level.target} UNION SELECT {EPOCH}"  # noqa: S608
            cursor.execute(_upsert(level, keys, token))


@contextmanager
def suspended(apps=global_apps, connection=default_connection):
    """A bulk load without a trigger call per row (the benchmark's millions of rows): the
    triggers are dropped, then installed again, and every token is renewed."""
    with connection.cursor() as cursor:
        for model in watched_models(apps):
            for statement in _drop_statements(model, connection.vendor):
                cursor.execute(statement)
    try:
        yield
    finally:
        install_triggers(apps, connection)


def unit_tokens(unit_ids) -> dict[int, int]:
    """The tokens of these units (and of `EPOCH`, if asked for)."""
    from .models import UnitVersion

    return dict(UnitVersion.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "token"))


def case_tokens(case_ids) -> dict[int, int]:
    """The tokens of these cases (and of `EPOCH`, if asked for)."""
    from .models import CaseVersion

    return dict(CaseVersion.objects.filter(case_id__in=case_ids).values_list("case_id", "token"))
