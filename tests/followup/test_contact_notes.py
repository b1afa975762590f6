"""Contact notes on the follow-up's page, corrected with a reason (the earlier version kept,
unchangeable, and audited); draft reports deleted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models.decisions import ImmutableRecordError
from sammen.core.models import ConcurrentEditError
from sammen.followup import services
from sammen.followup.models import Contact, ContactRevision, FollowUpReport
from tests.cases.form_helpers import assert_typed_values_kept, with_opened_version
from tests.followup.test_services import (  # noqa: F401 — fixtures
    TODAY,
    _activate,
    _reviewed_report,
    followup,
    mother,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(people, followup):  # noqa: F811
    _activate(people, followup)
    return services.activity_add(
        user=people["ola"],
        followup=followup,
        instance=Contact(
            held_on=TODAY,
            with_whom="parent",
            place="home",
            method="conversation",
            minutes=60,
            notes="Snakket om samværet",
            next_steps="Ringe før neste samvær",
        ),
    )


def _correct(people, contact, *, reason="Feil lengde registrert", **values):
    fresh = Contact.objects.get(pk=contact.pk)
    version = fresh.version
    for name, value in values.items():
        setattr(fresh, name, value)
    return services.contact_correct(
        user=people["kari"], contact=fresh, reason=reason, expected_version=version
    )


def test_a_correction_keeps_the_earlier_version_and_is_audited(people, contact):
    _correct(people, contact, minutes=90, notes="Snakket om samværet og skolen")
    contact.refresh_from_db()
    assert contact.minutes == 90 and contact.version == 2
    assert contact.recorded_by == people["ola"]
    revision = contact.revisions.get()
    assert (revision.number, revision.minutes, revision.notes) == (1, 60, "Snakket om samværet")
    assert revision.reason == "Feil lengde registrert" and revision.corrected_by == people["kari"]
    assert revision.recorded_by == people["ola"]
    row = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="followup.Contact", object_id=str(contact.pk)
    )
    assert row.reason == "Feil lengde registrert" and row.user == people["kari"]
    _correct(people, contact, reason="Og datoen", held_on=TODAY + timedelta(days=1))
    assert list(contact.revisions.values_list("number", flat=True)) == [2, 1]


def test_earlier_versions_cannot_be_changed_or_deleted(people, contact):
    _correct(people, contact, minutes=90)
    revision = ContactRevision.objects.get()
    revision.minutes = 5
    with pytest.raises(ImmutableRecordError):
        revision.save()
    with pytest.raises(ImmutableRecordError):
        revision.delete()
    with pytest.raises(ImmutableRecordError):
        ContactRevision.objects.update(minutes=5)


def test_a_correction_needs_a_reason_a_change_and_the_version_it_was_opened_at(people, contact):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        _correct(people, contact, reason=" ", minutes=90)
    assert refused.value.message_dict == {"reason": ["Skriv hvorfor kontakten rettes."]}
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        _correct(people, contact)
    assert refused.value.messages == ["Ingenting ble endret: rett en verdi, eller gå tilbake."]
    stale = Contact.objects.get(pk=contact.pk)
    _correct(people, contact, minutes=90)
    stale.minutes = 30
    with pytest.raises(ConcurrentEditError):
        services.contact_correct(
            user=people["kari"], contact=stale, reason="Senere", expected_version=1
        )
    assert ContactRevision.objects.count() == 1


def test_a_correction_dated_before_the_referral_is_refused(people, contact):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        _correct(people, contact, held_on=TODAY - timedelta(days=1))
    assert refused.value.message_dict == {
        "held_on": [
            f"Datoen ({TODAY - timedelta(days=1):%d.%m.%Y}) er før forelderen ble henvist "
            f"({TODAY:%d.%m.%Y})."
        ]
    }


def test_the_page_lists_the_contacts_with_notes_author_and_history(client, people, contact):
    _correct(people, contact, minutes=90, reason="Feil lengde")
    client.force_login(people["kari"])
    url = reverse("followup:detail", args=[contact.followup.case.pk, contact.followup_id])
    with translation.override("nb"):
        page = client.get(url).content.decode()
    assert "Snakket om samværet" in page and "Ringe før neste samvær" in page
    assert str(people["ola"]) in page
    assert "Rettet 1 gang" in page and "«Feil lengde»" in page
    assert reverse("followup:contact_edit", args=[contact.followup.case.pk, contact.pk]) in page


def test_the_page_reads_many_contacts_in_a_fixed_number_of_queries(
    client, people, contact, django_assert_max_num_queries
):
    fu = contact.followup
    for i in range(40):
        services.activity_add(
            user=people["ola"],
            followup=fu,
            instance=Contact(
                held_on=TODAY + timedelta(days=i),
                with_whom="parent",
                place="office",
                method="cosp",
                minutes=45,
                notes=f"Samtale {i}",
            ),
        )
    for c in list(fu.contacts.all())[:10]:
        _correct(people, c, minutes=50, reason="Rettet lengde")
    client.force_login(people["ola"])
    url = reverse("followup:detail", args=[fu.case.pk, fu.pk])
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('id="contact-') == 41


def test_a_contact_is_corrected_through_its_form_and_a_refusal_keeps_the_typed_text(
    client, people, contact
):
    client.force_login(people["ola"])
    url = reverse("followup:contact_edit", args=[contact.followup.case.pk, contact.pk])
    data = {
        "held_on": (TODAY - timedelta(days=3)).isoformat(),
        "with_whom": "parent",
        "place": "office",
        "method": "conversation",
        "minutes": 75,
        "notes": "Rettet notat",
        "next_steps": "",
        "reason": "Feil sted",
    }
    refused = client.post(url, with_opened_version(client, url, data))
    assert refused.status_code == 200
    assert_typed_values_kept(refused, data)
    data["held_on"] = TODAY.isoformat()
    assert client.post(url, with_opened_version(client, url, data)).status_code == 302
    contact.refresh_from_db()
    assert (contact.place, contact.minutes, contact.notes) == ("office", 75, "Rettet notat")
    assert contact.revisions.get().reason == "Feil sted"
    no_reason = client.post(url, with_opened_version(client, url, {**data, "reason": ""}))
    assert no_reason.status_code == 200 and "reason" in no_reason.context["form"].errors


# Draft reports ---------------------------------------------------------------------------------


def _draft(people, followup):  # noqa: F811
    return services.report_write(
        user=people["ola"],
        followup=followup,
        report=FollowUpReport(period_start=TODAY, period_end=TODAY, summary="Utkast"),
    )


def test_a_draft_report_is_deleted_and_audited(people, contact):
    report = _draft(people, contact.followup)
    pk = report.pk
    services.report_delete(user=people["ola"], report=report, expected_version=report.version)
    assert not FollowUpReport.objects.filter(pk=pk).exists()
    row = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(pk))
    assert row.object_type == "followup.FollowUpReport"
    assert TODAY.strftime("%d.%m.%Y") in row.reason
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_only_a_draft_is_deleted_and_only_at_the_version_shown(people, contact):
    report = _draft(people, contact.followup)
    with pytest.raises(ConcurrentEditError):
        services.report_delete(user=people["ola"], report=report, expected_version=99)
    reviewed = _reviewed_report(people, contact.followup)
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.report_delete(
            user=people["ola"], report=reviewed, expected_version=reviewed.version
        )
    assert refused.value.messages == [
        "Bare et utkast kan slettes; denne rapporten er gjennomgått med forelderen."
    ]
    assert FollowUpReport.objects.count() == 2


def test_the_delete_button_deletes_the_draft_and_returns_to_the_follow_up(client, people, contact):
    report = _draft(people, contact.followup)
    case_pk = contact.followup.case.pk
    client.force_login(people["ola"])
    page = client.get(reverse("followup:report", args=[case_pk, report.pk])).content.decode()
    delete = reverse("followup:report_delete", args=[case_pk, report.pk])
    assert delete in page
    response = client.post(delete, {"expected_version": report.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:detail", args=[case_pk, contact.followup_id])
    assert not FollowUpReport.objects.filter(pk=report.pk).exists()
    assert client.get(delete).status_code == 405
