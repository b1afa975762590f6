from django.urls import path

from . import views

app_name = "timelog"
urlpatterns = [
    path("timeforing/", views.mine, name="mine"),
    path("timeforing/ny/", views.add, name="add"),
    path("timeforing/<int:pk>/", views.edit, name="edit"),
    path("timeforing/<int:pk>/slett/", views.delete, name="delete"),
]
