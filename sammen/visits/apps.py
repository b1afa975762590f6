from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "sammen.visits"
    label = "visits"
    verbose_name = "Visits"
