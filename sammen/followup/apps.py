from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "sammen.followup"
    label = "followup"
    verbose_name = "Follow-up of parents"

    def ready(self):
        from sammen.cases.signals import decisions_changed

        from . import services

        def follow(sender, *, case, user, request=None, **kwargs):
            services.aftercare_follow_decisions(case=case, user=user, request=request)

        decisions_changed.connect(follow, weak=False, dispatch_uid="followup.aftercare")
