from django.urls import path

from . import views

app_name = "visits"
CASE = "saker/<int:case_pk>/samvaer"

urlpatterns = [
    path("samvaer/kalender/", views.counsellor_calendar, name="calendar"),
    path("samvaer/kalender/ny-adresse/", views.calendar_token_renew, name="calendar_token_renew"),
    path("kalender/<str:token>.ics", views.ical_feed, name="ical"),
    path("samvaer/leiligheter/", views.flat_list, name="flat_list"),
    path("samvaer/leiligheter/ny/", views.flat_form, name="flat_add"),
    path("samvaer/leiligheter/<int:pk>/", views.flat_calendar, name="flat_calendar"),
    path("samvaer/leiligheter/<int:pk>/rediger/", views.flat_form, name="flat_edit"),
    path(f"{CASE}/plan/ny/", views.plan_form, name="plan_add"),
    path(f"{CASE}/plan/<int:pk>/", views.plan_detail, name="plan"),
    path(f"{CASE}/plan/<int:pk>/ny-versjon/", views.plan_form, name="plan_revise"),
    path(f"{CASE}/plan/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path(f"{CASE}/plan/<int:pk>/planlegg/", views.generate, name="generate"),
    path(f"{CASE}/plan/<int:plan_pk>/samvaer/ny/", views.session_form, name="session_add"),
    path(f"{CASE}/plan/<int:pk>/utgift/ny/", views.expense_add, name="expense_add"),
    path(f"{CASE}/plan/<int:plan_pk>/rapport/ny/", views.report_form, name="report_add"),
    path(f"{CASE}/<int:pk>/", views.session_detail, name="session"),
    path(f"{CASE}/<int:pk>/flytt/", views.session_form, name="session_move"),
    path(f"{CASE}/<int:pk>/registrer/", views.session_record, name="session_record"),
    path(f"{CASE}/<int:pk>/avlys/", views.session_cancel, name="session_cancel"),
    path(f"{CASE}/rapport/<int:pk>/", views.report_detail, name="report"),
    path(f"{CASE}/rapport/<int:pk>/rediger/", views.report_form, name="report_edit"),
    path(f"{CASE}/rapport/<int:pk>/gjennomgang/", views.report_review, name="report_review"),
    path(f"{CASE}/rapport/<int:pk>/godkjenn/", views.report_approve, name="report_approve"),
    path(f"{CASE}/rapport/<int:pk>/slett/", views.report_delete, name="report_delete"),
    path(f"{CASE}/rapport/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
