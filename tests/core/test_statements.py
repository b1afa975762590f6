"""ORM statements compiled once per shape (`core.statements`): the same rows as the ORM gives
on every call, whatever the values, and a clear error instead of a guess."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

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
        if pk > 100:  # a marker is in the value's integer range, here above 100
            entries = entries.filter(pk=pk)
        return entries.values_list("pk")

    @statement
    def of_kind(*, pk):
        kind = Activity.VISIT.value if pk > 100 else Activity.TRAVEL.value
        return TimeEntry.objects.filter(pk=pk, activity=kind).values_list("pk")

    with pytest.raises(StatementError, match="changes the SQL"):
        positive(pk=3)
    with pytest.raises(StatementError, match="another path"):
        of_kind(pk=3)


def test_an_int_outside_its_fields_range_drops_the_lookup_as_the_orm_does(people, world):
    @statement
    def at_least(*, minutes):
        return Contact.objects.filter(minutes__gte=minutes).order_by("pk").values_list("pk")

    @statement
    def exactly(*, minutes):
        return Contact.objects.filter(minutes=minutes).order_by("pk").values_list("pk")

    everything = list(Contact.objects.order_by("pk").values_list("pk"))
    assert everything
    # -1 is below a PositiveSmallIntegerField's range: the ORM drops the lookup (all rows).
    for minutes in (-1, 61, 60, 0, -40000, 70000, 59, -1, 61):
        for one in (at_least, exactly):
            assert one(minutes=minutes) == one.fresh(minutes=minutes), (one, minutes)
    assert at_least(minutes=-1) == everything
    assert at_least(minutes=61) == []
    assert exactly(minutes=60) == everything


def test_zero_and_the_empty_string_are_shapes_of_their_own(people):
    @statement
    def chosen(*, pk, username):
        users = User.objects.order_by("pk")
        if pk:
            users = users.filter(pk=pk)
        if username:
            users = users.filter(username=username)
        return users.values_list("username")

    ola = people["ola"].pk
    for pk, username in ((ola, ""), (0, ""), (ola, "ola"), (0, "per"), (ola, "per"), (0, "")):
        assert chosen(pk=pk, username=username) == chosen.fresh(pk=pk, username=username)
    assert len(chosen(pk=0, username="")) == User.objects.count() > 1


def test_the_time_zone_and_the_language_are_part_of_the_shape(people, case_a):
    @statement
    def ending_on(*, day):
        return AccessGrant.objects.filter(valid_until__date=day).values_list("pk")

    oslo = timezone.get_current_timezone()
    grant = AccessGrant.objects.create(
        case=case_a,
        user=people["per"],
        granted_by=people["siri"],
        reason="Vikar",
        valid_until=datetime(2027, 3, 1, 0, 30, tzinfo=oslo),  # 28 February in New York
    )
    assert ending_on(day=date(2027, 3, 1)) == [(grant.pk,)]
    with timezone.override("America/New_York"):
        assert ending_on(day=date(2027, 3, 1)) == ending_on.fresh(day=date(2027, 3, 1)) == []
        assert ending_on(day=date(2027, 2, 28)) == [(grant.pk,)]
    assert ending_on(day=date(2027, 2, 28)) == []
    with translation.override("en"):
        english = statements._shape({"day": date(2027, 3, 1)})
    with translation.override("nb"):
        assert statements._shape({"day": date(2027, 3, 1)}) != english


def test_naive_datetimes_and_values_a_lookup_rewrites_are_refused(people, unit):
    @statement
    def named(*, username):
        return User.objects.filter(username__iexact=username).values_list("username")

    with pytest.raises(StatementError, match="aware"):
        grants_until(until=datetime(2027, 1, 1, 12), case_ids=[1])
    # iexact escapes LIKE wildcards on SQLite: the value the database gets is not the one
    # passed, so it cannot be a slot.
    f.make_user("a_b", Role.COUNSELLOR, unit=unit)
    f.make_user("axb", Role.COUNSELLOR, unit=unit)
    if connection.vendor == "sqlite":  # LIKE with the wildcards escaped
        with pytest.raises(StatementError):
            named(username="a_b")
    else:  # UPPER(%s): the value goes to the database as it is
        for name in ("a_b", "A_B", "axb", "a%"):
            assert named(username=name) == named.fresh(username=name)
    assert named.fresh(username="a_b") == [("a_b",)]


def test_the_shapes_used_last_are_kept_and_long_lists_are_built_each_call(
    people, case_a, monkeypatch
):
    monkeypatch.setattr(statements, "SHAPES_PER_STATEMENT", 2)

    @statement
    def cases_in(*, cases):
        return TimeEntry.objects.filter(case_id__in=cases).values_list("pk")

    one, two, three = [case_a.pk], [case_a.pk, 1], [case_a.pk, 1, 2]
    for cases in (one, two, one, three):
        cases_in(cases=cases)
    kept = [shape[-1][1][1] for shape in cases_in._compiled]
    assert [len(items) for items in kept] == [1, 3]  # `one` was used again, `two` dropped
    many = list(range(1, statements.LIST_ITEMS_COMPILED + 2))
    assert cases_in(cases=many) == cases_in.fresh(cases=many) == []
    assert len(cases_in._compiled) == 2


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
