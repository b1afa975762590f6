"""The case's legal deadlines (DOMAIN.md §5): an emergency placement's care-order petition within
six weeks, the final care plan within two years of the care order. Marked overdue on the case
overview, reminded to the caseworker and the section leader, counted on the dashboard.

The rules are tested on unsaved rows with a fixed today; the pages with dates counted from the
real today (the views read the clock).
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sammen.cases import rules
from sammen.cases.models import CarePlan, Placement, TribunalDecision
from sammen.cases.rules import (
    EMERGENCY_PETITION,
    FINAL_CARE_PLAN,
    case_warnings,
    legal_deadlines,
)
from sammen.followup.selectors import OVERDUE_KINDS, overdue_counts, reminders_for

from .. import factories as f

# --- the rules ----------------------------------------------------------------------------

START = date(2025, 3, 3)  # a Monday; six weeks on is Monday 14 April 2025
LIMIT = date(2025, 4, 14)


def _emergency(start=START, end=None):
    return Placement(kind="emergency", start_date=start, end_date=end)


def _deadlines(today, *, placements=(), decisions=(), care_plans=(), petition_status="none"):
    return legal_deadlines(
        today=today,
        placements=list(placements),
        decisions=list(decisions),
        care_plans=list(care_plans),
        petition_status=petition_status,
    )


def _warnings(today, **kwargs):
    return case_warnings(
        today=today,
        placements=list(kwargs.get("placements", ())),
        decisions=list(kwargs.get("decisions", ())),
        care_plans=list(kwargs.get("care_plans", ())),
        petition_status=kwargs.get("petition_status", "none"),
    )


def test_the_emergency_limit_day_itself_is_not_overdue():
    (deadline,) = _deadlines(LIMIT, placements=[_emergency()])
    assert (deadline.kind, deadline.due, deadline.counted_from) == (
        EMERGENCY_PETITION,
        LIMIT,
        START,
    )
    assert not deadline.is_overdue(LIMIT)
    (warning,) = _warnings(LIMIT, placements=[_emergency()])
    assert warning.due == LIMIT and not warning.overdue


def test_the_day_after_the_emergency_limit_is_overdue():
    day_after = LIMIT + timedelta(days=1)
    (warning,) = _warnings(day_after, placements=[_emergency()])
    assert warning.overdue and warning.due == LIMIT and not warning.invalid_date


def test_an_emergency_limit_moved_off_a_holiday_is_overdue_only_after_the_working_day():
    # 5 April 2025 + six weeks = Saturday 17 May (Constitution Day) → Monday 19 May.
    start = date(2025, 4, 5)
    (warning,) = _warnings(date(2025, 5, 19), placements=[_emergency(start)])
    assert warning.due == date(2025, 5, 19) and not warning.overdue
    assert _warnings(date(2025, 5, 20), placements=[_emergency(start)])[0].overdue


def test_an_emergency_placement_ended_in_time_gives_nothing_after_it_ended():
    ended = _emergency(end=LIMIT - timedelta(days=3))
    assert _deadlines(LIMIT + timedelta(days=10), placements=[ended]) == []


def test_an_emergency_placement_still_running_past_the_limit_is_overdue():
    running = _emergency(end=LIMIT + timedelta(days=30))
    (warning,) = _warnings(LIMIT + timedelta(days=10), placements=[running])
    assert warning.overdue


def test_a_sent_petition_ends_the_emergency_deadline_but_one_being_prepared_does_not():
    late = LIMIT + timedelta(days=1)
    assert _deadlines(late, placements=[_emergency()], petition_status="sent") == []
    (warning,) = _warnings(late, placements=[_emergency()], petition_status="preparing")
    assert warning.overdue


def test_a_voluntary_or_care_order_placement_has_no_petition_deadline():
    for kind in ("voluntary", "care_order"):
        placement = Placement(kind=kind, start_date=START)
        assert _deadlines(LIMIT + timedelta(days=30), placements=[placement]) == []


CARE_ORDER_ON = date(2025, 3, 10)
PLAN_DUE = date(2027, 3, 10)  # a Wednesday


def _care_order(day=CARE_ORDER_ON):
    return TribunalDecision(kind="care_order", decided_on=day)


def test_the_final_care_plan_is_overdue_the_day_after_two_years():
    (on_the_day,) = _warnings(PLAN_DUE, decisions=[_care_order()])
    assert on_the_day.due == PLAN_DUE and not on_the_day.overdue
    (after,) = _warnings(PLAN_DUE + timedelta(days=1), decisions=[_care_order()])
    assert after.overdue


def test_a_final_care_plan_made_ends_the_deadline():
    final = CarePlan(kind="final", made_on=date(2027, 4, 1))
    assert _deadlines(date(2028, 1, 1), decisions=[_care_order()], care_plans=[final]) == []
    preliminary = CarePlan(kind="preliminary", made_on=CARE_ORDER_ON)
    (late,) = _deadlines(date(2028, 1, 1), decisions=[_care_order()], care_plans=[preliminary])
    assert late.kind == FINAL_CARE_PLAN and late.is_overdue(date(2028, 1, 1))


def test_a_lifted_care_order_needs_no_final_plan_and_a_new_one_counts_afresh():
    lifted = TribunalDecision(kind="lifting", decided_on=date(2026, 1, 5))
    assert _deadlines(date(2028, 1, 1), decisions=[_care_order(), lifted]) == []
    again = _care_order(date(2026, 6, 1))
    (deadline,) = _deadlines(date(2028, 1, 1), decisions=[_care_order(), lifted, again])
    assert deadline.counted_from == date(2026, 6, 1)
    assert deadline.due == date(2028, 6, 1)  # a Thursday


def test_a_deadline_counted_from_an_impossible_date_is_marked_never_raised():
    far = _care_order(date(9999, 12, 31))
    (warning,) = _warnings(date(2025, 6, 1), decisions=[far])
    assert warning.invalid_date and not warning.overdue
    # An emergency placement stored as starting in year 1 is simply long overdue.
    (old,) = _warnings(date(2025, 6, 1), placements=[_emergency(date(1, 1, 2))])
    assert old.overdue and not old.invalid_date


# --- reminders and counts, through the access policy ---------------------------------------


@pytest.fixture
def deadlines(people, case_a, case_b, place):
    """case_a (kari, section A): an emergency placement 60 days ago, petition not sent — overdue.
    case_b (cato, section B): a care order three years ago without a final plan — overdue.
    A closed case of kari's with the same overdue petition: not reminded."""
    today = timezone.localdate()
    start = today - timedelta(days=60)
    f.make_placement(case_a, place, kind="emergency", start=start)
    TribunalDecision.objects.create(
        case=case_b, kind="care_order", decided_on=today - timedelta(days=3 * 365)
    )
    closed = f.make_case(
        section=case_a.section, caseworker=people["kari"], opened_on=date(2024, 1, 1)
    )
    f.make_placement(closed, place, kind="emergency", start=start)
    f.set_columns(type(closed).objects.filter(pk=closed.pk), closed_on=today - timedelta(days=1))
    return {
        "today": today,
        "petition_due": rules.emergency_placement_limit(start),
        "plan_due": rules.final_care_plan_due(today - timedelta(days=3 * 365)),
    }


def _legal(user, today):
    with translation.override("en"):
        return [
            (r.text, r.due, r.case_id)
            for r in reminders_for(user, today=today)
            if r.text.startswith(("Send the care-order petition", "Make the final care plan"))
        ]


EXPECTED = {
    # who → the cases whose legal deadlines remind them
    "kari": ["case_a"],
    "siri": ["case_a"],
    "cato": ["case_b"],
    "sven": ["case_b"],
    "ola": [],  # the counsellor on case_a's team: not theirs to act on
    "per": [],
    "pia": [],
    "adam": [],
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", EXPECTED)
def test_legal_deadlines_remind_the_caseworker_and_the_section_leader(
    people, case_a, case_b, deadlines, who
):
    today = deadlines["today"]
    cases = {"case_a": case_a, "case_b": case_b}
    expected = [
        (
            f"Send the care-order petition for the emergency placement ({case_a.reference})",
            deadlines["petition_due"],
            case_a.pk,
        )
        if label == "case_a"
        else (f"Make the final care plan ({case_b.reference})", deadlines["plan_due"], case_b.pk)
        for label in EXPECTED[who]
    ]
    assert _legal(people[who], today) == expected
    counts = overdue_counts(people[who], today=today)
    assert counts["emergency_petition"] == EXPECTED[who].count("case_a")
    assert counts["final_care_plan"] == EXPECTED[who].count("case_b")
    assert set(cases) >= set(EXPECTED[who])


@pytest.mark.django_db
def test_the_counts_are_the_overdue_reminders_on_the_limit_day_and_the_day_after(
    people, case_a, place
):
    start = date(2025, 3, 3)
    f.make_placement(case_a, place, kind="emergency", start=start)
    kari = people["kari"]
    for today, overdue in ((LIMIT, 0), (LIMIT + timedelta(days=1), 1)):
        counts = overdue_counts(kari, today=today)
        assert counts["emergency_petition"] == overdue
        reminded = [r for r in reminders_for(kari, today=today) if r.is_overdue(today)]
        assert sum(counts.values()) == len(reminded)
    assert set(OVERDUE_KINDS) >= {"emergency_petition", "final_care_plan"}


@pytest.mark.django_db
def test_a_sent_petition_and_an_ended_placement_remind_no_one(people, case_a, place):
    today = timezone.localdate()
    f.make_placement(case_a, place, kind="emergency", start=today - timedelta(days=60))
    f.set_columns(type(case_a).objects.filter(pk=case_a.pk), petition_status="sent")
    assert _legal(people["kari"], today) == []
    f.set_columns(type(case_a).objects.filter(pk=case_a.pk), petition_status="preparing")
    assert len(_legal(people["kari"], today)) == 1
    Placement.objects.filter(case=case_a, kind="emergency").delete()
    f.make_placement(
        case_a,
        place,
        kind="emergency",
        start=today - timedelta(days=60),
        end=today - timedelta(days=20),
    )
    assert _legal(people["kari"], today) == []


@pytest.mark.django_db
def test_the_reminders_and_the_overview_agree(people, case_a, place):
    """The reminders' SQL asks what `case_warnings` asks of the overview's rows."""
    today = timezone.localdate()
    f.make_placement(case_a, place, kind="emergency", start=today - timedelta(days=50))
    f.make_placement(case_a, place, kind="emergency", start=today - timedelta(days=10))
    for days in (900, 800):
        TribunalDecision.objects.create(
            case=case_a, kind="care_order", decided_on=today - timedelta(days=days)
        )
    TribunalDecision.objects.create(
        case=case_a, kind="lifting", decided_on=today - timedelta(days=850)
    )
    CarePlan.objects.create(case=case_a, kind="preliminary", made_on=today - timedelta(days=800))
    warnings = case_warnings(
        today=today,
        placements=list(Placement.objects.filter(case=case_a)),
        decisions=list(TribunalDecision.objects.filter(case=case_a)),
        care_plans=list(CarePlan.objects.filter(case=case_a)),
        petition_status="none",
    )
    reminded = sorted(due for _text, due, _case in _legal(people["kari"], today))
    assert reminded == sorted(w.due for w in warnings)
    assert len(warnings) == 3  # two petitions; the plan counted from the care order after lifting


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overview_marks_an_overdue_petition_in_norwegian(client, people, case_a, deadlines):
    client.force_login(people["kari"])
    body = client.get(reverse("cases:overview", args=[case_a.pk])).content.decode()
    due = deadlines["petition_due"].strftime("%d.%m.%Y")
    assert f"Forfalt {due}" in body
    assert "Akuttplassering: begjæring om omsorgsovertakelse må sendes innen denne" in body


@pytest.mark.django_db
def test_a_deadline_to_come_is_shown_without_the_overdue_mark(client, people, case_a, place):
    start = timezone.localdate() - timedelta(days=3)
    f.make_placement(case_a, place, kind="emergency", start=start)
    client.force_login(people["kari"])
    body = client.get(reverse("cases:overview", args=[case_a.pk])).content.decode()
    assert rules.emergency_placement_limit(start).strftime("%d.%m.%Y") in body
    assert "Forfalt" not in body


@pytest.mark.django_db
def test_the_reminder_list_marks_the_overdue_deadlines_in_norwegian(
    client, people, case_a, case_b, deadlines
):
    """Needs the coordinator's compiled catalogue for the reminder's text."""
    client.force_login(people["siri"])
    body = client.get(reverse("followup:overview")).content.decode()
    due = deadlines["petition_due"].strftime("%d.%m.%Y")
    assert f"Forfalt {due}" in body
    assert f"Send begjæringen om omsorgsovertakelse for akuttplasseringen ({case_a.reference})" in (
        body
    )
    assert case_b.reference not in body
    client.force_login(people["cato"])
    body = client.get(reverse("followup:overview")).content.decode()
    assert f"Lag den varige omsorgsplanen ({case_b.reference})" in body


@pytest.mark.django_db
def test_an_impossible_decision_date_is_marked_on_both_pages(client, people, case_a):
    TribunalDecision.objects.create(case=case_a, kind="care_order", decided_on=date(9999, 12, 31))
    client.force_login(people["kari"])
    overview = client.get(reverse("cases:overview", args=[case_a.pk]))
    assert overview.status_code == 200
    assert "ugyldig dato (sjekk datoene som er registrert)" in overview.content.decode()
    reminders = client.get(reverse("followup:overview"))
    assert reminders.status_code == 200
    assert "ugyldig dato (sjekk datoene som er registrert)" in reminders.content.decode()
    assert overdue_counts(people["kari"], today=timezone.localdate())["final_care_plan"] == 0


@pytest.mark.django_db
def test_a_closed_case_shows_no_deadline(client, people, case_a, place):
    f.make_placement(
        case_a, place, kind="emergency", start=timezone.localdate() - timedelta(days=60)
    )
    f.set_columns(type(case_a).objects.filter(pk=case_a.pk), closed_on=timezone.localdate())
    client.force_login(people["kari"])
    body = client.get(reverse("cases:overview", args=[case_a.pk])).content.decode()
    assert "Forfalt" not in body and "Akuttplassering:" not in body
    assert _legal(people["kari"], timezone.localdate()) == []
