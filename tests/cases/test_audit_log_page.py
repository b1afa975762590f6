"""The access log reads as Norwegian, not code, and a section leader can narrow it."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sammen.audit.models import AuditAction, AuditEvent
from sammen.audit.services import audit_record
from sammen.visits.models import VisitPlan
from tests.visits.conftest import decision, plan, ruling  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def mother(case_a):
    from tests import factories as f

    return f.make_parent(case_a)


@pytest.fixture
def log(people, case_a, plan):  # noqa: F811
    plan.number = 2
    plan.save()
    audit_record(user=people["kari"], action=AuditAction.VIEW, case_id=case_a.pk, obj=case_a)
    audit_record(
        user=people["ola"],
        action=AuditAction.CREATE,
        case_id=case_a.pk,
        obj=plan,
        reason="version 2",
    )
    audit_record(
        user=people["siri"],
        action=AuditAction.UPDATE,
        case_id=case_a.pk,
        obj=case_a,
        reason="approved",
    )
    audit_record(
        user=people["ola"],
        action=AuditAction.UPDATE,
        case_id=case_a.pk,
        obj=plan,
        reason="scheduled 3 visits",
    )
    return plan


def _page(client, people, case, params=None):
    client.force_login(people["siri"])
    response = client.get(reverse("cases:audit_log", args=[case.pk]), params or {})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_records_actions_and_reasons_are_in_words(client, people, case_a, log):
    html = _page(client, people, case_a)
    assert f"Barnesak {case_a.reference}" in html
    assert "Samværsplan, versjon 2" in html
    assert "godkjent" in html and "3 samvær planlagt" in html
    for code in ("cases.ChildCase", "visits.VisitPlan", "approved", "scheduled 3 visits"):
        assert code not in html


def test_a_deleted_record_is_named_by_its_kind(client, people, case_a, log):
    VisitPlan.objects.filter(pk=log.pk).delete()
    assert "Samværsplan (slettet)" in _page(client, people, case_a)


def test_the_log_narrows_to_one_person(client, people, case_a, log):
    html = _page(client, people, case_a, {"who": people["ola"].pk})
    assert "Samværsplan, versjon 2" in html
    assert "godkjent" not in html and f"Barnesak {case_a.reference}" not in html


def test_the_log_narrows_to_days(client, people, case_a, log):
    today = timezone.localdate()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        audit_record(user=people["kari"], action=AuditAction.EXPORT, case_id=case_a.pk, obj=case_a)
    later = today + timedelta(days=3)
    html = _page(client, people, case_a, {"start": later.isoformat(), "end": later.isoformat()})
    assert html.count("<tr>") == 2  # the heading and the one export
    assert "Eksportert" in html


def test_bad_filters_are_told_not_crashed(client, people, case_a, log):
    html = _page(client, people, case_a, {"start": "2026-13-45", "end": "x", "who": "999999"})
    assert "Skriv inn en gyldig dato" in html or "gyldig dato" in html
    today = timezone.localdate()
    html = _page(
        client,
        people,
        case_a,
        {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()},
    )
    assert "Sluttdatoen" in html or "slutt" in html.lower()


def test_the_log_costs_the_same_for_few_and_many_rows(
    client, people, case_a, log, django_assert_max_num_queries
):
    client.force_login(people["siri"])
    url = reverse("cases:audit_log", args=[case_a.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(40):
        audit_record(user=people["ola"], action=AuditAction.VIEW, case_id=case_a.pk, obj=log)
        audit_record(user=people["kari"], action=AuditAction.VIEW, case_id=case_a.pk, obj=case_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    assert AuditEvent.objects.filter(case_id=case_a.pk).count() > 80
