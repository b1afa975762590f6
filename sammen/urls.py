from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sammen.core.forms import SignInForm

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
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("sammen.core.urls")),
    path("", include("sammen.cases.urls")),
    path("", include("sammen.followup.urls")),
    path("", include("sammen.visits.urls")),
    path("", include("sammen.timelog.urls")),
    path("", include("sammen.insights.urls")),
]
