"""ORM statements compiled once per shape (`core.statements`): the same rows as the ORM gives
on every call, whatever the values, and a clear error instead of a guess."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.core import statements
from sammen.core.statements import Statement, StatementError, statement
from sammen.followup.models import Contact
from sammen.org.models import Role, User
from sammen.timelog.models import Activity, TimeEntry

from .. import factories as f
from ..insights import data

pytestmark = pytest.mark.django_db


@statement
def hours_by_activity(*, sections, cases, start, end, counsellor_id):
    entries = TimeEntry.objects.filter(
        section_id__in=sections, case_id__in=cases, worked_on__range=(start, end)
    )
    if counsellor_id:
        entries = entries.filter(counsellor_id=counsellor_id)
    return (
        entries.values("activity")
        .annotate(hours=Sum("hours"), km=Sum("km"), n=Count("*"))
        .order_by("activity")
        .values_list("activity", "hours", "km", "n")
    )


@statement
def grants_until(*, until, case_ids):
    return (
        AccessGrant.objects.filter(case_id__in=case_ids, valid_until__gte=until)
        .order_by("valid_until", "pk")
        .values_list("pk", "valid_until")
    )


@statement
def contacts_on(*, day, followup_ids):
    return (
        Contact.objects.filter(followup_id__in=followup_ids, held_on__gte=day)
        .order_by("held_on", "pk")
        .values_list("pk", "held_on", "minutes")
    )


@statement
def users_named(*, role, username):
    return User.objects.filter(role=role, username=username).values_list("username", "role")


@pytest.fixture
def world(people, case_a, case_b, place):
    data.build(people, case_a, case_b, place)
    extra = f.make_case(section=case_a.section, caseworker=people["kari"])
    data.entry(people["per"], extra, date(2025, 3, 3), Activity.TRAVEL, "2.25", 40)
    data.entry(people["ola"], extra, date(2025, 7, 3), Activity.OTHER, "0.5")
    return {"extra": extra}


def _value_sets(people, case_a, case_b, world):
    sections = [case_a.section_id, case_b.section_id]
    cases = [case_a.pk, case_b.pk, world["extra"].pk]
    periods = [
        (date(2025, 1, 1), date(2025, 6, 30)),
        (date(2024, 12, 1), date(2025, 12, 31)),
        (date(2025, 3, 3), date(2025, 3, 3)),
        (date(2030, 1, 1), date(2030, 12, 31)),
    ]
    for start, end in periods:
        for counsellor in (None, people["ola"].pk, people["per"].pk):
            for chosen_sections in (sections, sections[:1], sections[1:], []):
                for chosen_cases in (cases, cases[:2], cases[2:], []):
                    yield {
                        "sections": chosen_sections,
                        "cases": chosen_cases,
                        "start": start,
                        "end": end,
                        "counsellor_id": counsellor,
                    }


def test_the_rows_are_the_orms_for_every_value_and_shape(people, case_a, case_b, world):
    calls = 0
    for values in _value_sets(people, case_a, case_b, world):
        assert hours_by_activity(**values) == hours_by_activity.fresh(**values), values
        calls += 1
    # Something was counted, with the ORM's types: the test compares real rows.
    everything = hours_by_activity(
        sections=[case_a.section_id, case_b.section_id],
        cases=[case_a.pk, case_b.pk, world["extra"].pk],
        start=date(2024, 1, 1),
        end=date(2025, 12, 31),
        counsellor_id=None,
    )
    assert ("travel", Decimal("3.25"), Decimal("70.0"), 2) in [
        (a, h.quantize(Decimal("0.01")), k.quantize(Decimal("0.1")), n) for a, h, k, n in everything
    ]
    assert all(isinstance(hours, Decimal) for _, hours, _, _ in everything)
    assert calls == 4 * 3 * 4 * 4


def test_dates_and_aware_datetimes_are_adapted_as_the_orm_adapts_them(people, case_a, world):
    now = timezone.now()
    for days in (1, 2, 5):
        AccessGrant.objects.create(
            case=case_a,
            user=people["per"],
            granted_by=people["siri"],
            reason="Vikar",
            valid_until=now + timedelta(days=days),
        )
    oslo = timezone.get_current_timezone()
    for until in (now, now + timedelta(days=1, hours=1), datetime(2000, 1, 1, tzinfo=oslo)):
        rows = grants_until(until=until, case_ids=[case_a.pk])
        assert rows == grants_until.fresh(until=until, case_ids=[case_a.pk])
        assert all(timezone.is_aware(valid_until) for _, valid_until in rows)
    assert len(grants_until(until=now + timedelta(days=1, hours=1), case_ids=[case_a.pk])) == 2

    followup_ids = list(Contact.objects.values_list("followup_id", flat=True).distinct())
    days = sorted(set(Contact.objects.values_list("held_on", flat=True)))
    assert len(days) > 2
    for day in (date(2000, 1, 1), days[1], days[-1], days[-1] + timedelta(days=1)):
        rows = contacts_on(day=day, followup_ids=followup_ids)
        assert rows == contacts_on.fresh(day=day, followup_ids=followup_ids)
        assert all(isinstance(held_on, date) and held_on >= day for _, held_on, _ in rows)
    assert len(contacts_on(day=days[1], followup_ids=followup_ids)) < Contact.objects.count()


def test_repeated_and_missing_items_of_a_list_are_dropped_as_the_orm_drops_them(
    people, case_a, case_b, world
):
    values = {
        "sections": [case_a.section_id, case_b.section_id],
        "start": date(2024, 1, 1),
        "end": date(2025, 12, 31),
        "counsellor_id": None,
    }
    all_three = [case_a.pk, case_b.pk, world["extra"].pk]
    for cases in (
        all_three,
        [case_a.pk, case_a.pk, case_b.pk],
        [case_b.pk, case_a.pk, case_b.pk],
        [world["extra"].pk, None, world["extra"].pk],
        [case_a.pk, None, case_b.pk],
    ):
        rows = hours_by_activity(**values, cases=cases)
        assert rows == hours_by_activity.fresh(**values, cases=cases), cases
        assert rows
    assert hours_by_activity(**values, cases=[case_a.pk, case_a.pk, case_b.pk]) != (
        hours_by_activity(**values, cases=[case_a.pk, case_b.pk, world["extra"].pk])
    )


def test_strings_are_values_too(people):
    assert users_named(role=Role.COUNSELLOR.value, username="ola") == [("ola", "counsellor")]
    assert users_named(role=Role.COUNSELLOR.value, username="per") == [("per", "counsellor")]
    assert users_named(role=Role.CASEWORKER.value, username="per") == []


def test_one_query_per_call_and_none_when_the_orm_finds_the_query_empty(people, case_a, world):
    values = {
        "sections": [case_a.section_id],
        "cases": [case_a.pk],
        "start": date(2025, 1, 1),
        "end": date(2025, 6, 30),
        "counsellor_id": None,
    }
    hours_by_activity(**values)
    with CaptureQueriesContext(connection) as queries:
        assert hours_by_activity(**values)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert hours_by_activity(**{**values, "cases": []}) == []
    assert len(queries) == 0


def test_a_value_the_builder_computes_from_is_refused():
    @statement
    def next_day(*, day):
        return TimeEntry.objects.filter(worked_on=day + timedelta(days=1)).values_list("pk")

    with pytest.raises(StatementError, match="computed from a value"):
        next_day(day=date(2025, 1, 1))


def test_a_value_that_changes_the_sql_is_refused():
    @statement
    def first_ones(*, n):
        return TimeEntry.objects.order_by("pk").values_list("pk")[: abs(n) % 7 + 1]

    with pytest.raises(StatementError, match="changes the SQL"):
        first_ones(n=3)


def test_a_value_that_steers_the_builder_is_refused():
    @statement
    def positive(*, pk):
        entries = TimeEntry.objects.all()
        if pk > 0:  # markers are negative: only the call's own values take this path
            entries = entries.filter(pk=pk)
        return entries.values_list("pk")

    @statement
    def of_kind(*, pk):
        kind = Activity.VISIT.value if pk > 0 else Activity.TRAVEL.value
        return TimeEntry.objects.filter(pk=pk, activity=kind).values_list("pk")

    with pytest.raises(StatementError, match="changes the SQL"):
        positive(pk=3)
    with pytest.raises(StatementError, match="another path"):
        of_kind(pk=3)


def test_only_values_list_querysets_and_plain_values_are_taken():
    @statement
    def instances(*, pk):
        return TimeEntry.objects.filter(pk=pk)

    with pytest.raises(StatementError, match="values_list"):
        instances(pk=1)
    with pytest.raises(StatementError, match="Decimal"):
        users_named(role="counsellor", username=Decimal(1))
    with pytest.raises(StatementError, match="Role"):
        users_named(role=Role.COUNSELLOR, username="ola")  # a choices member, not a plain str


def test_each_statement_keeps_a_bounded_number_of_shapes(people, case_a, monkeypatch):
    monkeypatch.setattr(statements, "SHAPES_PER_STATEMENT", 3)

    @statement
    def cases_in(*, cases):
        return TimeEntry.objects.filter(case_id__in=cases).values_list("pk")

    for n in range(1, 10):
        assert cases_in(cases=[case_a.pk] * n) == []
    assert len(cases_in._compiled) == 3
    assert isinstance(cases_in, Statement)
