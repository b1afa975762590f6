"""Upgrading a database of the last release with the data-version triggers (commit 97a37c7).

That release installed triggers `sammen_data_version*` on most tables and kept tokens in
core_unitversion and core_caseversion. `core.0002` removes them, and `CoreConfig` drops the
triggers before every migrate too (sammen/core/legacy.py), because SQLite's table rebuild fails
while triggers of other tables name the rebuilt table. These tests build such a database with
97a37c7's own code (`migrate`, then `load_demo`), then migrate it with the current code, in
subprocesses, on throwaway databases of the suite's vendor (see migration_support.py).
"""

import inspect
import re
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from sammen.cases.models import ChildCase

from .migration_support import (
    PROJECT_ROOT,
    VERSION_TABLES,
    Databases,
    copy_working_tree,
    export_commit,
    manage,
    run_python,
    snapshot,
)

OLD_COMMIT = "97a37c7"
# Tables whose rows no upgrade keeps: the removed version tables, and the migration records.
NOT_COMPARED = VERSION_TABLES | {"django_migrations"}
# Tables Django fills for every model: a later model adds rows, the old rows must all stay.
GROWING = {"auth_permission", "django_content_type"}
PROBE_FIELD = "upgrade_probe"
PROBE_DEFAULT = 7


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    found = Databases(
        connection.vendor, connection.settings_dict, tmp_path_factory.mktemp("databases")
    )
    yield found
    found.close()


@pytest.fixture(scope="module")
def old_database(databases, tmp_path_factory):
    """A database at 97a37c7's schema with its demo data, built by 97a37c7's code. Tests
    clone it; nobody writes to it."""
    tree = export_commit(OLD_COMMIT, tmp_path_factory.mktemp("old_tree"))
    database = databases.empty("old")
    # The slow part of the file (mostly the demo load): 10-20 s on SQLite, 15-30 s on PostgreSQL.
    manage(tree, database, "migrate", "--noinput")
    manage(tree, database, "load_demo")
    return database


@pytest.fixture(scope="module")
def legacy_state(old_database):
    """What the old database holds, read before anything is upgraded."""
    tables = old_database.table_names()
    compared = tables - NOT_COMPARED
    return {
        "tables": tables,
        "triggers": old_database.legacy_triggers(),
        "columns": {table: old_database.column_names(table) for table in compared},
        "rows": snapshot(old_database, compared),
        "references": case_references(old_database),
    }


@pytest.fixture(scope="module")
def upgraded_database(databases, old_database):
    """A copy of the old database after the current code's `migrate`."""
    database = databases.clone(old_database, "upgraded")
    assert_legacy_present(database)
    manage(PROJECT_ROOT, database, "migrate", "--noinput")
    return database


@pytest.fixture(scope="module")
def probe_tree(tmp_path_factory):
    """The current code plus what `makemigrations` would write after a non-null field with a
    default is added to ChildCase: a cases migration depending only on the latest cases
    migration (so an old database's plan runs it before core.0002)."""
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("cases")
    assert len(leaves) == 1, f"cases has more than one latest migration: {leaves}"
    (_, latest) = leaves[0]
    number = re.match(r"\d*", latest).group()
    name = f"{int(number or 0) + 1:04d}_childcase_{PROBE_FIELD}"

    tree = copy_working_tree(tmp_path_factory.mktemp("probe_tree"))
    migrations_dir = tree / "sammen" / "cases" / "migrations"
    (migrations_dir / f"{name}.py").write_text(
        "from django.db import migrations, models\n"
        "\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('cases', '{latest}')]\n"
        "\n"
        "    operations = [\n"
        "        migrations.AddField(\n"
        "            model_name='childcase',\n"
        f"            name='{PROBE_FIELD}',\n"
        f"            field=models.PositiveSmallIntegerField(default={PROBE_DEFAULT}),\n"
        "        ),\n"
        "    ]\n"
    )
    # The same field on the model, so the copy's code and schema agree.
    model_file = tree / Path(inspect.getsourcefile(ChildCase)).relative_to(PROJECT_ROOT)
    with model_file.open("a") as out:
        out.write(
            "\n\nfrom django.db import models as probe_models\n\n"
            "ChildCase.add_to_class(\n"
            f"    {PROBE_FIELD!r}, probe_models.PositiveSmallIntegerField(default={PROBE_DEFAULT})\n"
            ")\n"
        )
    return tree, f"cases.{name}"


# Checks --------------------------------------------------------------------------------------


def assert_legacy_present(database):
    """The database really has what the upgrade must remove (else the tests prove nothing)."""
    tables = database.table_names()
    assert tables >= VERSION_TABLES, f"version tables missing: {VERSION_TABLES - tables}"
    triggered = {table for _, table in database.legacy_triggers()}
    # Among others: the case table itself and tables whose triggers name it in their bodies.
    assert {"cases_childcase", "cases_person", "org_serviceunit"} <= triggered, triggered
    if database.vendor == "postgresql":
        assert database.legacy_functions(), "no sammen_data_version* trigger function"
    for table in VERSION_TABLES:
        assert database.query(f"SELECT COUNT(*) FROM {table}")[0][0] > 0, f"{table} is empty"


def assert_legacy_gone(database):
    assert database.legacy_triggers() == set()
    assert database.legacy_functions() == set()
    assert not VERSION_TABLES & database.table_names()


def assert_data_intact(database, legacy_state, columns_of=None):
    """Every table of the old database (but the removed ones and django_migrations) is there
    with the same rows, read through the old columns (later migrations may add columns)."""
    columns_of = columns_of or legacy_state["columns"]
    compared = legacy_state["tables"] - NOT_COMPARED
    missing = compared - database.table_names()
    assert not missing, f"tables lost in the upgrade: {sorted(missing)}"
    before = legacy_state["rows"]
    after = snapshot(database, compared, columns_of)
    counts_before = {table: len(rows) for table, rows in before.items() if table not in GROWING}
    counts_after = {table: len(rows) for table, rows in after.items() if table not in GROWING}
    assert counts_after == counts_before
    changed = sorted(
        table for table in compared - GROWING if after[table] != before[table]
    ) + sorted(table for table in GROWING & compared if not set(before[table]) <= set(after[table]))
    assert not changed, f"rows changed in {changed}"


def case_references(database) -> set[str]:
    return {ref for (ref,) in database.query("SELECT reference FROM cases_childcase")}


def planned_migrations(tree, database) -> list[str]:
    """The migrations `migrate` would apply, in order (`--plan` changes nothing)."""
    output = manage(tree, database, "migrate", "--plan").stdout
    return [line.strip() for line in output.splitlines() if re.match(r"^\w+\.\d{4}_\w+$", line)]


# Tests ---------------------------------------------------------------------------------------


def test_the_old_release_left_triggers_version_tables_and_demo_data(old_database, legacy_state):
    assert_legacy_present(old_database)
    assert len(legacy_state["triggers"]) >= 20, legacy_state["triggers"]
    assert legacy_state["references"], "the demo loaded no cases"
    assert legacy_state["rows"]["org_user"], "the demo loaded no users"


def test_migrate_removes_triggers_and_version_tables_and_keeps_the_data(
    upgraded_database, legacy_state
):
    assert_legacy_gone(upgraded_database)
    assert_data_intact(upgraded_database, legacy_state)
    assert case_references(upgraded_database) == legacy_state["references"]
    # Nothing left to do: a second migrate finds every migration applied.
    assert planned_migrations(PROJECT_ROOT, upgraded_database) == []


def test_old_database_takes_a_new_childcase_field_in_one_migrate(
    databases, old_database, legacy_state, probe_tree
):
    tree, probe = probe_tree
    database = databases.clone(old_database, "old_to_probe")
    plan = planned_migrations(tree, database)
    assert_legacy_present(database)
    assert probe in plan and "core.0002_drop_data_versions" in plan, plan
    # The hazard: the rebuild of cases_childcase is planned while the triggers still stand.
    assert plan.index(probe) < plan.index("core.0002_drop_data_versions"), plan
    if database.vendor == "sqlite":
        assert_rebuild_fails_without_the_pre_migrate_drop(databases, old_database, tree)

    manage(tree, database, "migrate", "--noinput")

    assert_legacy_gone(database)
    assert_probe_field(database, legacy_state)
    # The copy's models read the new column.
    shell = manage(
        tree,
        database,
        "shell",
        "-c",
        "from sammen.cases.models import ChildCase;"
        f"print(ChildCase.objects.filter({PROBE_FIELD}={PROBE_DEFAULT}).count())",
    )
    assert shell.stdout.split()[-1] == str(len(legacy_state["rows"]["cases_childcase"]))


def test_upgraded_database_takes_a_new_childcase_field(
    databases, upgraded_database, legacy_state, probe_tree
):
    tree, probe = probe_tree
    database = databases.clone(upgraded_database, "upgraded_to_probe")
    assert planned_migrations(tree, database) == [probe]

    manage(tree, database, "migrate", "--noinput")

    assert_legacy_gone(database)
    assert_probe_field(database, legacy_state)


# Helpers of the tests ----------------------------------------------------------------------


def assert_probe_field(database, legacy_state):
    columns = database.column_names("cases_childcase")
    assert PROBE_FIELD in columns, columns
    assert_data_intact(database, legacy_state, legacy_state["columns"])
    assert case_references(database) == legacy_state["references"]
    values = database.query(f"SELECT {PROBE_FIELD} FROM cases_childcase")
    assert values and {value for (value,) in values} == {PROBE_DEFAULT}


def assert_rebuild_fails_without_the_pre_migrate_drop(databases, old_database, tree):
    """Control: with CoreConfig's pre_migrate handler disconnected, the same one-run migrate
    of the old database fails on SQLite, so the test above exercises the real hazard."""
    database = databases.clone(old_database, "old_to_probe_unprotected")
    script = (
        "import os, sys, django\n"
        "from django.apps import apps\n"
        "from django.core.management import call_command\n"
        "from django.db.models.signals import pre_migrate\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sammen.settings')\n"
        "django.setup()\n"
        "if not pre_migrate.disconnect(\n"
        "    sender=apps.get_app_config('core'), dispatch_uid='core_drop_legacy_triggers'\n"
        "):\n"
        "    print('HANDLER NOT FOUND'); sys.exit(3)\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
    )
    done = run_python(tree, database, "-c", script, check=False)
    assert done.returncode != 3, (
        "the control could not find CoreConfig's pre_migrate handler "
        "(dispatch_uid 'core_drop_legacy_triggers'); update the test with sammen/core/apps.py"
    )
    assert done.returncode != 0, "the rebuild succeeded even with the old triggers in place"
    assert "no such table: main.cases_childcase" in done.stderr, done.stderr
