"""Data version tokens (core.versioning): every kind of write to a unit's or a case's data gives
it a new token, and only to that unit and case; the pages that keep what they computed rely on it.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from sammen.cases.models import LegalReference
from sammen.core import versioning
from sammen.timelog.models import TimeEntry
from tests import factories as f
from tests.insights import data

pytestmark = pytest.mark.django_db


def unit_token(unit):
    return versioning.unit_tokens([unit.pk]).get(unit.pk)


def case_token(case):
    return versioning.case_tokens([case.pk]).get(case.pk)


@pytest.fixture
def other_case():
    unit = f.make_unit("Bydel Sørvik")
    section = f.make_section(unit, "Seksjon sør")
    worker = f.make_user("tora", "caseworker", unit=unit, section=section)
    return f.make_case(section=section, caseworker=worker)


def _tables_with_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [versioning.TRIGGER + "%"],
            )
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [versioning.TRIGGER],
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_watched_table_has_its_trigger():
    watched = {m._meta.db_table for m in versioning.watched_models(apps)}
    assert {"timelog_timeentry", "followup_contact", "visits_visitsession"} <= watched
    assert watched <= _tables_with_triggers()


def test_every_app_of_the_project_with_tables_is_watched_or_says_why_not():
    labels = {
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("sammen.") and list(config.get_models())
    }
    assert labels == set(versioning.WATCHED_APPS) | set(versioning.UNWATCHED_APPS)


def _names(level):
    found = {}
    for model in versioning.watched_models(apps):
        fields = versioning.path(model, level)
        found[model._meta.db_table] = None if fields is None else [x.name for x in fields]
    return found


def test_rows_find_their_unit_through_their_case_not_through_a_user_or_a_flat():
    names = _names(versioning.UNIT)
    assert names["visits_visitsession"] == ["plan", "case", "section", "unit"]
    assert names["followup_contact"] == ["followup", "referral", "case", "section", "unit"]
    assert names["timelog_timeentry"] == ["case", "section", "unit"]
    assert names["org_user"] == ["unit"]
    assert names["visits_visitflat"] == ["unit"]
    assert names["cases_legalreference"] is None  # renews every unit


def test_rows_find_their_case_and_shared_rows_renew_every_case():
    names = _names(versioning.CASE)
    assert names["visits_visitsession"] == ["plan", "case"]
    assert names["cases_visitationruling"] == ["decision", "case"]
    assert names["cases_childcase"] == []
    assert names["org_user"] is None  # a name shown on many cases
    assert names["cases_placementplace"] is None


def test_each_kind_of_write_gives_the_unit_and_the_case_a_new_token(people, case_a, unit):
    entry = data.entry(people["ola"], case_a, date(2025, 3, 1), "visit", "2")
    seen = {(unit_token(unit), case_token(case_a))}
    TimeEntry.objects.filter(pk=entry.pk).update(hours=Decimal("3"))  # no save(), no signal
    seen.add((unit_token(unit), case_token(case_a)))
    TimeEntry.objects.bulk_create(
        [
            TimeEntry(
                counsellor=people["ola"],
                case=case_a,
                section_id=case_a.section_id,
                worked_on=date(2025, 3, 2),
                activity="travel",
                hours=Decimal("1"),
            )
        ]
    )
    seen.add((unit_token(unit), case_token(case_a)))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timelog_timeentry SET km = 5 WHERE id = %s", [entry.pk])
    seen.add((unit_token(unit), case_token(case_a)))
    entry.delete()
    seen.add((unit_token(unit), case_token(case_a)))
    units, cases = zip(*seen, strict=True)
    assert None not in units and None not in cases
    assert len(set(units)) == len(set(cases)) == 5


def test_a_write_elsewhere_or_a_login_leaves_the_tokens(people, case_a, case_b, unit, other_case):
    data.entry(people["ola"], case_a, date(2025, 3, 1), "visit", "2")
    data.entry(people["ola"], case_b, date(2025, 3, 1), "visit", "2")
    before = unit_token(unit), case_token(case_a)
    data.entry(other_case.caseworker, other_case, date(2025, 3, 1), "visit", "2")
    data.entry(people["ola"], case_b, date(2025, 3, 2), "visit", "2")
    assert case_token(case_a) == before[1]  # another case of the same unit
    people["ola"].last_login = timezone.now()
    people["ola"].save(update_fields=["last_login"])
    assert case_token(case_a) == before[1]
    assert unit_token(unit) != before[0]  # case B is in the unit
    unit_before = unit_token(unit)
    data.entry(other_case.caseworker, other_case, date(2025, 3, 3), "visit", "2")
    assert unit_token(unit) == unit_before  # another unit
    epoch = versioning.case_tokens([versioning.EPOCH])[versioning.EPOCH]
    people["ola"].first_name = "Ola Nordmann"
    people["ola"].save(update_fields=["first_name"])  # names show on the pages
    assert unit_token(unit) != unit_before
    # A name shows on many cases: the cases' epoch, which every kept case page holds, is new;
    # the cases' own rows are left alone (one row to lock, not one per case).
    assert versioning.case_tokens([versioning.EPOCH])[versioning.EPOCH] != epoch
    assert case_token(case_a) == before[1]


def test_a_row_with_no_unit_or_case_to_find_renews_the_epochs(place, case_a, unit):
    epochs = versioning.unit_tokens([0])[0], versioning.case_tokens([0])[0]
    before = unit_token(unit), case_token(case_a)
    LegalReference.objects.create(key="bvl-test", act="Testloven", provision="§ 0", title="Test")
    assert versioning.unit_tokens([0])[0] != epochs[0]
    assert versioning.case_tokens([0])[0] != epochs[1]
    assert (unit_token(unit), case_token(case_a)) == before
    epochs = versioning.case_tokens([0])[0]
    place.name = "Fosterhjem Lien og Dal"
    place.save()
    assert versioning.case_tokens([0])[0] != epochs


def test_a_bulk_load_with_the_triggers_suspended_renews_every_token(people, case_a, unit):
    data.entry(people["ola"], case_a, date(2025, 3, 1), "visit", "2")
    before = unit_token(unit), case_token(case_a)
    with versioning.suspended():
        TimeEntry.objects.filter(case=case_a).update(hours=Decimal("9"))
        assert (unit_token(unit), case_token(case_a)) == before  # no trigger ran
    assert unit_token(unit) != before[0]
    assert case_token(case_a) != before[1]
    assert {m._meta.db_table for m in versioning.watched_models(apps)} <= _tables_with_triggers()
