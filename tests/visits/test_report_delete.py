"""A draft visit report can be deleted, with the version the page showed; a report gone through
with the parent or approved cannot. Messages as the user reads them, in bokmål."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.review import ReviewState
from sammen.visits import services
from sammen.visits.models import VisitReport
from tests import factories as f

from .conftest import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(plan):
    return make_session(plan, at(date(2026, 2, 11)), status="held")


@pytest.fixture
def draft(people, plan, held):
    return VisitReport.objects.create(
        plan=plan,
        session=held,
        period_start=date(2026, 2, 11),
        period_end=date(2026, 2, 11),
        summary="Utkast",
        written_by=people["ola"],
    )


def refusal(action) -> str:
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            action()
        return " ".join(refused.value.messages)


def test_a_draft_is_deleted_and_the_deletion_audited(people, draft):
    pk = draft.pk
    services.report_delete(user=people["ola"], report=draft, expected_version=draft.version)
    assert not VisitReport.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(pk))
    assert (event.object_type, event.user, event.case_id) == (
        "visits.VisitReport",
        people["ola"],
        draft.plan.case_id,
    )
    assert event.reason == "11.02.2026–11.02.2026"


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            ReviewState.REVIEWED,
            "Bare et utkast kan slettes. Denne rapporten er gjennomgått med forelderen.",
        ),
        (ReviewState.APPROVED, "Bare et utkast kan slettes. Denne rapporten er godkjent."),
    ],
)
def test_a_report_past_the_draft_is_not_deleted(people, draft, state, message):
    f.set_columns(VisitReport.objects.filter(pk=draft.pk), state=state)
    draft.refresh_from_db()
    assert (
        refusal(
            lambda: services.report_delete(
                user=people["ola"], report=draft, expected_version=draft.version
            )
        )
        == message
    )
    assert VisitReport.objects.filter(pk=draft.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_a_draft_changed_since_the_page_was_opened_is_not_deleted(people, draft):
    seen = draft.version
    draft.summary = "Endret av en annen"
    draft.save()
    assert refusal(
        lambda: services.report_delete(user=people["ola"], report=draft, expected_version=seen)
    ) == ("Noen andre endret dette mens du redigerte. Endringene dine ble ikke lagret.")
    assert VisitReport.objects.filter(pk=draft.pk).exists()


def delete_url(report):
    return reverse("visits:report_delete", args=[report.plan.case_id, report.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_button_deletes_the_draft_and_goes_back_to_the_visit(client, people, draft, held):
    client.force_login(people["ola"])
    page = client.get(reverse("visits:report", args=[draft.plan.case_id, draft.pk]))
    assert delete_url(draft) in page.content.decode()
    response = client.post(delete_url(draft), {"expected_version": draft.version})
    assert response["Location"] == reverse("visits:session", args=[draft.plan.case_id, held.pk])
    assert messages_of(response) == ["Rapportutkastet ble slettet."]
    assert not VisitReport.objects.filter(pk=draft.pk).exists()


def test_a_period_draft_goes_back_to_the_plan(client, people, plan):
    report = VisitReport.objects.create(
        plan=plan,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        summary="Utkast",
        written_by=people["ola"],
    )
    client.force_login(people["ola"])
    response = client.post(delete_url(report), {"expected_version": report.version})
    assert response["Location"] == reverse("visits:plan", args=[plan.case_id, plan.pk])


def test_a_stale_button_keeps_the_draft_and_says_why(client, people, draft):
    client.force_login(people["ola"])
    response = client.post(delete_url(draft), {"expected_version": draft.version + 1})
    assert response["Location"] == reverse("visits:report", args=[draft.plan.case_id, draft.pk])
    assert messages_of(response) == [
        "Noen andre endret dette mens du redigerte. Endringene dine ble ikke lagret."
    ]
    assert VisitReport.objects.filter(pk=draft.pk).exists()


def test_an_approved_report_offers_no_delete_button(client, people, draft):
    f.set_columns(VisitReport.objects.filter(pk=draft.pk), state=ReviewState.APPROVED)
    client.force_login(people["ola"])
    page = client.get(reverse("visits:report", args=[draft.plan.case_id, draft.pk]))
    assert delete_url(draft) not in page.content.decode()


@pytest.mark.parametrize(("who", "status"), [("pia", 403), ("per", 404), ("cato", 404)])
def test_only_those_who_may_change_the_case_delete(client, people, draft, case_b, who, status):
    client.force_login(people[who])
    response = client.post(delete_url(draft), {"expected_version": draft.version})
    assert response.status_code == status
    assert VisitReport.objects.filter(pk=draft.pk).exists()
