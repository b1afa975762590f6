from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "sammen.insights"
    label = "insights"
    verbose_name = "Leaders' insights"
