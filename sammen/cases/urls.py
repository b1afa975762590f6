from django.urls import path

from . import place_views, views

app_name = "cases"

RECORD_PATHS = {
    "person": "personer",
    "placement": "plasseringer",
    "decision": "vedtak",
    "ruling": "samvaersrett",
    "careplan": "omsorgsplaner",
    "actionplan": "tiltaksplaner",
}

urlpatterns = [
    path("", views.home, name="home"),
    path("saker/", views.case_list, name="list"),
    path("saker/ny/", views.case_create, name="create"),
    path("saker/<int:case_pk>/", views.case_overview, name="overview"),
    path("saker/<int:case_pk>/rediger/", views.case_edit, name="edit"),
    path("saker/<int:case_pk>/team/", views.team_edit, name="team"),
    path("saker/<int:case_pk>/tilganger/", views.grants, name="grants"),
    path(
        "saker/<int:case_pk>/tilganger/<int:pk>/trekk-tilbake/",
        views.grant_revoke,
        name="grant_revoke",
    ),
    path("saker/<int:case_pk>/logg/", views.audit_log, name="audit_log"),
    path(
        "saker/<int:case_pk>/vedtak/<int:decision_pk>/samvaersrett/ny/",
        views.record_form,
        {"kind": "ruling"},
        name="ruling_add",
    ),
    path(
        "saker/<int:case_pk>/vedtak/<int:pk>/historikk/",
        views.decision_history,
        name="decision_history",
    ),
    path(
        "saker/<int:case_pk>/samvaersrett/<int:pk>/historikk/",
        views.ruling_history,
        name="ruling_history",
    ),
    path("plasseringssteder/", place_views.place_list, name="place_list"),
    path("plasseringssteder/ny/", place_views.place_form, name="place_add"),
    path("plasseringssteder/<int:pk>/", place_views.place_form, name="place_edit"),
]

for kind, segment in RECORD_PATHS.items():
    if kind != "ruling":
        urlpatterns.append(
            path(
                f"saker/<int:case_pk>/{segment}/ny/",
                views.record_form,
                {"kind": kind},
                name=f"{kind}_add",
            )
        )
    urlpatterns.append(
        path(
            f"saker/<int:case_pk>/{segment}/<int:pk>/",
            views.record_form,
            {"kind": kind},
            name=f"{kind}_edit",
        )
    )
