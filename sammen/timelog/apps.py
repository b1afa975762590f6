from django.apps import AppConfig


class TimelogConfig(AppConfig):
    name = "sammen.timelog"
    label = "timelog"
    verbose_name = "Time and travel log"
