from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("grunnlinje/", views.floor, name="floor"),
    path("sprak/", views.choose_language, name="language"),
]
