from django.urls import path

from . import views

app_name = "followup"
CASE = "saker/<int:case_pk>/oppfolging"

urlpatterns = [
    path("oppfolging/", views.overview, name="overview"),
    path("oppfolging/min-uke/", views.my_week, name="my_week"),
    path("oppfolging/tilbud/", views.offers, name="offers"),
    path(f"{CASE}/henvis/", views.refer, name="refer"),
    path(f"{CASE}/henvisning/<int:pk>/", views.referral_edit, name="referral_edit"),
    path(f"{CASE}/henvisning/<int:pk>/vurder/", views.referral_decide, name="referral_decide"),
    path(f"{CASE}/henvisning/<int:pk>/tildel/", views.referral_assign, name="referral_assign"),
    path(f"{CASE}/<int:pk>/", views.detail, name="detail"),
    path(f"{CASE}/<int:pk>/avslutt/", views.close, name="close"),
    path(f"{CASE}/<int:pk>/registrer/<slug:step>/", views.step, name="step"),
    path(f"{CASE}/<int:followup_pk>/rapport/ny/", views.report_form, name="report_add"),
    path(f"{CASE}/rapport/<int:pk>/", views.report_detail, name="report"),
    path(f"{CASE}/rapport/<int:pk>/rediger/", views.report_form, name="report_edit"),
    path(f"{CASE}/rapport/<int:pk>/gjennomgang/", views.report_review, name="report_review"),
    path(f"{CASE}/rapport/<int:pk>/godkjenn/", views.report_approve, name="report_approve"),
    path(f"{CASE}/rapport/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path(f"{CASE}/rapport/<int:pk>/slett/", views.report_delete, name="report_delete"),
    path(f"{CASE}/kontakt/<int:pk>/rett/", views.contact_edit, name="contact_edit"),
]
