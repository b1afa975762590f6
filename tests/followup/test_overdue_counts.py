"""`overdue_counts` counts exactly the overdue reminders that `reminders_for` builds.

Today is Monday 30 June 2025. Edge cases: deadlines today (not overdue), deadlines moved off a
weekend onto today (not overdue, although the matching date has passed), closed follow-ups and
frame reviews outside active/paused (not reminded at all).

Case A (section A; caseworker kari, counsellor ola), follow-ups:
- re-offer 29 June → overdue; re-offer today → not;
- active since 27 March, 3-month reports → due Friday 27 June, overdue; frame review 29 June →
  overdue;
- active since 29 March, 3-month reports → Sunday 29 June moves to today, not overdue; frame
  review today → not;
- active since 15 January with a report up to 14 April → next due 14 July, not overdue;
  aftercare until 1 June → overdue;
- paused, frame review 1 June → overdue; declined with a frame review → not reminded;
- closed with every date passed → not reminded.
- Care order lifted 29 December 2024 → after-lifting ends 29 June, overdue; lifted 30 December
  → ends today, not overdue.
Case C (section A; caseworker kari): placements 1 May and 13 June (first conversation due 15 May
and 27 June, overdue) and Saturday 14 June (due Saturday 28 June, moved to today, not overdue);
its mother is not informed, its father is → 2 overdue first conversations.
Case B (section B; caseworker cato): placed 16 June, due today → not overdue.
"""

from datetime import date

import pytest
from django.utils import translation

from sammen.cases.models import Relation, TribunalDecision
from sammen.followup.models import FollowUp, FollowUpReport, Information, Referral
from sammen.followup.selectors import OVERDUE_KINDS, overdue_counts, reminders_for

from .. import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)

# The English text each kind of reminder starts with.
PREFIXES = [
    ("Offer follow-up again", "reoffer"),
    ("Report due", "report"),
    ("Review the frame", "frame_review"),
    ("Follow-up after reunification", "aftercare"),
    ("Follow-up after the care order was lifted", "after_lifting"),
    ("Send the care-order petition", "emergency_petition"),
    ("Make the final care plan", "final_care_plan"),
    ("Offer ", "first_conversation"),
]


def kind_of(text: str) -> str:
    return next(kind for prefix, kind in PREFIXES if text.startswith(prefix))


def reminded_overdue(user) -> dict[str, int]:
    counts = dict.fromkeys(OVERDUE_KINDS, 0)
    with translation.override("en"):
        for reminder in reminders_for(user, today=TODAY):
            if reminder.is_overdue(TODAY):
                counts[kind_of(str(reminder.text))] += 1
                # Each reminder names its kind itself: the leaders' drill-down lists by it.
                assert reminder.kind == kind_of(str(reminder.text))
    return counts


@pytest.fixture
def world(people, case_a, case_b, section_a, place):
    ola, kari = people["ola"], people["kari"]
    ref = f.make_referral(case_a, ola, by=kari)
    mother = case_a.persons.get(relation=Relation.MOTHER)

    def followup(name, **fields):
        parent = mother if name == "mother" else f.make_parent(case_a, Relation.FATHER, name)
        return FollowUp.objects.create(referral=ref, parent=parent, **fields)

    followup("mother", state="declined", reoffer_on=date(2025, 6, 29))
    followup("Today", state="declined", reoffer_on=TODAY)
    followup(
        "Report",
        state="active",
        started_on=date(2025, 3, 27),
        report_period_months=3,
        frame_review_on=date(2025, 6, 29),
    )
    followup(
        "Moved",
        state="active",
        started_on=date(2025, 3, 29),
        report_period_months=3,
        frame_review_on=TODAY,
    )
    reported = followup(
        "Reported",
        state="active",
        started_on=date(2025, 1, 15),
        report_period_months=3,
        aftercare_until=date(2025, 6, 1),
    )
    FollowUpReport.objects.create(
        followup=reported,
        period_start=date(2025, 1, 15),
        period_end=date(2025, 4, 14),
        summary="Jevnlige samtaler",
        written_by=ola,
    )
    followup("Paused", state="paused", frame_review_on=date(2025, 6, 1))
    followup("Declined", state="declined", frame_review_on=date(2025, 6, 1))
    followup(
        "Closed",
        state="closed",
        started_on=date(2025, 1, 1),
        closed_on=date(2025, 3, 1),
        report_period_months=1,
        reoffer_on=date(2025, 1, 1),
        frame_review_on=date(2025, 1, 1),
        aftercare_until=date(2025, 1, 1),
    )
    followup("Plain", state="active", started_on=date(2025, 1, 1))
    for day in (date(2024, 12, 29), date(2024, 12, 30)):
        TribunalDecision.objects.create(case=case_a, decided_on=day, kind="lifting")

    case_c = f.make_case(section=section_a, caseworker=kari, child_first="Ida")
    for start in (date(2025, 5, 1), date(2025, 6, 13), date(2025, 6, 14)):
        f.make_placement(case_c, place, start=start)
    f.make_parent(case_c, Relation.MOTHER, "Uinformert")
    informed = f.make_parent(case_c, Relation.FATHER, "Informert")
    ref_c = Referral.objects.create(
        case=case_c,
        referred_by=kari,
        referred_on=date(2025, 5, 2),
        order="guidance",
        goals="Samvær",
        counsellor=ola,
    )
    fu = FollowUp.objects.create(referral=ref_c, parent=informed, state="assigned")
    Information.objects.create(
        followup=fu,
        informed_on=date(2025, 5, 3),
        channel="meeting",
        language="norsk",
        recorded_by=ola,
    )

    f.make_placement(case_b, place, start=date(2025, 6, 16))
    f.make_parent(case_b, Relation.MOTHER, "Berit")
    return people


FOLLOWUPS = {"reoffer": 1, "report": 1, "frame_review": 2, "aftercare": 1}
EXPECTED = {
    "pia": FOLLOWUPS,
    "ola": FOLLOWUPS,
    "siri": {**FOLLOWUPS, "first_conversation": 2, "after_lifting": 1},
    "kari": {**FOLLOWUPS, "first_conversation": 2, "after_lifting": 1},
    "sven": {},
    "cato": {},
    "per": {},
    "adam": {},
}


@pytest.mark.parametrize("who", EXPECTED)
def test_overdue_counts_equal_the_overdue_reminders(world, who):
    user = world[who]
    counts = overdue_counts(user, today=TODAY)
    assert counts == {**dict.fromkeys(OVERDUE_KINDS, 0), **EXPECTED[who]}
    assert counts == reminded_overdue(user)


def test_a_deadline_today_becomes_overdue_tomorrow(world):
    tomorrow = date(2025, 7, 1)
    counts = overdue_counts(world["siri"], today=tomorrow)
    # The deadlines due today are overdue tomorrow; the placement of 1 May leaves the 60 days
    # as the one of 14 June becomes overdue.
    assert counts["reoffer"] == 2
    assert counts["report"] == 2
    assert counts["frame_review"] == 3
    assert counts["first_conversation"] == 2
    assert counts["after_lifting"] == 2
    overdue = [r for r in reminders_for(world["siri"], today=tomorrow) if r.is_overdue(tomorrow)]
    assert sum(counts.values()) == len(overdue)


def test_the_count_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # with the case's legal deadlines
        overdue_counts(world["siri"], today=TODAY)
    with django_assert_max_num_queries(1):
        overdue_counts(world["pia"], today=TODAY)
