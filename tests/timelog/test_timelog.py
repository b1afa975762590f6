"""The time log: quick entry from a follow-up contact, bad input, who may log."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import Relation
from sammen.followup.models import Contact, FollowUp, Referral
from sammen.timelog import rules
from sammen.timelog.models import TimeEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(people, case_a):
    ola = people["ola"]
    ref = Referral.objects.create(
        case=case_a,
        referred_by=people["kari"],
        referred_on=date(2025, 3, 1),
        order="guidance",
        goals="Samvær",
        counsellor=ola,
    )
    fu = FollowUp.objects.create(
        referral=ref, parent=case_a.persons.get(relation=Relation.MOTHER), state="active"
    )
    return Contact.objects.create(
        followup=fu,
        held_on=date(2025, 4, 2),
        with_whom="parent",
        place="home",
        method="conversation",
        minutes=90,
        recorded_by=ola,
    )


def test_minutes_become_hours_with_two_decimals():
    assert rules.hours_from_minutes(90) == Decimal("1.50")
    assert rules.hours_from_minutes(50) == Decimal("0.83")


def test_a_contact_with_the_father_is_guidance_of_the_father():
    assert (
        rules.activity_for_contact(with_whom="parent", parent_relation="father")
        == "guidance_father"
    )
    assert (
        rules.activity_for_contact(with_whom="foster", parent_relation="mother")
        == "guidance_foster"
    )
    assert rules.activity_for_contact(with_whom="child", parent_relation="mother") == "other"


def test_the_quick_entry_is_filled_in_from_the_contact(client, people, case_a, contact):
    client.force_login(people["ola"])
    response = client.get(reverse("timelog:add"), {"contact": contact.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["hours"] == Decimal("1.50")
    assert form.initial["worked_on"] == date(2025, 4, 2)
    assert form.initial["activity"] == "guidance_mother"
    assert form.initial["case"] == case_a.pk


def test_saving_a_quick_entry_links_the_contact_and_is_audited(client, people, case_a, contact):
    client.force_login(people["ola"])
    response = client.post(
        reverse("timelog:add") + f"?contact={contact.pk}",
        {
            "case": case_a.pk,
            "worked_on": "2025-04-02",
            "activity": "guidance_mother",
            "hours": "1.5",
            "km": "14",
            "contact": contact.pk,
        },
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.counsellor, entry.contact, entry.section_id) == (
        people["ola"],
        contact,
        case_a.section_id,
    )
    assert entry.km == Decimal("14")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, case_id=case_a.pk).exists()
    page = client.get(reverse("timelog:mine"))
    assert case_a.reference in page.content.decode()


def test_bad_input_shows_errors_keeps_the_typed_values_and_saves_nothing(client, people, case_a):
    client.force_login(people["ola"])
    response = client.post(
        reverse("timelog:add"),
        {
            "case": case_a.pk,
            "worked_on": "2025-04-02",
            "activity": "visit",
            "hours": "-3",
            "km": "lots",
            "note": "Kjørte til Lien",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "hours" in errors and "km" in errors
    html = response.content.decode()
    assert 'value="-3"' in html and 'value="lots"' in html and "Kjørte til Lien" in html
    assert not TimeEntry.objects.exists()


def test_zero_hours_and_no_km_is_refused(client, people, case_a):
    client.force_login(people["ola"])
    response = client.post(
        reverse("timelog:add"),
        {
            "case": case_a.pk,
            "worked_on": "2025-04-02",
            "activity": "visit",
            "hours": "0",
        },
    )
    assert response.status_code == 200
    assert not TimeEntry.objects.exists()


def test_a_counsellor_cannot_log_time_on_a_case_outside_their_teams(client, people, case_a, case_b):
    client.force_login(people["per"])
    response = client.post(
        reverse("timelog:add"),
        {
            "case": case_b.pk,
            "worked_on": "2025-04-02",
            "activity": "visit",
            "hours": "1",
        },
    )
    assert response.status_code == 200  # case_b is not among the choices
    assert not TimeEntry.objects.exists()


def test_a_contact_in_a_foreign_case_looks_not_found(client, people, contact):
    client.force_login(people["per"])
    assert client.get(reverse("timelog:add"), {"contact": contact.pk}).status_code == 404
    assert client.get(reverse("timelog:add"), {"contact": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["kari", "siri", "pia", "adam"])
def test_only_counsellors_keep_a_time_log(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("timelog:mine")).status_code == 403
    assert client.get(reverse("timelog:add")).status_code == 403
