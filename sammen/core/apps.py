from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_migrate


def _drop_legacy_triggers(sender, using="default", **kwargs):
    """Before any migration runs: see core.legacy."""
    from django.db import connections

    from .legacy import drop_version_triggers

    drop_version_triggers(connections[using])


class CoreConfig(AppConfig):
    name = "sammen.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        pre_migrate.connect(
            _drop_legacy_triggers, sender=self, dispatch_uid="core_drop_legacy_triggers"
        )
        from .session_timeout import start_clock

        user_logged_in.connect(start_clock, dispatch_uid="core_session_start_clock")
