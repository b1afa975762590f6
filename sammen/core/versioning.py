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
path, or whose path ends in an empty key, renews every token of that level. The triggers are
(re)installed after every `migrate`, so new tables and SQLite's table rebuilds never leave a
table unwatched; `tests/core/test_versioning.py` checks every watched table has its triggers.

The SQL is built from the models' table and column names only, never from input. Tokens are
random rather than counters: a rolled-back transaction (every test) never leaves a token that a
later, different state of the data could take again.
"""

from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connection as default_connection
from django.db import models

WATCHED_APPS = ("org", "cases", "followup", "visits", "timelog", "access")
# Tables no page shows: permissions, the calendar feed's secret tokens.
IGNORED_TABLES = {"org_user_groups", "org_user_user_permissions", "visits_calendartoken"}
# Columns no page shows: a login must not throw kept pages away.
UNSEEN_COLUMNS = {"org_user": {"last_login", "password"}}
TRIGGER = "sammen_data_version"
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


def _renew(level: Level, expression: str | None, token: str) -> str:
    """SQL giving the row's unit or case a new token; every one of the level when the row has
    none to be found (no path, an empty key, a parent deleted first in a cascade)."""
    every = f"UPDATE {level.version_table} SET token = {token}"  # noqa: S608
    if expression is None:
        return every + ";"
    return (
        f"INSERT INTO {level.version_table} ({level.key_column}, token) "  # noqa: S608
        # Not "found": PL/pgSQL has a variable of that name.
        f"SELECT version_key, {token} FROM (SELECT {expression} AS version_key) AS keyed "
        f"WHERE version_key IS NOT NULL "
        f"ON CONFLICT ({level.key_column}) DO UPDATE SET token = excluded.token; "
        f"{every} WHERE ({expression}) IS NULL;"
    )


def _body(model, row: str, token: str) -> str:
    return " ".join(_renew(lv, key_expression(model, lv, row), token) for lv in LEVELS)


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
        body = " ".join(_body(model, row, token) for row in rows)
        statements += [
            f"DROP TRIGGER IF EXISTS {name};",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END;",
        ]
    return statements


def _postgresql_statements(model) -> list[str]:
    table, token = model._meta.db_table, _TOKEN["postgresql"]
    function = f"{TRIGGER}_{table}"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_body(model, 'OLD', token)} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_body(model, 'NEW', token)} END IF; "
        f"RETURN NULL; END $$;",
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table};",
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR {_update_of(model)} OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();",
    ]


def _drop_statements(model, vendor: str) -> list[str]:
    table = model._meta.db_table
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table};"]
    return [
        f"DROP TRIGGER IF EXISTS {TRIGGER}_{e}_{table};" for e in ("insert", "update", "delete")
    ]


def install_triggers(apps=global_apps, connection=default_connection) -> None:
    """(Re)create the triggers of every watched table; idempotent. Skipped on a database
    without the version tables or with a watched table missing (a partial migrate)."""
    build = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}.get(
        connection.vendor
    )
    tables = set(connection.introspection.table_names())
    models_ = watched_models(apps)
    needed = {lv.version_table for lv in LEVELS} | {m._meta.db_table for m in models_}
    if build is None or not needed <= tables:
        return
    with connection.cursor() as cursor:
        for model in models_:
            for statement in build(model):
                cursor.execute(statement)


def renew_every_token(connection=default_connection) -> None:
    """Give every unit and case a new token: after a bulk load, or to drop everything kept."""
    token = _TOKEN[connection.vendor]
    with connection.cursor() as cursor:
        for level in LEVELS:
            cursor.execute(
                f"INSERT INTO {level.version_table} ({level.key_column}, token) "  # noqa: S608
                f"SELECT id, {token} FROM {level.target} WHERE true "
                f"ON CONFLICT ({level.key_column}) DO UPDATE SET token = excluded.token"
            )


@contextmanager
def suspended(apps=global_apps, connection=default_connection):
    """A bulk load without a trigger call per row (the benchmark's millions of rows): the
    triggers are dropped, then installed again, and every unit and case gets a new token."""
    with connection.cursor() as cursor:
        for model in watched_models(apps):
            for statement in _drop_statements(model, connection.vendor):
                cursor.execute(statement)
    try:
        yield
    finally:
        install_triggers(apps, connection)
        renew_every_token(connection)


def unit_tokens(unit_ids) -> dict[int, int]:
    from .models import UnitVersion

    return dict(UnitVersion.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "token"))


def case_tokens(case_ids) -> dict[int, int]:
    from .models import CaseVersion

    return dict(CaseVersion.objects.filter(case_id__in=case_ids).values_list("case_id", "token"))
