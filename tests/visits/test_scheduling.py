"""Recurring visits in Oslo time, and double bookings of counsellors and flats."""

from datetime import UTC, date, datetime, time, timedelta

from sammen.visits import rules
from sammen.visits.rules import OSLO, Booking


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def test_a_weekly_visit_at_17_stays_at_17_across_the_spring_change():
    series = rules.occurrences(
        first=date(2026, 3, 18),
        at=time(17),
        minutes=120,
        recurrence="weekly",
        interval=1,
        until=date(2026, 4, 8),
    )
    starts = [s for s, _ in series]
    assert [s.date() for s in starts] == [
        date(2026, 3, 18),
        date(2026, 3, 25),
        date(2026, 4, 1),
        date(2026, 4, 8),
    ]
    assert all(s.hour == 17 and s.minute == 0 for s in starts)
    # Before 29 March 2026 Oslo is UTC+1 (CET), after it UTC+2 (CEST).
    assert [s.utcoffset() for s in starts] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]
    assert [s.astimezone(OSLO).hour for s in starts] == [17, 17, 17, 17]
    # In UTC that week is an hour shorter (same-zone subtraction in Python is wall-clock).
    utc = [s.astimezone(UTC) for s in starts]
    assert utc[2] - utc[1] == timedelta(days=7, hours=-1)
    assert (utc[0].hour, utc[3].hour) == (16, 15)


def test_a_visit_on_the_day_of_the_change_itself_keeps_its_local_time():
    series = rules.occurrences(
        first=date(2026, 3, 22),
        at=time(17),
        minutes=60,
        recurrence="weekly",
        interval=1,
        until=date(2026, 3, 29),
    )
    assert [(s.day, s.hour, s.utcoffset()) for s, _ in series] == [
        (22, 17, timedelta(hours=1)),
        (29, 17, timedelta(hours=2)),
    ]


def test_the_autumn_change_on_25_october_2026():
    series = rules.occurrences(
        first=date(2026, 10, 11),
        at=time(17),
        minutes=90,
        recurrence="weekly",
        interval=2,
        until=date(2026, 11, 8),
    )
    assert [(s.date(), s.hour, s.utcoffset()) for s, _ in series] == [
        (date(2026, 10, 11), 17, timedelta(hours=2)),
        (date(2026, 10, 25), 17, timedelta(hours=1)),
        (date(2026, 11, 8), 17, timedelta(hours=1)),
    ]
    start, end = series[1]
    assert (end.hour, end.minute) == (18, 30)


def test_a_monthly_series_on_the_31st_falls_on_the_last_day_of_shorter_months():
    series = rules.occurrences(
        first=date(2026, 1, 31),
        at=time(11),
        minutes=120,
        recurrence="monthly",
        interval=1,
        until=date(2026, 4, 30),
    )
    assert [s.date() for s, _ in series] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_every_second_month():
    series = rules.occurrences(
        first=date(2026, 1, 15),
        at=time(11),
        minutes=120,
        recurrence="monthly",
        interval=2,
        until=date(2026, 7, 15),
    )
    assert [s.month for s, _ in series] == [1, 3, 5, 7]


def test_a_counsellor_double_booked_is_found():
    day = date(2026, 5, 4)
    existing = [Booking(at(day, 17), at(day, 19), counsellor_id=1, flat_id=None, pk=5)]
    found = rules.clashes(Booking(at(day, 18), at(day, 20), counsellor_id=1), existing)
    assert [(b.pk, why) for b, why in found] == [(5, "counsellor")]


def test_a_flat_double_booked_is_found():
    day = date(2026, 5, 4)
    existing = [Booking(at(day, 17), at(day, 19), counsellor_id=2, flat_id=7, pk=5)]
    found = rules.clashes(Booking(at(day, 16), at(day, 21), counsellor_id=1, flat_id=7), existing)
    assert [why for _, why in found] == ["flat"]


def test_back_to_back_visits_do_not_conflict():
    day = date(2026, 5, 4)
    existing = [Booking(at(day, 15), at(day, 17), counsellor_id=1, flat_id=7, pk=5)]
    assert (
        rules.clashes(Booking(at(day, 17), at(day, 19), counsellor_id=1, flat_id=7), existing) == []
    )
    assert (
        rules.clashes(Booking(at(day, 13), at(day, 15), counsellor_id=1, flat_id=7), existing) == []
    )


def test_other_counsellors_and_flats_at_the_same_time_do_not_conflict():
    day = date(2026, 5, 4)
    existing = [Booking(at(day, 17), at(day, 19), counsellor_id=2, flat_id=8, pk=5)]
    assert (
        rules.clashes(Booking(at(day, 17), at(day, 19), counsellor_id=1, flat_id=7), existing) == []
    )


def test_a_moved_visit_does_not_clash_with_itself():
    day = date(2026, 5, 4)
    existing = [Booking(at(day, 17), at(day, 19), counsellor_id=1, pk=5)]
    assert rules.clashes(Booking(at(day, 18), at(day, 20), counsellor_id=1, pk=5), existing) == []
