from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "sammen.signin"
    label = "signin"
    verbose_name = "Sign-in"

    def ready(self):
        from . import events

        events.connect()
