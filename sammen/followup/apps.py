from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "sammen.followup"
    label = "followup"
    verbose_name = "Follow-up of parents"
