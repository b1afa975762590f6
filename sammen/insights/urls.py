from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("styring/", views.dashboard_view, name="dashboard"),
    path("styring/styringstall.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("styring/styringstall.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("styring/tall/<slug:figure>/", views.drilldown_view, name="drilldown"),
    path("styring/tall/<slug:figure>/<slug:row>/", views.drilldown_view, name="drilldown_row"),
    path("styring/kostnader/", views.cost_view, name="costs"),
    path("styring/kostnader/satser/", views.rates_view, name="rates"),
]
