from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "sammen.org"
    label = "org"
    verbose_name = "Organisation"
