from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_version_triggers(sender, using="default", apps=None, **kwargs):
    """After every migrate, from the models as they are then (see core.versioning)."""
    from django.db import connections

    from . import versioning

    if apps is not None:
        versioning.install_triggers(apps, connections[using])


class CoreConfig(AppConfig):
    name = "sammen.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        post_migrate.connect(
            _install_version_triggers, sender=self, dispatch_uid="core_version_triggers"
        )
