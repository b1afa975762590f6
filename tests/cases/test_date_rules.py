"""Every date of a child's case within the bounds that make sense for it (`cases.date_rules`):
one test per rule, through the form the user fills in, with the Norwegian message that names
both dates; a date on the boundary is accepted; the demo keeps every rule.

case_a (conftest): opened 15.01.2025, the child born 04.05.2016, a care-order placement from
01.02.2025, no end.
"""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from sammen.access.models import AccessGrant
from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    ChildCase,
    Person,
    Placement,
    TribunalDecision,
)

from .. import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


def dmy(day: date) -> str:
    return f"{day:%d.%m.%Y}"


@pytest.fixture
def as_kari(client, people):
    client.force_login(people["kari"])
    return client


@pytest.fixture
def child(case_a):
    return case_a.persons.get(relation="child")


@pytest.fixture
def decision(case_a):
    return TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 1, 20), kind="care_order"
    )


def refused(response, field: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors.get(field, [])


# --- The case ------------------------------------------------------------------------------


def case_data(case, **changes):
    return {
        "section": case.section_id,
        "caseworker": case.caseworker_id,
        "opened_on": "2025-01-15",
        "closed_on": "",
        "petition_status": "none",
        "petition_date": "",
        "expected_version": case.version,
        **changes,
    }


CASE_RULES = [
    pytest.param(
        {"opened_on": TOMORROW.isoformat()},
        "opened_on",
        f"Saken kan ikke opprettes fram i tid ({dmy(TOMORROW)}).",
        id="opened in the future",
    ),
    pytest.param(
        {"opened_on": "2016-05-03"},
        "opened_on",
        "Saken kan ikke opprettes (03.05.2016) før barnet ble født (04.05.2016).",
        id="opened before the child was born",
    ),
    pytest.param(
        {"closed_on": "2025-01-14"},
        "closed_on",
        "Saken kan ikke avsluttes (14.01.2025) før den ble opprettet (15.01.2025).",
        id="closed before opened",
    ),
    pytest.param(
        {"closed_on": TOMORROW.isoformat()},
        "closed_on",
        f"Saken kan ikke avsluttes fram i tid ({dmy(TOMORROW)}).",
        id="closed in the future",
    ),
    pytest.param(
        {"petition_status": "preparing", "petition_date": "2025-01-10"},
        "petition_date",
        "Datoen for begjæringen (10.01.2025) kan ikke være før saken ble opprettet (15.01.2025).",
        id="petition before the case",
    ),
    pytest.param(
        {"petition_status": "sent", "petition_date": TOMORROW.isoformat()},
        "petition_date",
        f"En begjæring kan ikke være sendt fram i tid ({dmy(TOMORROW)}).",
        id="petition sent in the future",
    ),
]


@pytest.mark.parametrize("changes, field, message", CASE_RULES)
def test_the_dates_of_the_case(as_kari, case_a, changes, field, message):
    response = as_kari.post(reverse("cases:edit", args=[case_a.pk]), case_data(case_a, **changes))
    assert refused(response, field) == [message]
    assert ChildCase.objects.get(pk=case_a.pk).version == case_a.version


def test_the_case_dates_on_their_bounds_are_accepted(as_kari, case_a):
    changes = {
        "opened_on": "2016-05-04",  # the child's birthday
        "closed_on": TODAY.isoformat(),
        "petition_status": "sent",
        "petition_date": TODAY.isoformat(),
    }
    response = as_kari.post(reverse("cases:edit", args=[case_a.pk]), case_data(case_a, **changes))
    assert response.status_code == 302
    assert ChildCase.objects.get(pk=case_a.pk).closed_on == TODAY


def test_a_planned_petition_may_have_a_date_ahead(as_kari, case_a):
    changes = {"petition_status": "preparing", "petition_date": TOMORROW.isoformat()}
    response = as_kari.post(reverse("cases:edit", args=[case_a.pk]), case_data(case_a, **changes))
    assert response.status_code == 302


def test_a_new_case_for_a_child_born_after_the_opening_date_is_refused(as_kari, people, section_a):
    opened, birth = TODAY - timedelta(days=10), TODAY - timedelta(days=5)
    data = {
        "child-first_name": "Nyfødt",
        "child-last_name": "Testesen",
        "child-date_of_birth": birth.isoformat(),
        "section": section_a.pk,
        "caseworker": people["kari"].pk,
        "opened_on": opened.isoformat(),
        "petition_status": "none",
    }
    response = as_kari.post(reverse("cases:create"), data)
    assert response.status_code == 200
    assert response.context["child_form"].errors["date_of_birth"] == [
        f"Barnets fødselsdato ({dmy(birth)}) er etter at saken ble opprettet ({dmy(opened)})."
    ]
    assert not Person.objects.filter(first_name="Nyfødt").exists()
    data["opened_on"] = birth.isoformat()  # opened the day the child was born
    assert as_kari.post(reverse("cases:create"), data).status_code == 302


# --- Persons -------------------------------------------------------------------------------


def person_data(person, **changes):
    return {
        "relation": person.relation,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "expected_version": person.version,
        **changes,
    }


def test_a_date_of_birth_in_the_future(as_kari, case_a):
    mother = case_a.persons.get(relation="mother")
    url = reverse("cases:person_edit", args=[case_a.pk, mother.pk])
    response = as_kari.post(url, person_data(mother, date_of_birth=TOMORROW.isoformat()))
    assert refused(response, "date_of_birth") == [
        f"Fødselsdatoen ({dmy(TOMORROW)}) kan ikke være fram i tid."
    ]


def test_the_child_born_after_the_case_was_opened(as_kari, case_a, child):
    url = reverse("cases:person_edit", args=[case_a.pk, child.pk])
    response = as_kari.post(url, person_data(child, date_of_birth="2025-01-16"))
    assert refused(response, "date_of_birth") == [
        "Barnets fødselsdato (16.01.2025) er etter at saken ble opprettet (15.01.2025)."
    ]


def test_the_child_born_after_a_placement_started(as_kari, case_a, child):
    f.set_columns(ChildCase.objects.filter(pk=case_a.pk), opened_on=date(2025, 6, 1))
    url = reverse("cases:person_edit", args=[case_a.pk, child.pk])
    response = as_kari.post(url, person_data(child, date_of_birth="2025-03-01"))
    assert refused(response, "date_of_birth") == [
        "Barnets fødselsdato (01.03.2025) er etter starten på en plassering (01.02.2025)."
    ]


def test_the_child_born_after_a_tribunal_decision(as_kari, case_a, child):
    TribunalDecision.objects.create(case=case_a, decided_on=date(2024, 6, 1), kind="other")
    url = reverse("cases:person_edit", args=[case_a.pk, child.pk])
    response = as_kari.post(url, person_data(child, date_of_birth="2024-07-01"))
    assert refused(response, "date_of_birth") == [
        "Barnets fødselsdato (01.07.2024) er etter et nemndsvedtak (01.06.2024)."
    ]


def test_a_childs_birth_on_the_day_the_case_was_opened_is_accepted(as_kari, case_a, child):
    url = reverse("cases:person_edit", args=[case_a.pk, child.pk])
    f.set_columns(Placement.objects.filter(case=case_a), start_date=date(2025, 1, 15))
    response = as_kari.post(url, person_data(child, date_of_birth="2025-01-15"))
    assert response.status_code == 302


# --- Placements ----------------------------------------------------------------------------


def placement_data(place, **changes):
    # Before case_a's ongoing placement (from 01.02.2025): no overlap.
    return {
        "kind": "emergency",
        "place": place.pk,
        "legal_basis": "",
        "start_date": "2024-11-01",
        "end_date": "2024-12-31",
        **changes,
    }


def test_a_placement_that_ends_before_it_starts(as_kari, case_a, place):
    url = reverse("cases:placement_add", args=[case_a.pk])
    response = as_kari.post(url, placement_data(place, end_date="2024-10-31"))
    assert refused(response, "end_date") == [
        "Plasseringen kan ikke slutte (31.10.2024) før den starter (01.11.2024)."
    ]


def test_a_placement_that_starts_before_the_child_was_born(as_kari, case_a, place):
    url = reverse("cases:placement_add", args=[case_a.pk])
    data = placement_data(place, start_date="2016-05-03", end_date="2016-06-01")
    response = as_kari.post(url, data)
    assert refused(response, "start_date") == [
        "Plasseringen kan ikke starte (03.05.2016) før barnet ble født (04.05.2016)."
    ]


def test_a_placement_end_more_than_two_years_ahead(as_kari, case_a, place):
    placement = case_a.placements.get()
    latest = TODAY + relativedelta(years=2)
    url = reverse("cases:placement_edit", args=[case_a.pk, placement.pk])
    data = placement_data(
        place,
        kind="care_order",
        start_date="2025-02-01",
        end_date=(latest + timedelta(days=1)).isoformat(),
        expected_version=placement.version,
    )
    response = as_kari.post(url, data)
    assert refused(response, "end_date") == [
        f"Sluttdatoen ({dmy(latest + timedelta(days=1))}) er mer enn to år fram i tid "
        f"(etter {dmy(latest)}). La feltet stå tomt til slutten er kjent."
    ]
    data["end_date"] = latest.isoformat()
    assert as_kari.post(url, data).status_code == 302


# --- Tribunal decisions --------------------------------------------------------------------


def decision_data(**changes):
    return {"decided_on": "2025-01-20", "kind": "care_order", "summary": "Omsorg", **changes}


def test_a_decision_date_in_the_future(as_kari, case_a):
    url = reverse("cases:decision_add", args=[case_a.pk])
    response = as_kari.post(url, decision_data(decided_on=TOMORROW.isoformat()))
    assert refused(response, "decided_on") == [
        f"Vedtaksdatoen ({dmy(TOMORROW)}) kan ikke være fram i tid."
    ]


def test_a_decision_from_before_the_child_was_born(as_kari, case_a):
    url = reverse("cases:decision_add", args=[case_a.pk])
    response = as_kari.post(url, decision_data(decided_on="2016-05-03"))
    assert refused(response, "decided_on") == [
        "Vedtaket (03.05.2016) kan ikke være fra før barnet ble født (04.05.2016)."
    ]


def test_a_decision_on_the_childs_birthday_or_today_is_accepted(as_kari, case_a):
    url = reverse("cases:decision_add", args=[case_a.pk])
    for day in ("2016-05-04", TODAY.isoformat()):
        assert as_kari.post(url, decision_data(decided_on=day)).status_code == 302


def test_changing_a_decision_to_a_date_in_the_future_is_refused(as_kari, case_a, decision):
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    data = decision_data(
        decided_on=TOMORROW.isoformat(), reason="Feil dato", expected_version=decision.version
    )
    response = as_kari.post(url, data)
    assert refused(response, "decided_on") == [
        f"Vedtaksdatoen ({dmy(TOMORROW)}) kan ikke være fram i tid."
    ]
    assert TribunalDecision.objects.get(pk=decision.pk).number == 1


# --- Care plans ----------------------------------------------------------------------------


def care_plan_data(decision, **changes):
    return {
        "kind": "final",
        "decision": decision.pk,
        "made_on": "2025-03-01",
        "next_review_on": "2025-09-01",
        **changes,
    }


def test_a_care_plan_dated_in_the_future(as_kari, case_a, decision):
    url = reverse("cases:careplan_add", args=[case_a.pk])
    data = care_plan_data(decision, made_on=TOMORROW.isoformat(), next_review_on="")
    response = as_kari.post(url, data)
    assert refused(response, "made_on") == [
        f"Datoen for omsorgsplanen ({dmy(TOMORROW)}) kan ikke være fram i tid."
    ]


def test_a_final_care_plan_from_before_its_care_order(as_kari, case_a, decision):
    url = reverse("cases:careplan_add", args=[case_a.pk])
    response = as_kari.post(url, care_plan_data(decision, made_on="2025-01-10"))
    assert refused(response, "made_on") == [
        "En endelig omsorgsplan (10.01.2025) kan ikke være fra før vedtaket om "
        "omsorgsovertakelse (20.01.2025)."
    ]


def test_a_preliminary_care_plan_may_come_before_the_care_order(as_kari, case_a, decision):
    url = reverse("cases:careplan_add", args=[case_a.pk])
    data = care_plan_data(decision, kind="preliminary", made_on="2025-01-10")
    assert as_kari.post(url, data).status_code == 302


def test_a_care_plan_review_not_after_the_plan(as_kari, case_a, decision):
    url = reverse("cases:careplan_add", args=[case_a.pk])
    response = as_kari.post(url, care_plan_data(decision, next_review_on="2025-03-01"))
    assert refused(response, "next_review_on") == [
        "Neste gjennomgang (01.03.2025) må være etter datoen for planen (01.03.2025)."
    ]
    assert not CarePlan.objects.filter(case=case_a).exists()


# --- Action plans --------------------------------------------------------------------------


def action_plan_data(**changes):
    return {
        "starts_on": "2025-03-01",
        "ends_on": "2025-09-01",
        "goals": "Trygg hverdag",
        "evaluated_on": "",
        **changes,
    }


@pytest.mark.parametrize(
    "changes, field, message",
    [
        pytest.param(
            {"ends_on": "2025-02-28"},
            "ends_on",
            "Tiltaksplanen kan ikke slutte (28.02.2025) før den starter (01.03.2025).",
            id="ends before it starts",
        ),
        pytest.param(
            {"evaluated_on": "2025-02-15"},
            "evaluated_on",
            "Evalueringen (15.02.2025) kan ikke være før tiltaksplanen starter (01.03.2025).",
            id="evaluated before it starts",
        ),
        pytest.param(
            {"evaluated_on": TOMORROW.isoformat()},
            "evaluated_on",
            f"Evalueringen ({dmy(TOMORROW)}) kan ikke være fram i tid.",
            id="evaluated in the future",
        ),
    ],
)
def test_the_dates_of_an_action_plan(as_kari, case_a, changes, field, message):
    url = reverse("cases:actionplan_add", args=[case_a.pk])
    response = as_kari.post(url, action_plan_data(**changes))
    assert refused(response, field) == [message]
    assert not ActionPlan.objects.filter(case=case_a).exists()


# --- Access grants -------------------------------------------------------------------------


def _minutes(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_grant_that_ends_in_the_past(client, people, case_a):
    client.force_login(people["siri"])
    until = timezone.now() - timedelta(days=1)
    data = {
        "user": people["per"].pk,
        "reason": "Ferievikar for Kari",
        "valid_until": _minutes(until),
    }
    response = client.post(reverse("cases:grants", args=[case_a.pk]), data)
    shown = timezone.localtime(until).strftime("%d.%m.%Y %H:%M")
    assert refused(response, "valid_until") == [f"Sluttidspunktet ({shown}) må være fram i tid."]


def test_a_grant_longer_than_90_days(client, people, case_a):
    client.force_login(people["siri"])
    until = timezone.now() + timedelta(days=91)
    data = {
        "user": people["per"].pk,
        "reason": "Ferievikar for Kari",
        "valid_until": _minutes(until),
    }
    response = client.post(reverse("cases:grants", args=[case_a.pk]), data)
    [message] = refused(response, "valid_until")
    assert message.startswith("Tilgang kan gis for høyst 90 dager (til ")
    assert not AccessGrant.objects.filter(case=case_a).exists()


def test_a_grant_must_end_after_it_starts(people, case_a):
    start = timezone.now() + timedelta(days=3)
    grant = AccessGrant(
        case=case_a,
        user=people["per"],
        granted_by=people["siri"],
        reason="Ferievikar for Kari",
        valid_from=start,
        valid_until=start - timedelta(hours=1),
    )
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        grant.full_clean()
    begins = timezone.localtime(start)
    ends = begins - timedelta(hours=1)
    assert error.value.message_dict["valid_until"] == [
        f"Tilgangen må slutte ({ends:%d.%m.%Y %H:%M}) etter at den starter "
        f"({begins:%d.%m.%Y %H:%M})."
    ]


# --- Services check the same rules; forms that do not show a date leave its rule out -------


def test_a_service_refuses_what_the_form_would(people, case_a):
    decision = TribunalDecision(case=case_a, decided_on=TOMORROW, kind="other")
    from sammen.cases import services

    with pytest.raises(ValidationError) as error:
        services.decision_save(
            user=people["kari"], case=case_a, decision=decision, expected_version=None
        )
    assert "decided_on" in error.value.message_dict
    assert not TribunalDecision.objects.filter(case=case_a).exists()


def test_the_team_can_be_changed_on_a_case_with_dates_out_of_order(client, people, case_a):
    """Stored dates that break a rule (written before it existed) do not block the team form,
    which has no dates to correct."""
    f.set_columns(ChildCase.objects.filter(pk=case_a.pk), closed_on=TOMORROW)
    case_a.refresh_from_db()
    client.force_login(people["siri"])
    data = {
        "caseworker": people["kari"].pk,
        "counsellors": [people["per"].pk],
        "expected_version": case_a.version,
    }
    assert client.post(reverse("cases:team", args=[case_a.pk]), data).status_code == 302


# --- The demo keeps every rule -------------------------------------------------------------


@pytest.fixture
def demo():
    from sammen.demo.builder import load_demo

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with transaction.atomic(), fast:
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
def test_the_demo_keeps_every_date_rule_and_every_decision_has_its_versions():
    broken = []
    for model in (ChildCase, Person, Placement, TribunalDecision, CarePlan, ActionPlan):
        for record in model.objects.all():
            for field, message in record.date_problems(set()).items():
                broken.append(f"{model.__name__} {record.pk} {field}: {message}")
    assert not broken, "\n".join(broken[:30])
    for decision in TribunalDecision.objects.prefetch_related("versions"):
        numbers = sorted(v.number for v in decision.versions.all())
        assert numbers == list(range(1, decision.number + 1)), decision.pk
    assert TribunalDecision.objects.filter(number=2).exists()  # the demo shows a change
