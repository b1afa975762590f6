# ruff: noqa: F811 — the fixtures imported from tests.visits.conftest are the tests' arguments
"""Tribunal decisions and visitation rulings are legal records: only the case's caseworker and
its section leader register and change them, and a change of a ruling is a new version with a
reason, every earlier version kept unchanged."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sammen.access.models import AccessGrant
from sammen.access.policy import can_register_legal_records
from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases import services
from sammen.cases.models import Person, TribunalDecision, VisitationRuling
from sammen.cases.models.decisions import (
    CARRIED_OVER_REASON,
    ImmutableRecordError,
    VisitationRulingVersion,
)
from sammen.core.models import ConcurrentEditError
from tests.visits.conftest import _english, decision, mother  # noqa: F401 — shared fixtures

pytestmark = pytest.mark.django_db


def register(people, case, decision, visitor, **terms):
    values = {
        "visits": 1,
        "period_length": 2,
        "period_unit": "month",
        "min_hours": 2,
        "supervision": "supervised",
        **terms,
    }
    ruling = VisitationRuling(decision=decision, visitor=visitor, **values)
    return services.ruling_save(
        user=people["kari"], case=case, ruling=ruling, expected_version=None
    )


@pytest.fixture
def ruling(people, case_a, decision, mother):
    return register(people, case_a, decision, mother)


def form_data(ruling, **changes):
    return {
        "visitor": ruling.visitor_id,
        "visits": ruling.visits,
        "period_length": ruling.period_length,
        "period_unit": ruling.period_unit,
        "min_hours": ruling.min_hours,
        "supervision": ruling.supervision,
        "conditions": ruling.conditions,
        "details_delegated": "on" if ruling.details_delegated else "",
        "expected_version": ruling.version,
        **changes,
    }


def client_for(client, user):
    client.force_login(user)
    return client


# --- Who may -------------------------------------------------------------------------------


def test_the_policy_lets_only_the_caseworker_and_the_section_leader_keep_legal_records(
    people, case_a, case_b
):
    assert can_register_legal_records(people["kari"], case_a)
    assert can_register_legal_records(people["siri"], case_a)
    for who in ("ola", "per", "pia", "adam", "cato", "sven"):
        assert not can_register_legal_records(people[who], case_a), who
    # Another section's leader and caseworker keep case_b's.
    assert can_register_legal_records(people["sven"], case_b)
    assert can_register_legal_records(people["cato"], case_b)
    assert not can_register_legal_records(people["siri"], case_b)


def test_a_counsellor_with_a_grant_that_may_edit_is_still_refused(client, people, case_b):
    """per has no team role on case_b; a grant that may edit opens its other write pages."""
    AccessGrant.objects.create(
        case=case_b,
        user=people["per"],
        granted_by=people["sven"],
        reason="Dekker ferie for Cato",
        can_edit=True,
        valid_until=timezone.now() + timedelta(days=7),
    )
    decision = TribunalDecision.objects.create(
        case=case_b, decided_on=date(2025, 3, 12), kind="care_order"
    )
    per = client_for(client, people["per"])
    assert per.get(reverse("cases:person_add", args=[case_b.pk])).status_code == 200
    assert per.get(reverse("cases:decision_add", args=[case_b.pk])).status_code == 403
    assert per.get(reverse("cases:decision_edit", args=[case_b.pk, decision.pk])).status_code == 403
    assert per.get(reverse("cases:ruling_add", args=[case_b.pk, decision.pk])).status_code == 403


def test_the_counsellor_on_the_team_cannot_lower_the_ruling(client, people, case_a, ruling):
    """The finding of issue 11: ola lowered the ruling to 1 visit per 6 months."""
    ola = client_for(client, people["ola"])
    url = reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk])
    assert ola.get(url).status_code == 403
    response = ola.post(url, form_data(ruling, period_length=6, reason="Mindre samvær"))
    assert response.status_code == 403
    ruling.refresh_from_db()
    assert (ruling.period_length, ruling.number) == (2, 1)
    assert ruling.versions.count() == 1
    denied = AuditEvent.objects.filter(
        case_id=case_a.pk, user=people["ola"], action=AuditAction.DENIED
    )
    assert denied.count() == 2


@pytest.mark.parametrize("who", ["kari", "siri"])
def test_the_caseworker_and_the_section_leader_may_change_the_ruling(
    client, people, case_a, ruling, who
):
    keeper = client_for(client, people[who])
    url = reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk])
    assert keeper.get(url).status_code == 200
    response = keeper.post(
        url, form_data(ruling, visits=2, reason="Ny kjennelse fra nemnda 12.03.2026")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ruling.refresh_from_db()
    assert (ruling.visits, ruling.number) == (2, 2)
    newest = ruling.versions.get(number=2)
    assert newest.made_by == people[who]
    assert newest.reason == "Ny kjennelse fra nemnda 12.03.2026"


def test_the_overview_offers_the_legal_record_links_only_to_their_keepers(
    client, people, case_a, ruling
):
    edit = reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk])
    add = reverse("cases:decision_add", args=[case_a.pk])
    history = reverse("cases:ruling_history", args=[case_a.pk, ruling.pk])
    overview = reverse("cases:overview", args=[case_a.pk])
    edit, add, history = (f'href="{url}"' for url in (edit, add, history))
    kari_page = client_for(client, people["kari"]).get(overview).content.decode()
    assert edit in kari_page and add in kari_page and history in kari_page
    ola_page = client_for(client, people["ola"]).get(overview).content.decode()
    assert edit not in ola_page and add not in ola_page
    assert history in ola_page  # everyone who reads the case reads the history


# --- Versions ------------------------------------------------------------------------------


def test_registering_a_ruling_keeps_its_first_version(people, case_a, ruling):
    version = ruling.versions.get()
    assert (version.number, version.visits, version.period_length) == (1, 1, 2)
    assert version.made_by == people["kari"] and version.made_at is not None
    with translation.override("en"):
        assert version.reason_text == "First registration"
    created = AuditEvent.objects.get(
        case_id=case_a.pk, action=AuditAction.CREATE, object_type="cases.VisitationRuling"
    )
    assert created.object_id == str(ruling.pk)


def test_a_change_needs_a_reason(client, people, case_a, ruling):
    kari = client_for(client, people["kari"])
    url = reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk])
    response = kari.post(url, form_data(ruling, visits=3))
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    with pytest.raises(ValidationError):
        ruling.visits = 3
        services.ruling_save(
            user=people["kari"],
            case=case_a,
            ruling=ruling,
            reason=" ",
            expected_version=ruling.version,
        )
    ruling.refresh_from_db()
    assert (ruling.visits, ruling.number, ruling.versions.count()) == (1, 1, 1)


def test_a_change_is_a_new_version_and_the_old_ones_stay_as_they_were(people, case_a, ruling):
    first = ruling.versions.get()
    before = VisitationRulingVersion.objects.filter(pk=first.pk).values().get()
    ruling.period_length, ruling.visits = 6, 1
    services.ruling_save(
        user=people["siri"],
        case=case_a,
        ruling=ruling,
        reason="Registreringsfeil",
        expected_version=ruling.version,
    )
    ruling.min_hours = 3
    services.ruling_save(
        user=people["kari"],
        case=case_a,
        ruling=ruling,
        reason="Ny kjennelse fra nemnda 12.03.2026",
        expected_version=ruling.version,
    )
    assert VisitationRulingVersion.objects.filter(pk=first.pk).values().get() == before
    versions = list(ruling.versions.order_by("number"))
    assert [(v.number, v.period_length, int(v.min_hours)) for v in versions] == [
        (1, 2, 2),
        (2, 6, 2),
        (3, 6, 3),
    ]
    assert [v.made_by for v in versions] == [people["kari"], people["siri"], people["kari"]]
    ruling.refresh_from_db()
    assert ruling.number == 3
    updates = AuditEvent.objects.filter(
        case_id=case_a.pk, action=AuditAction.UPDATE, object_type="cases.VisitationRuling"
    ).order_by("pk")
    assert [e.reason for e in updates] == [
        "version 2: Registreringsfeil",
        "version 3: Ny kjennelse fra nemnda 12.03.2026",
    ]


def test_an_unchanged_ruling_is_not_a_new_version(people, case_a, ruling):
    with pytest.raises(ValidationError):
        services.ruling_save(
            user=people["kari"],
            case=case_a,
            ruling=ruling,
            reason="Ingen endring",
            expected_version=ruling.version,
        )
    assert ruling.versions.count() == 1


def test_a_change_from_a_stale_page_is_refused(people, case_a, ruling):
    opened_at = ruling.version
    first = VisitationRuling.objects.get(pk=ruling.pk)
    first.visits = 2
    services.ruling_save(
        user=people["kari"], case=case_a, ruling=first, reason="A", expected_version=opened_at
    )
    second = VisitationRuling.objects.get(pk=ruling.pk)
    second.visits = 4
    with pytest.raises(ConcurrentEditError):
        services.ruling_save(
            user=people["siri"], case=case_a, ruling=second, reason="B", expected_version=opened_at
        )
    assert list(ruling.versions.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_a_kept_version_cannot_be_changed_or_deleted(ruling):
    version = ruling.versions.get()
    version.visits = 9
    with pytest.raises(ImmutableRecordError):
        version.save()
    with pytest.raises(ImmutableRecordError):
        version.delete()
    with pytest.raises(ImmutableRecordError):
        VisitationRulingVersion.objects.filter(pk=version.pk).update(visits=9)
    assert VisitationRulingVersion.objects.get(pk=version.pk).visits == 1


def test_the_visitor_of_a_ruling_cannot_be_changed(client, people, case_a, ruling):
    father = Person.objects.create(case=case_a, relation="father", first_name="Per", last_name="F")
    kari = client_for(client, people["kari"])
    url = reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk])
    kari.post(url, form_data(ruling, visitor=father.pk, visits=2, reason="Feil person"))
    ruling.refresh_from_db()
    assert ruling.visitor_id != father.pk


# --- The history page ----------------------------------------------------------------------


def test_the_history_page_lists_every_version_with_its_reason(client, people, case_a, ruling):
    ruling.period_length = 6
    services.ruling_save(
        user=people["siri"],
        case=case_a,
        ruling=ruling,
        reason="Ny kjennelse fra nemnda 12.03.2026",
        expected_version=ruling.version,
    )
    url = reverse("cases:ruling_history", args=[case_a.pk, ruling.pk])
    for who in ("ola", "pia"):  # readers of the case, who may not change it
        response = client_for(client, people[who]).get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Ny kjennelse fra nemnda 12.03.2026" in page
        versions = response.context["versions"]
        assert [v.number for v in versions] == [2, 1]
        with translation.override("en"):
            assert versions[1].reason_text == "First registration"
        assert f'href="{reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk])}"' not in page
        assert AuditEvent.objects.filter(
            case_id=case_a.pk, user=people[who], action=AuditAction.VIEW
        ).exists()


def test_the_history_page_of_another_cases_ruling_is_not_found(
    client, people, case_a, case_b, ruling
):
    url = reverse("cases:ruling_history", args=[case_b.pk, ruling.pk])
    assert client_for(client, people["sven"]).get(url).status_code == 404


def test_the_carried_over_reason_is_shown_in_words(ruling):
    version = VisitationRulingVersion(ruling=ruling, number=1, reason=CARRIED_OVER_REASON)
    assert version.reason_text == "Registered before versions were kept"
