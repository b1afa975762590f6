from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sammen.cases"
    label = "cases"
    verbose_name = "Cases"
