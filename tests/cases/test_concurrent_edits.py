"""Two people editing the same record: the second save with an outdated version is refused,
keeps what the second person typed, and leaves the first person's save in place."""

from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from sammen.cases.models import ChildCase, Person
from sammen.core.models import ConcurrentEditError

from .form_helpers import assert_typed_values_kept, row_state, saved_counts, shown_values

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kari(people):
    return _client(people["kari"])


@pytest.fixture
def siri(people):
    return _client(people["siri"])


def _opened_version(client, url) -> str:
    """Open the edit form and read the version it carries in its hidden field."""
    response = client.get(url)
    assert response.status_code == 200
    (version,) = shown_values(response)["expected_version"]
    return version


def _assert_refused_as_concurrent(response, data):
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert "ds-error-summary" in response.content.decode()
    assert_typed_values_kept(response, data, ignore=("csrfmiddlewaretoken", "expected_version"))


def _person_data(version, **values):
    return {
        "relation": "mother",
        "first_name": "Anne",
        "last_name": "Testmor",
        "has_parental_responsibility": "on",
        "expected_version": version,
        **values,
    }


# --- a person -----------------------------------------------------------------------------


def test_the_second_save_of_a_person_is_refused_and_keeps_the_first(kari, siri, case_a):
    mother = case_a.persons.get(relation="mother")
    url = reverse("cases:person_edit", args=[case_a.pk, mother.pk])
    kari_version = _opened_version(kari, url)
    siri_version = _opened_version(siri, url)
    assert kari_version == siri_version == "1"

    response = siri.post(url, _person_data(siri_version, phone="11111111", language="polsk"))
    assert response.status_code == 302

    kari_data = _person_data(kari_version, first_name="Typed by Kari", phone="22222222")
    response = kari.post(url, kari_data)
    _assert_refused_as_concurrent(response, kari_data)
    assert 'value="Typed by Kari"' in response.content.decode()

    mother.refresh_from_db()
    assert (mother.first_name, mother.phone, mother.language) == ("Anne", "11111111", "polsk")
    assert mother.version == 2


def test_after_a_refused_save_the_form_carries_the_current_version(kari, siri, case_a):
    mother = case_a.persons.get(relation="mother")
    url = reverse("cases:person_edit", args=[case_a.pk, mother.pk])
    kari_version = _opened_version(kari, url)
    siri.post(url, _person_data(_opened_version(siri, url), phone="11111111"))

    refused = kari.post(url, _person_data(kari_version, phone="22222222"))
    assert shown_values(refused)["expected_version"] == ["2"]

    # Kari has now seen the warning; a deliberate second submit goes through.
    response = kari.post(url, _person_data("2", phone="22222222"))
    assert response.status_code == 302
    mother.refresh_from_db()
    assert (mother.phone, mother.version) == ("22222222", 3)


def test_a_refused_save_writes_nothing_to_the_audit_log_or_any_table(kari, siri, case_a):
    mother = case_a.persons.get(relation="mother")
    url = reverse("cases:person_edit", args=[case_a.pk, mother.pk])
    kari_version = _opened_version(kari, url)
    siri.post(url, _person_data(_opened_version(siri, url), phone="11111111"))
    before, state = saved_counts(), row_state(mother)

    kari.post(url, _person_data(kari_version, phone="22222222"))

    assert saved_counts() == before
    assert row_state(mother) == state


def test_a_save_without_a_version_is_refused_for_an_existing_person(kari, case_a):
    mother = case_a.persons.get(relation="mother")
    url = reverse("cases:person_edit", args=[case_a.pk, mother.pk])
    response = kari.post(url, _person_data("", phone="22222222"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    mother.refresh_from_db()
    assert mother.phone == ""


# --- a placement --------------------------------------------------------------------------


def _placement_data(placement, version, **values):
    return {
        "kind": placement.kind,
        "place": placement.place_id,
        "legal_basis": "",
        "start_date": placement.start_date.isoformat(),
        "end_date": "",
        "notes": "",
        "expected_version": version,
        **values,
    }


def test_the_second_save_of_a_placement_is_refused_and_keeps_the_first(kari, siri, case_a):
    placement = case_a.placements.get()
    url = reverse("cases:placement_edit", args=[case_a.pk, placement.pk])
    kari_version = _opened_version(kari, url)
    siri_version = _opened_version(siri, url)

    siri_data = _placement_data(placement, siri_version, end_date="2025-06-30", notes="By Siri")
    assert siri.post(url, siri_data).status_code == 302

    kari_data = _placement_data(placement, kari_version, end_date="2025-05-31", notes="By Kari")
    response = kari.post(url, kari_data)
    _assert_refused_as_concurrent(response, kari_data)
    assert 'value="2025-05-31"' in response.content.decode()

    placement.refresh_from_db()
    assert (placement.end_date, placement.notes) == (date(2025, 6, 30), "By Siri")


# --- the case itself ----------------------------------------------------------------------


def _case_data(case, version, **values):
    return {
        "section": case.section_id,
        "caseworker": case.caseworker_id,
        "opened_on": case.opened_on.isoformat(),
        "closed_on": "",
        "petition_status": "none",
        "petition_date": "",
        "expected_version": version,
        **values,
    }


def test_the_second_save_of_the_case_is_refused_and_keeps_the_first(kari, siri, case_a):
    url = reverse("cases:edit", args=[case_a.pk])
    kari_version = _opened_version(kari, url)
    siri_version = _opened_version(siri, url)

    siri_data = _case_data(case_a, siri_version, petition_status="preparing")
    assert siri.post(url, siri_data).status_code == 302

    kari_data = _case_data(case_a, kari_version, petition_status="sent", petition_date="2025-03-03")
    response = kari.post(url, kari_data)
    _assert_refused_as_concurrent(response, kari_data)

    case_a.refresh_from_db()
    assert (case_a.petition_status, case_a.petition_date) == ("preparing", None)
    assert case_a.version == 2


# --- the team -----------------------------------------------------------------------------
# Only the section leader may change the team, so the other editor here changes the case
# through the case form; the team and the case share the case's version.


def test_a_team_change_made_on_an_outdated_case_is_refused(kari, siri, people, case_a):
    team_url = reverse("cases:team", args=[case_a.pk])
    edit_url = reverse("cases:edit", args=[case_a.pk])
    siri_version = _opened_version(siri, team_url)
    kari_version = _opened_version(kari, edit_url)

    kari_data = _case_data(case_a, kari_version, petition_status="preparing")
    assert kari.post(edit_url, kari_data).status_code == 302

    siri_data = {
        "caseworker": people["kari"].pk,
        "counsellors": [people["ola"].pk, people["per"].pk],
        "expected_version": siri_version,
    }
    response = siri.post(team_url, siri_data)
    _assert_refused_as_concurrent(response, siri_data)

    case_a.refresh_from_db()
    assert list(case_a.counsellors.all()) == [people["ola"]]
    assert case_a.petition_status == "preparing"


def test_a_case_edit_made_before_a_team_change_is_refused(kari, siri, people, case_a):
    team_url = reverse("cases:team", args=[case_a.pk])
    edit_url = reverse("cases:edit", args=[case_a.pk])
    kari_version = _opened_version(kari, edit_url)
    siri_version = _opened_version(siri, team_url)

    siri_data = {
        "caseworker": people["kari"].pk,
        "counsellors": [people["per"].pk],
        "expected_version": siri_version,
    }
    assert siri.post(team_url, siri_data).status_code == 302

    kari_data = _case_data(case_a, kari_version, petition_status="preparing")
    response = kari.post(edit_url, kari_data)
    _assert_refused_as_concurrent(response, kari_data)

    case_a.refresh_from_db()
    assert list(case_a.counsellors.all()) == [people["per"]]
    assert case_a.petition_status == "none"


def test_two_team_changes_from_the_same_version_keep_only_the_first(people, case_a):
    first, second = _client(people["siri"]), _client(people["siri"])  # two browser tabs
    url = reverse("cases:team", args=[case_a.pk])
    first_version, second_version = _opened_version(first, url), _opened_version(second, url)
    first_data = {
        "caseworker": people["kari"].pk,
        "counsellors": [people["per"].pk],
        "expected_version": first_version,
    }
    assert first.post(url, first_data).status_code == 302

    second_data = {**first_data, "counsellors": [], "expected_version": second_version}
    response = second.post(url, second_data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert list(case_a.counsellors.all()) == [people["per"]]


# --- VersionedModel.save_versioned --------------------------------------------------------


def test_saving_with_the_current_version_saves_and_increments_the_version(case_a):
    mother = case_a.persons.get(relation="mother")
    mother.phone = "33333333"
    mother.save_versioned(expected_version=1)
    assert mother.version == 2
    stored = Person.objects.get(pk=mother.pk)
    assert (stored.phone, stored.version) == ("33333333", 2)


def test_saving_twice_in_a_row_increments_the_version_each_time(case_a):
    case_a.save_versioned(expected_version=1)
    case_a.save_versioned(expected_version=2)
    assert ChildCase.objects.get(pk=case_a.pk).version == 3


def test_saving_with_an_outdated_version_raises_and_leaves_the_row_unchanged(case_a):
    mother = case_a.persons.get(relation="mother")
    stale = Person.objects.get(pk=mother.pk)
    mother.phone = "11111111"
    mother.save_versioned(expected_version=1)

    stale.phone = "22222222"
    with pytest.raises(ConcurrentEditError):
        stale.save_versioned(expected_version=1)

    stored = Person.objects.get(pk=mother.pk)
    assert (stored.phone, stored.version) == ("11111111", 2)


def test_saving_with_a_version_from_the_future_raises(case_a):
    case_a.petition_status = "preparing"
    with pytest.raises(ConcurrentEditError):
        case_a.save_versioned(expected_version=5)
    stored = ChildCase.objects.get(pk=case_a.pk)
    assert (stored.petition_status, stored.version) == ("none", 1)


def test_a_refused_save_inside_a_transaction_leaves_it_usable(case_a):
    with transaction.atomic():
        with pytest.raises(ConcurrentEditError):
            case_a.save_versioned(expected_version=0)
        assert ChildCase.objects.filter(pk=case_a.pk).exists()
