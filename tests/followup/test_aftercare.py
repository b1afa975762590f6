"""Aftercare (bvl. § 8-7): the lifting decision → contacts and reports allowed → the end six
months on, reminded four weeks before. And a closure that agrees with the case's decisions and
placements. Messages are asserted in Norwegian (bokmål), as the user sees them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sammen.cases.models import LegalReference, TribunalDecision
from sammen.followup import rules, selectors, services
from sammen.followup.choices import ClosureReason, State
from sammen.followup.models import Contact, FollowUpReport, PhaseChange
from tests.cases.form_helpers import assert_typed_values_kept, with_opened_version
from tests.factories import set_columns
from tests.followup.test_services import _activate, followup, mother  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CARE_ON = date(2025, 2, 1)
LIFTED_ON = TODAY - timedelta(days=30)


def nb(error: ValidationError) -> str:
    with translation.override("nb"):
        return " ".join(str(m) for m in error.messages)


def _close(people, fu, *, on=None, reason=ClosureReason.REUNIFIED, until=None):
    fu.refresh_from_db()
    return services.followup_close(
        user=people["ola"],
        followup=fu,
        closed_on=on or LIFTED_ON + timedelta(days=10),
        reason=reason,
        note="",
        aftercare_until=until,
        expected_version=fu.version,
    )


@pytest.fixture
def lifted(case_a):
    """Case A's care order of 1 February 2025, lifted 30 days ago; the child moved home 5 days
    after the lifting."""
    TribunalDecision.objects.create(case=case_a, decided_on=CARE_ON, kind="care_order")
    set_columns(case_a.placements.all(), end_date=LIFTED_ON + timedelta(days=5))
    return TribunalDecision.objects.create(case=case_a, decided_on=LIFTED_ON, kind="lifting")


@pytest.fixture
def aftercare(people, followup, lifted):  # noqa: F811
    _activate(people, followup)
    _close(people, followup)
    followup.refresh_from_db()
    return followup


def _contact(day, **values):
    return Contact(
        held_on=day, with_whom="parent", place="home", method="conversation", minutes=60, **values
    )


# Closure consistent with the case ---------------------------------------------------------------


def test_reunified_is_refused_while_the_care_order_is_in_force(people, case_a, followup):  # noqa: F811
    _activate(people, followup)
    TribunalDecision.objects.create(case=case_a, decided_on=date(2025, 3, 1), kind="care_order")
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, on=TODAY)
    assert nb(refused.value) == (
        f"Oppfølgingen kan ikke avsluttes som «barnet har flyttet hjem» {TODAY:%d.%m.%Y} mens "
        "vedtaket om omsorgsovertakelse av 01.03.2025 gjelder: registrer først nemndas vedtak "
        "om å oppheve det."
    )
    followup.refresh_from_db()
    assert followup.state == State.ACTIVE


def test_reunified_is_refused_while_the_child_is_still_placed(people, case_a, followup):  # noqa: F811
    _activate(people, followup)
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, on=TODAY)
    assert nb(refused.value) == (
        f"Oppfølgingen kan ikke avsluttes som «barnet har flyttet hjem» {TODAY:%d.%m.%Y} mens "
        "plasseringen fra 01.02.2025 fortsatt varer: avslutt plasseringen først."
    )


def test_other_reasons_are_allowed_while_the_care_order_lasts(people, case_a, followup):  # noqa: F811
    _activate(people, followup)
    TribunalDecision.objects.create(case=case_a, decided_on=CARE_ON, kind="care_order")
    _close(people, followup, on=TODAY, reason=ClosureReason.NOT_NEEDED)
    followup.refresh_from_db()
    assert followup.state == State.CLOSED and followup.aftercare_until is None


def test_reunified_after_a_voluntary_placement_gives_no_aftercare(people, case_a, followup):  # noqa: F811
    _activate(people, followup)
    set_columns(case_a.placements.all(), kind="voluntary", end_date=TODAY - timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, on=TODAY, until=TODAY + timedelta(days=30))
    assert nb(refused.value) == (
        "Ingen omsorgsovertakelse er opphevet i denne saken, så det blir ingen oppfølging etter "
        "opphevelse: la datoen stå tom."
    )
    _close(people, followup, on=TODAY)
    followup.refresh_from_db()
    assert followup.state == State.CLOSED
    assert followup.aftercare_until is None and followup.lifting_decision is None
    with pytest.raises(ValidationError) as refused:
        services.activity_add(user=people["ola"], followup=followup, instance=_contact(TODAY))
    assert nb(refused.value) == (
        f"Oppfølgingen ble avsluttet {TODAY:%d.%m.%Y} uten oppfølging etter opphevelse: "
        "ingenting mer registreres i den."
    )


def test_the_closing_date_is_not_in_the_future_nor_before_the_referral(people, followup):  # noqa: F811
    _activate(people, followup)
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, on=tomorrow, reason=ClosureReason.WITHDREW)
    assert nb(refused.value) == (
        f"Avslutningsdatoen ({tomorrow:%d.%m.%Y}) er fram i tid; i dag er det {TODAY:%d.%m.%Y}."
    )
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, on=date(2025, 6, 1), reason=ClosureReason.WITHDREW)
    assert nb(refused.value) == (
        "Avslutningsdatoen (01.06.2025) er før forelderen ble henvist (02.06.2025)."
    )


# The aftercare period ------------------------------------------------------------------------


def test_closing_after_the_lifting_links_it_and_gives_six_months(aftercare, lifted):
    assert aftercare.lifting_decision == lifted
    assert aftercare.aftercare_until == rules.after_lifting_until(LIFTED_ON)
    assert aftercare.aftercare_lasts(TODAY)


def test_a_later_aftercare_end_is_refused_naming_the_latest_date_and_the_law(
    people,
    followup,  # noqa: F811
    lifted,
):
    _activate(people, followup)
    latest = rules.after_lifting_until(LIFTED_ON)
    typed = latest + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, until=typed)
    assert nb(refused.value) == (
        f"Oppfølging etter opphevelse kan vare til og med {latest:%d.%m.%Y} ({typed:%d.%m.%Y} ble "
        f"oppgitt): seks måneder etter vedtaket av {LIFTED_ON:%d.%m.%Y} om å oppheve "
        "omsorgsovertakelsen (barnevernsloven (2021) § 8-7)."
    )
    LegalReference.objects.filter(key="followup.after_lifting").delete()
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, until=typed)
    assert "§ 8-7" not in nb(refused.value) and latest.strftime("%d.%m.%Y") in nb(refused.value)
    _close(people, followup, until=latest - timedelta(days=30))
    followup.refresh_from_db()
    assert followup.aftercare_until == latest - timedelta(days=30)


def test_a_contact_in_aftercare_is_recorded_where_the_old_error_spoke_of_consent(people, aftercare):
    services.activity_add(user=people["ola"], followup=aftercare, instance=_contact(TODAY))
    last = aftercare.aftercare_until
    services.activity_add(user=people["ola"], followup=aftercare, instance=_contact(last))
    assert aftercare.contacts.count() == 2
    after = last + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.activity_add(user=people["ola"], followup=aftercare, instance=_contact(after))
    assert nb(refused.value) == (
        f"Datoen ({after:%d.%m.%Y}) er etter at oppfølgingen etter opphevelse sluttet "
        f"({last:%d.%m.%Y})."
    )
    before = LIFTED_ON - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.activity_add(user=people["ola"], followup=aftercare, instance=_contact(before))
    assert nb(refused.value) == (
        f"Datoen ({before:%d.%m.%Y}) er før oppfølgingen etter opphevelse begynte med "
        f"opphevelsesvedtaket av {LIFTED_ON:%d.%m.%Y}."
    )


def test_a_phase_is_not_recorded_in_aftercare(people, aftercare):
    with pytest.raises(ValidationError) as refused:
        services.activity_add(
            user=people["ola"],
            followup=aftercare,
            instance=PhaseChange(phase="crisis", from_date=TODAY),
        )
    assert nb(refused.value) == (
        "I oppfølgingen etter opphevelse registreres kontakter, levekår og henvisninger til "
        "andre tjenester."
    )


def test_a_report_is_written_while_aftercare_lasts_and_not_after(people, aftercare):
    report = FollowUpReport(period_start=LIFTED_ON, period_end=TODAY, summary="Ettervern")
    services.report_write(user=people["ola"], followup=aftercare, report=report)
    set_columns(
        type(aftercare).objects.filter(pk=aftercare.pk), aftercare_until=TODAY - timedelta(days=1)
    )
    aftercare.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_write(
            user=people["ola"],
            followup=aftercare,
            report=FollowUpReport(period_start=LIFTED_ON, period_end=TODAY, summary="For sent"),
        )


def test_the_end_of_aftercare_is_reminded_four_weeks_before_and_not_after(people, aftercare):
    end = aftercare.aftercare_until
    name = aftercare.parent.full_name

    def reminded(user, today):
        with translation.override("en"):
            return [
                r
                for r in selectors.reminders_for(user, today=today)
                if r.text == f"Follow-up after reunification ends for {name}"
            ]

    for who in ("ola", "kari", "siri"):
        assert reminded(people[who], end - timedelta(days=29)) == []
        shown = reminded(people[who], end - timedelta(days=28))
        assert [r.due for r in shown] == [end] and shown[0].case_id == aftercare.case.pk
        assert reminded(people[who], end) != []
        assert reminded(people[who], end + timedelta(days=1)) == []
    assert reminded(people["per"], end) == []


# Pages ------------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_aftercare_box_with_its_actions(client, people, aftercare):
    client.force_login(people["ola"])
    with translation.override("nb"):
        page = client.get(
            reverse("followup:detail", args=[aftercare.case.pk, aftercare.pk]),
            HTTP_ACCEPT_LANGUAGE="nb",
        ).content.decode()
    days = (aftercare.aftercare_until - TODAY).days
    assert (
        "Oppfølging etter opphevelse av omsorgsovertakelsen (barnevernsloven (2021) § 8-7)" in page
    )
    assert LIFTED_ON.strftime("%d.%m.%Y") in page
    assert aftercare.aftercare_until.strftime("%d.%m.%Y") in page
    assert f"Pågår: {days} dager igjen" in page
    step = reverse("followup:step", args=[aftercare.case.pk, aftercare.pk, "kontakt"])
    assert step in page
    assert reverse("followup:step", args=[aftercare.case.pk, aftercare.pk, "fase"]) not in page
    assert reverse("followup:report_add", args=[aftercare.case.pk, aftercare.pk]) in page


def test_a_contact_in_aftercare_through_the_page(client, people, aftercare):
    client.force_login(people["ola"])
    url = reverse("followup:step", args=[aftercare.case.pk, aftercare.pk, "kontakt"])
    data = {
        "held_on": TODAY,
        "with_whom": "parent",
        "place": "home",
        "method": "conversation",
        "minutes": 45,
        "notes": "Hjemme igjen",
    }
    assert client.post(url, data).status_code == 302
    late = aftercare.aftercare_until + timedelta(days=1)
    refused = client.post(url, {**data, "held_on": late, "notes": "For sent"})
    assert refused.status_code == 200
    assert_typed_values_kept(refused, {**data, "held_on": late.isoformat(), "notes": "For sent"})
    assert aftercare.contacts.count() == 1


def test_the_close_page_says_how_long_aftercare_may_last_and_keeps_what_was_typed(
    client,
    people,
    followup,  # noqa: F811
    lifted,
):
    _activate(people, followup)
    client.force_login(people["ola"])
    url = reverse("followup:close", args=[followup.case.pk, followup.pk])
    latest = rules.after_lifting_until(LIFTED_ON)
    with translation.override("nb"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert f"kan vare til og med {latest:%d.%m.%Y}" in page
    data = {
        "closed_on": TODAY.isoformat(),
        "reason": "reunified",
        "note": "Flyttet hjem",
        "aftercare_until": (latest + timedelta(days=1)).isoformat(),
    }
    refused = client.post(url, with_opened_version(client, url, data))
    assert refused.status_code == 200 and "ble oppgitt" in refused.content.decode()
    assert_typed_values_kept(refused, data)
    data["aftercare_until"] = ""
    assert client.post(url, with_opened_version(client, url, data)).status_code == 302
    followup.refresh_from_db()
    assert followup.state == State.CLOSED and followup.aftercare_until == latest
