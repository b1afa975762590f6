"""Every date of the follow-up agrees with it: things that happened are not dated in the future
nor before the parent was referred (2 June 2025 here); a contact may be planned ahead; a report
period lies within the follow-up and ends at most a fortnight ahead. One test per rule, with
the Norwegian message the user sees."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sammen.followup import services
from sammen.followup.models import (
    ConsentEvent,
    Contact,
    FollowUpReport,
    Information,
    LivingConditions,
    PhaseChange,
    ServiceReferral,
    StartMeeting,
)
from tests.cases.form_helpers import assert_typed_values_kept, with_opened_version
from tests.followup.test_services import TODAY as REFERRED
from tests.followup.test_services import (  # noqa: F401 — fixtures
    _activate,
    _inform,
    followup,
    mother,
)

pytestmark = pytest.mark.django_db
NOW = timezone.localdate()
TOMORROW = NOW + timedelta(days=1)
BEFORE = REFERRED - timedelta(days=1)
FUTURE = f"Datoen ({TOMORROW:%d.%m.%Y}) er fram i tid; i dag er det {NOW:%d.%m.%Y}."
EARLY = f"Datoen ({BEFORE:%d.%m.%Y}) er før forelderen ble henvist ({REFERRED:%d.%m.%Y})."


def refused(call) -> dict:
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def add(people, followup, instance, event="activity"):  # noqa: F811
    return lambda: services.activity_add(
        user=people["ola"], followup=followup, instance=instance, event=event
    )


def information(day):
    return Information(informed_on=day, channel="meeting", language="norsk")


@pytest.mark.parametrize("day, message", [(TOMORROW, FUTURE), (BEFORE, EARLY)])
def test_informed_on(people, followup, day, message):  # noqa: F811
    assert refused(add(people, followup, information(day), "inform")) == {"informed_on": [message]}


@pytest.mark.parametrize("day, message", [(TOMORROW, FUTURE), (BEFORE, EARLY)])
def test_consent_on(people, followup, day, message):  # noqa: F811
    _inform(people, followup)
    call = lambda: services.consent_record(  # noqa: E731
        user=people["ola"], followup=followup, event=ConsentEvent(kind="given", on=day)
    )
    assert refused(call) == {"on": [message]}


@pytest.mark.parametrize("day, message", [(TOMORROW, FUTURE), (BEFORE, EARLY)])
def test_meeting_held_on(people, followup, day, message):  # noqa: F811
    meeting = StartMeeting(kind="internal", held_on=day, participants="Veileder")
    call = lambda: services.meeting_record(  # noqa: E731
        user=people["ola"], followup=followup, meeting=meeting, frame={}
    )
    assert refused(call) == {"held_on": [message]}


def test_contact_held_on_may_be_planned_but_not_before_the_referral(people, followup):  # noqa: F811
    _activate(people, followup)

    def contact(day):
        return Contact(held_on=day, with_whom="parent", place="home", method="cosp", minutes=60)

    assert refused(add(people, followup, contact(BEFORE))) == {"held_on": [EARLY]}
    add(people, followup, contact(TOMORROW))()
    assert followup.contacts.count() == 1


@pytest.mark.parametrize("day, message", [(TOMORROW, FUTURE), (BEFORE, EARLY)])
def test_phase_from_date(people, followup, day, message):  # noqa: F811
    _activate(people, followup)
    phase = PhaseChange(phase="crisis", from_date=day)
    assert refused(add(people, followup, phase)) == {"from_date": [message]}


@pytest.mark.parametrize("day, message", [(TOMORROW, FUTURE), (BEFORE, EARLY)])
def test_living_conditions_assessed_on(people, followup, day, message):  # noqa: F811
    _activate(people, followup)
    living = LivingConditions(assessed_on=day)
    assert refused(add(people, followup, living)) == {"assessed_on": [message]}


@pytest.mark.parametrize("field", ["referred_on", "consent_on"])
@pytest.mark.parametrize("day, message", [(TOMORROW, FUTURE), (BEFORE, EARLY)])
def test_service_referral_dates(people, followup, field, day, message):  # noqa: F811
    _activate(people, followup)
    values = {"referred_on": REFERRED, "consent_on": REFERRED, field: day}
    referral = ServiceReferral(service="nav", purpose="Økonomi", consent_to_share=True, **values)
    assert refused(add(people, followup, referral)) == {field: [message]}


def report(people, followup, start, end):  # noqa: F811
    return lambda: services.report_write(
        user=people["ola"],
        followup=followup,
        report=FollowUpReport(period_start=start, period_end=end, summary="Rapport"),
    )


def test_report_period_starts_no_earlier_than_the_follow_up(people, followup):  # noqa: F811
    _activate(people, followup)  # started 2 June 2025
    assert refused(report(people, followup, date(2025, 6, 1), date(2025, 9, 1))) == {
        "period_start": ["Perioden begynner (01.06.2025) før oppfølgingen startet (02.06.2025)."]
    }


def test_report_period_ends_at_most_a_fortnight_ahead(people, followup):  # noqa: F811
    _activate(people, followup)
    end = NOW + timedelta(days=15)
    assert refused(report(people, followup, REFERRED, end)) == {
        "period_end": [
            f"Perioden slutter ({end:%d.%m.%Y}) mer enn 14 dager fra i dag ({NOW:%d.%m.%Y}): "
            "skriv rapporten ved slutten av perioden."
        ]
    }
    assert refused(report(people, followup, REFERRED, date(9999, 12, 31)))["period_end"]
    report(people, followup, REFERRED, NOW + timedelta(days=14))()


def test_report_period_ends_after_it_starts(people, followup):  # noqa: F811
    _activate(people, followup)
    assert refused(report(people, followup, date(2025, 7, 1), date(2025, 6, 30))) == {
        "period_end": ["Perioden slutter (30.06.2025) før den begynner (01.07.2025)."]
    }


def test_the_report_form_shows_the_period_refusal_and_keeps_the_text(client, people, followup):  # noqa: F811
    _activate(people, followup)
    client.force_login(people["ola"])
    url = reverse("followup:report_add", args=[followup.case.pk, followup.pk])
    data = {"period_start": "2025-05-01", "period_end": "2025-08-01", "summary": "Mye skrevet"}
    with translation.override("nb"):
        response = client.post(url, with_opened_version(client, url, data))
    assert response.status_code == 200
    assert "Perioden begynner (01.05.2025) før oppfølgingen startet (02.06.2025)." in (
        response.content.decode()
    )
    assert_typed_values_kept(response, data)


def test_the_step_form_shows_the_named_date_refusal_and_keeps_the_text(client, people, followup):  # noqa: F811
    client.force_login(people["ola"])
    url = reverse("followup:step", args=[followup.case.pk, followup.pk, "informasjon"])
    data = {"informed_on": TOMORROW.isoformat(), "channel": "phone", "language": "polsk"}
    with translation.override("nb"):
        response = client.post(url, data)
    assert response.status_code == 200 and FUTURE in response.content.decode()
    assert_typed_values_kept(response, data)
    assert not followup.information.exists()
