"""A counsellor corrects or deletes their own time entries; one entry per contact or visit."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sammen.audit.models import AuditAction, AuditEvent
from sammen.timelog.models import TimeEntry
from tests.cases.form_helpers import shown_values

from .test_timelog import contact  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(people, case_a, contact):  # noqa: F811
    return TimeEntry.objects.create(
        counsellor=people["ola"],
        case=case_a,
        section=case_a.section,
        worked_on=date(2025, 4, 2),
        activity="guidance_mother",
        hours=Decimal("1.5"),
        contact=contact,
    )


def _form(entry, **changes):
    return {
        "case": entry.case_id,
        "worked_on": entry.worked_on.isoformat(),
        "activity": entry.activity,
        "hours": str(entry.hours),
        "km": "0",
        "note": "",
        "expected_version": entry.version,
        **changes,
    }


def test_the_owner_corrects_an_entry_and_it_is_audited(client, people, entry):
    client.force_login(people["ola"])
    url = reverse("timelog:edit", args=[entry.pk])
    assert shown_values(client.get(url))["expected_version"] == [str(entry.version)]
    response = client.post(url, _form(entry, hours="2.25", note="Rettet"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.hours, entry.note, entry.version) == (Decimal("2.25"), "Rettet", 2)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(entry.pk)).exists()


def test_a_stale_correction_is_refused_and_keeps_what_was_typed(client, people, entry):
    client.force_login(people["ola"])
    opened = _form(entry, hours="3", note="Min retting")
    entry.note = "Noen andres"
    entry.save()
    response = client.post(reverse("timelog:edit", args=[entry.pk]), opened)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Noen andre endret dette" in html and "Min retting" in html
    entry.refresh_from_db()
    assert (entry.hours, entry.note) == (Decimal("1.5"), "Noen andres")


def test_only_the_owner_may_open_change_or_delete_an_entry(client, people, entry):
    client.force_login(people["per"])
    assert client.get(reverse("timelog:edit", args=[entry.pk])).status_code == 404
    response = client.post(
        reverse("timelog:delete", args=[entry.pk]), {"expected_version": entry.version}
    )
    assert response.status_code == 404
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(people["kari"])
    assert client.get(reverse("timelog:edit", args=[entry.pk])).status_code == 403


def test_the_owner_deletes_an_entry_and_the_contact_can_be_logged_again(
    client,
    people,
    entry,
    contact,  # noqa: F811
):
    client.force_login(people["ola"])
    stale = entry.version
    entry.note = "endret"
    entry.save()
    client.post(reverse("timelog:delete", args=[entry.pk]), {"expected_version": stale})
    assert TimeEntry.objects.filter(pk=entry.pk).exists()  # the stale delete was refused
    client.post(reverse("timelog:delete", args=[entry.pk]), {"expected_version": entry.version})
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(entry.pk)).exists()
    page = client.get(reverse("timelog:add"), {"contact": contact.pk})
    assert page.context["logged"] is None


def test_the_database_holds_one_entry_per_contact(people, case_a, entry, contact):  # noqa: F811
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(
            counsellor=people["ola"],
            case=case_a,
            section=case_a.section,
            worked_on=date(2025, 4, 2),
            activity="guidance_mother",
            hours=Decimal("1"),
            contact=contact,
        )


def test_the_follow_up_shows_the_logged_hours_instead_of_log_time(
    client,
    people,
    case_a,
    entry,
    contact,  # noqa: F811
):
    client.force_login(people["ola"])
    page = client.get(reverse("followup:detail", args=[case_a.pk, contact.followup_id]))
    html = page.content.decode()
    assert reverse("timelog:edit", args=[entry.pk]) in html
    assert f"{reverse('timelog:add')}?contact={contact.pk}" not in html
