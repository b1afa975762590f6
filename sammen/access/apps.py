from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sammen.access"
    label = "access"
    verbose_name = "Access"
