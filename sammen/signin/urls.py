"""One pair of addresses per identity provider: `<name>_begin` sends the browser to the
provider, `<name>_callback` is the redirect URI registered there. An unconfigured provider's
addresses answer 404. (ID-porten for parents: add `idporten_begin`/`idporten_callback` here.)"""

from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("logg-inn/kommune/", views.begin, {"provider": "staff"}, name="staff_begin"),
    path("logg-inn/kommune/tilbake/", views.callback, {"provider": "staff"}, name="staff_callback"),
]
