from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sammen.core.forms import SignInForm
from sammen.core.health import health
from sammen.signin.views import SignOutView

urlpatterns = [
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # Signing out also ends the identity provider's session (sammen.signin).
    path("logg-ut/", SignOutView.as_view(), name="logout"),
    path("", include("sammen.signin.urls")),
    # For the load balancer: 200 or 503, no sign-in (sammen/core/health.py).
    path("helse/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("sammen.core.urls")),
    path("", include("sammen.cases.urls")),
    path("", include("sammen.followup.urls")),
    path("", include("sammen.visits.urls")),
    path("", include("sammen.timelog.urls")),
    path("", include("sammen.insights.urls")),
]
