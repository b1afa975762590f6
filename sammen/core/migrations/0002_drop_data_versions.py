"""Removes the data-version triggers and tables (see sammen/core/legacy.py)."""

from django.db import migrations


def drop_triggers(apps, schema_editor):
    from sammen.core.legacy import drop_version_triggers

    drop_version_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_data_versions")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="CaseVersion"),
        migrations.DeleteModel(name="UnitVersion"),
    ]
