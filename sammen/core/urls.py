from django.urls import path

from . import session_timeout, views

app_name = "core"
urlpatterns = [
    path("grunnlinje/", views.floor, name="floor"),
    path("sprak/", views.choose_language, name="language"),
    path("okt/forny/", session_timeout.renew, name="session_renew"),
]
