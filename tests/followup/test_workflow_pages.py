"""The whole follow-up path through the pages, across roles (client-level; the browser test mirrors it)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sammen.cases.models import Person
from sammen.followup.choices import State
from sammen.followup.models import FollowUp, FollowUpReport
from tests.cases.form_helpers import with_opened_version

pytestmark = pytest.mark.django_db


def _post(client, user, url, data, expect=302):
    client.force_login(user)
    response = client.post(url, with_opened_version(client, url, data))
    errors = (
        response.context["form"].errors
        if response.status_code == 200 and response.context and "form" in response.context
        else None
    )
    assert response.status_code == expect, errors
    return response


def test_a_parent_goes_from_referral_to_an_approved_report(client, people, case_a):
    today = timezone.localdate()
    mother = Person.objects.get(case=case_a, relation="mother")
    _post(
        client,
        people["kari"],
        reverse("followup:refer", args=[case_a.pk]),
        {
            "referred_on": today,
            "order": "around_visits",
            "goals": "Bedre samvær",
            "parents": [mother.pk],
        },
    )
    followup = FollowUp.objects.get(parent=mother)
    assert followup.state == State.REFERRED
    referral = followup.referral
    _post(
        client,
        people["siri"],
        reverse("followup:referral_decide", args=[case_a.pk, referral.pk]),
        {"decision": "approve"},
    )
    client.force_login(people["pia"])
    page = client.get(reverse("followup:referral_assign", args=[case_a.pk, referral.pk]))
    assert page.status_code == 200
    _post(
        client,
        people["pia"],
        reverse("followup:referral_assign", args=[case_a.pk, referral.pk]),
        {"counsellor": people["per"].pk},
    )
    followup.refresh_from_db()
    assert followup.state == State.ASSIGNED
    assert case_a.counsellors.filter(pk=people["per"].pk).exists()
    counsellor = people["per"]
    step = lambda s: reverse("followup:step", args=[case_a.pk, followup.pk, s])  # noqa: E731
    # No activity before consent.
    _post(
        client,
        counsellor,
        step("kontakt"),
        {
            "held_on": today,
            "with_whom": "parent",
            "place": "home",
            "method": "conversation",
            "minutes": 60,
        },
        expect=200,
    )
    _post(
        client,
        counsellor,
        step("informasjon"),
        {
            "informed_on": today,
            "channel": "meeting",
            "language": "norsk",
            "topics": ["rights", "placement"],
            "points": ["introduce"],
        },
    )
    _post(client, counsellor, step("samtykke"), {"kind": "given", "on": today})
    _post(
        client,
        counsellor,
        step("mote"),
        {
            "kind": "joint",
            "held_on": today,
            "participants": "Mor, veileder, saksbehandler",
            "report_period_months": 3,
            "contacts_per_month": 4,
            "frame_review_on": today + timedelta(days=90),
        },
    )
    followup.refresh_from_db()
    assert followup.state == State.ACTIVE
    _post(
        client,
        counsellor,
        step("kontakt"),
        {
            "held_on": today,
            "with_whom": "parent",
            "place": "home",
            "method": "cosp",
            "minutes": 90,
        },
    )
    _post(
        client,
        counsellor,
        reverse("followup:report_add", args=[case_a.pk, followup.pk]),
        {
            "period_start": today,
            "period_end": today,
            "summary": "Gode samtaler",
        },
    )
    report = FollowUpReport.objects.get(followup=followup)
    # The caseworker cannot see a draft.
    client.force_login(people["kari"])
    assert client.get(reverse("followup:report", args=[case_a.pk, report.pk])).status_code == 404
    # Approval before review is refused.
    client.force_login(people["siri"])
    report.refresh_from_db()
    client.post(
        reverse("followup:report_approve", args=[case_a.pk, report.pk]),
        {"expected_version": report.version},
    )
    report.refresh_from_db()
    assert report.state == "draft"
    _post(
        client,
        counsellor,
        reverse("followup:report_review", args=[case_a.pk, report.pk]),
        {
            "reviewed_on": today,
            "agreement": "partly",
            "comments": "Mor ønsker flere samvær",
        },
    )
    client.force_login(people["siri"])
    report.refresh_from_db()
    client.post(
        reverse("followup:report_approve", args=[case_a.pk, report.pk]),
        {"expected_version": report.version},
    )
    report.refresh_from_db()
    assert report.state == "approved"
    client.force_login(people["kari"])
    page = client.get(reverse("followup:report", args=[case_a.pk, report.pk]))
    assert page.status_code == 200 and "Mor ønsker flere samvær" in page.content.decode()
    pdf = client.get(reverse("followup:report_pdf", args=[case_a.pk, report.pk]))
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    for name in ("followup:overview", "followup:offers"):
        client.force_login(people["siri"])
        assert client.get(reverse(name)).status_code == 200
    client.force_login(counsellor)
    assert client.get(reverse("followup:my_week")).status_code == 200
    assert client.get(reverse("followup:detail", args=[case_a.pk, followup.pk])).status_code == 200
