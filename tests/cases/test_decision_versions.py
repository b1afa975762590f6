"""A tribunal decision is a legal record: registered and changed only by the case's caseworker and
its section leader, and every change is a new version with its reason, the earlier versions kept
unchanged beside it (issue 11)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases import services
from sammen.cases.models import TribunalDecision, TribunalDecisionVersion
from sammen.cases.models.decisions import CARRIED_OVER_REASON, ImmutableRecordError
from sammen.core.models import ConcurrentEditError

pytestmark = pytest.mark.django_db


def register(people, case, **terms):
    values = {"decided_on": date(2025, 3, 12), "kind": "care_order", "summary": "Omsorg", **terms}
    decision = TribunalDecision(case=case, **values)
    return services.decision_save(
        user=people["kari"], case=case, decision=decision, expected_version=None
    )


@pytest.fixture
def decision(people, case_a):
    return register(people, case_a)


def form_data(decision, **changes):
    return {
        "decided_on": decision.decided_on.isoformat(),
        "kind": decision.kind,
        "legal_basis": decision.legal_basis_id or "",
        "summary": decision.summary,
        "appealed": "on" if decision.appealed else "",
        "expected_version": decision.version,
        **changes,
    }


def client_for(client, user):
    client.force_login(user)
    return client


def change(people, case, decision, who="kari", reason="Anket til tingretten", **terms):
    for name, value in terms.items():
        setattr(decision, name, value)
    return services.decision_save(
        user=people[who],
        case=case,
        decision=decision,
        reason=reason,
        expected_version=decision.version,
    )


# --- Versions ------------------------------------------------------------------------------


def test_registering_a_decision_keeps_its_first_version(people, case_a, decision):
    version = decision.versions.get()
    assert (version.number, version.decided_on, version.kind) == (
        1,
        date(2025, 3, 12),
        "care_order",
    )
    assert version.made_by == people["kari"] and version.made_at is not None
    assert decision.number == 1
    with translation.override("en"):
        assert version.reason_text == "First registration"
    created = AuditEvent.objects.get(
        case_id=case_a.pk, action=AuditAction.CREATE, object_type="cases.TribunalDecision"
    )
    assert (created.object_id, created.reason) == (str(decision.pk), "version 1")


def test_a_change_makes_version_2_with_its_reason(people, case_a, decision):
    first = decision.versions.get()
    before = TribunalDecisionVersion.objects.filter(pk=first.pk).values().get()
    change(people, case_a, decision, who="siri", appealed=True)
    decision.refresh_from_db()
    assert (decision.number, decision.appealed) == (2, True)
    versions = list(decision.versions.order_by("number"))
    assert [(v.number, v.appealed, v.reason) for v in versions] == [
        (1, False, ""),
        (2, True, "Anket til tingretten"),
    ]
    assert versions[1].made_by == people["siri"]
    assert TribunalDecisionVersion.objects.filter(pk=first.pk).values().get() == before
    update = AuditEvent.objects.get(
        case_id=case_a.pk, action=AuditAction.UPDATE, object_type="cases.TribunalDecision"
    )
    assert update.reason == "version 2: Anket til tingretten"


def test_a_change_needs_a_reason(client, people, case_a, decision):
    kari = client_for(client, people["kari"])
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    response = kari.post(url, form_data(decision, appealed="on"))
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Skriv hvorfor vedtaket endres."]
    with pytest.raises(ValidationError):
        change(people, case_a, decision, reason="  ", appealed=True)
    decision.refresh_from_db()
    assert (decision.appealed, decision.number, decision.versions.count()) == (False, 1, 1)


def test_the_reason_is_asked_for_only_when_the_decision_is_changed(client, people, case_a):
    kari = client_for(client, people["kari"])
    page = kari.get(reverse("cases:decision_add", args=[case_a.pk]))
    assert "reason" not in page.context["form"].fields


def test_an_unchanged_decision_is_not_a_new_version(people, case_a, decision):
    with pytest.raises(ValidationError) as refused:
        change(people, case_a, decision, reason="Ingen endring")
    with translation.override("nb"):
        assert refused.value.messages == ["Ingenting i vedtaket ble endret."]
    assert decision.versions.count() == 1


def test_a_change_from_a_stale_page_is_refused(client, people, case_a, decision):
    opened_at = decision.version
    first = TribunalDecision.objects.get(pk=decision.pk)
    first.appealed = True
    services.decision_save(
        user=people["kari"], case=case_a, decision=first, reason="A", expected_version=opened_at
    )
    second = TribunalDecision.objects.get(pk=decision.pk)
    second.summary = "Endret oppsummering"
    with pytest.raises(ConcurrentEditError):
        services.decision_save(
            user=people["siri"],
            case=case_a,
            decision=second,
            reason="B",
            expected_version=opened_at,
        )
    assert list(decision.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    # Through the page: the refusal is shown on the form with what was typed.
    siri = client_for(client, people["siri"])
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    data = form_data(decision, summary="Fra en gammel side", reason="B", expected_version=opened_at)
    response = siri.post(url, data)
    assert response.status_code == 200
    assert "Fra en gammel side" in response.content.decode()
    assert TribunalDecision.objects.get(pk=decision.pk).number == 2


def test_the_decision_of_another_case_is_refused(people, case_a, case_b, decision):
    with pytest.raises(ValidationError):
        services.decision_save(
            user=people["kari"],
            case=case_b,
            decision=decision,
            reason="Feil sak",
            expected_version=decision.version,
        )


def test_a_kept_version_cannot_be_changed_or_deleted(decision):
    version = decision.versions.get()
    version.summary = "Omskrevet"
    with pytest.raises(ImmutableRecordError):
        version.save()
    with pytest.raises(ImmutableRecordError):
        version.delete()
    with pytest.raises(ImmutableRecordError):
        TribunalDecisionVersion.objects.filter(pk=version.pk).update(summary="Omskrevet")
    assert TribunalDecisionVersion.objects.get(pk=version.pk).summary == "Omsorg"


def test_the_carried_over_reason_is_shown_in_words(decision):
    version = TribunalDecisionVersion(decision=decision, number=1, reason=CARRIED_OVER_REASON)
    with translation.override("en"):
        assert version.reason_text == "Registered before versions were kept"


# --- Who may -------------------------------------------------------------------------------


def test_the_counsellor_on_the_team_cannot_change_the_decision(client, people, case_a, decision):
    ola = client_for(client, people["ola"])
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    assert ola.get(url).status_code == 403
    response = ola.post(url, form_data(decision, appealed="on", reason="Anket"))
    assert response.status_code == 403
    decision.refresh_from_db()
    assert (decision.appealed, decision.number, decision.versions.count()) == (False, 1, 1)


@pytest.mark.parametrize("who", ["kari", "siri"])
def test_the_caseworker_and_the_section_leader_change_the_decision_through_the_page(
    client, people, case_a, decision, who
):
    keeper = client_for(client, people[who])
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    assert keeper.get(url).status_code == 200
    response = keeper.post(url, form_data(decision, appealed="on", reason="Anket 03.12.2026"))
    assert response.status_code == 302, response.content.decode()[:2000]
    decision.refresh_from_db()
    assert (decision.appealed, decision.number) == (True, 2)
    newest = decision.versions.get(number=2)
    assert (newest.made_by, newest.reason) == (people[who], "Anket 03.12.2026")


# --- The history page and the overview -----------------------------------------------------


def test_the_history_page_lists_both_versions_for_every_reader(client, people, case_a, decision):
    change(people, case_a, decision, who="siri", reason="Anket til tingretten", appealed=True)
    url = reverse("cases:decision_history", args=[case_a.pk, decision.pk])
    edit = f'href="{reverse("cases:decision_edit", args=[case_a.pk, decision.pk])}"'
    for who in ("ola", "pia"):  # readers of the case, who may not change the decision
        response = client_for(client, people[who]).get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert [v.number for v in response.context["versions"]] == [2, 1]
        assert "Anket til tingretten" in page
        assert "Første registrering" in page
        assert "Historikk for nemndsvedtaket" in page
        assert edit not in page
        assert AuditEvent.objects.filter(
            case_id=case_a.pk, user=people[who], action=AuditAction.VIEW
        ).exists()
    assert edit in client_for(client, people["kari"]).get(url).content.decode()


def test_the_history_page_of_another_cases_decision_is_not_found(client, people, case_b, decision):
    url = reverse("cases:decision_history", args=[case_b.pk, decision.pk])
    assert client_for(client, people["sven"]).get(url).status_code == 404


def test_a_decision_kept_without_versions_has_an_empty_history(client, people, case_a):
    bare = TribunalDecision.objects.create(case=case_a, decided_on=date(2025, 3, 1), kind="other")
    url = reverse("cases:decision_history", args=[case_a.pk, bare.pk])
    response = client_for(client, people["kari"]).get(url)
    assert response.status_code == 200
    assert list(response.context["versions"]) == []


def test_the_overview_shows_the_version_and_links_the_history(client, people, case_a, decision):
    overview = reverse("cases:overview", args=[case_a.pk])
    history = f'href="{reverse("cases:decision_history", args=[case_a.pk, decision.pk])}"'
    page = client_for(client, people["ola"]).get(overview).content.decode()
    assert history in page
    assert "(versjon 1)" in page
    change(people, case_a, decision, appealed=True)
    page = client_for(client, people["ola"]).get(overview).content.decode()
    today = timezone.localdate()
    assert f"(versjon 2, endret {today:%d.%m.%Y})" in page
