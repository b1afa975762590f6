"""A small, hand-computed world for the leaders' figures (see test_dashboard.py for the sums)."""

from datetime import date
from decimal import Decimal

from sammen.cases.models import Relation
from sammen.followup.models import ConsentEvent, Contact, FollowUp, Information
from sammen.timelog.models import TimeEntry

from .. import factories as f


def referral(case, counsellor, by):
    return f.make_referral(case, counsellor, by=by, goals="Bedre samvær")


def followup(ref, parent, **fields):
    return FollowUp.objects.create(referral=ref, parent=parent, **fields)


def contacts(fu, days, by):
    for day in days:
        Contact.objects.create(
            followup=fu,
            held_on=day,
            with_whom="parent",
            place="home",
            method="conversation",
            minutes=60,
            recorded_by=by,
        )


def entry(counsellor, case, day, activity, hours, km=0):
    return TimeEntry.objects.create(
        counsellor=counsellor,
        case=case,
        section_id=case.section_id,
        worked_on=day,
        activity=activity,
        hours=Decimal(hours),
        km=Decimal(km),
    )


def build(people, case_a, case_b, place):
    ola, per = people["ola"], people["per"]
    mother_a = case_a.persons.get(relation=Relation.MOTHER)
    father_a = f.make_parent(case_a, Relation.FATHER, "Per", "Testfar")
    ref_a = referral(case_a, ola, people["kari"])
    # Mother A: active since 1 March, frame 2 a month, 4 contacts → below the frame; accepted.
    mom = followup(
        ref_a, mother_a, state="active", started_on=date(2025, 3, 1), contacts_per_month=2
    )
    ConsentEvent.objects.create(followup=mom, kind="given", on=date(2025, 2, 20), recorded_by=ola)
    contacts(mom, [date(2025, m, 10) for m in (3, 4, 5, 6)], ola)
    # Father A: declined on 5 March, informed again on 1 May → re-offered; re-offer date passed.
    dad = followup(ref_a, father_a, state="declined", reoffer_on=date(2025, 6, 1))
    ConsentEvent.objects.create(followup=dad, kind="declined", on=date(2025, 3, 5), recorded_by=ola)
    Information.objects.create(
        followup=dad,
        informed_on=date(2025, 5, 1),
        channel="meeting",
        language="norsk",
        recorded_by=ola,
    )
    # Case B: voluntary placement; mother never offered; father followed 1 Jan–28 Feb by per.
    f.make_placement(case_b, place, kind="voluntary", start=date(2024, 11, 1))
    f.make_parent(case_b, Relation.MOTHER, "Berit", "Testmor")
    father_b = f.make_parent(case_b, Relation.FATHER, "Bjørn", "Testfar")
    ref_b = referral(case_b, per, people["cato"])
    dad_b = followup(
        ref_b,
        father_b,
        state="closed",
        started_on=date(2025, 1, 1),
        closed_on=date(2025, 2, 28),
        contacts_per_month=1,
        closure_reason="not_needed",
    )
    ConsentEvent.objects.create(
        followup=dad_b, kind="given", on=date(2024, 12, 20), recorded_by=per
    )
    contacts(dad_b, [date(2025, 1, 5), date(2025, 1, 20), date(2025, 2, 5), date(2025, 2, 20)], per)
    # Time: ola on case A, per on case B; one entry before the period.
    entry(ola, case_a, date(2025, 3, 10), "guidance_mother", "1.5", 12)
    entry(ola, case_a, date(2025, 4, 10), "visit", "3", 20)
    entry(ola, case_a, date(2024, 12, 1), "planning", "2")
    entry(per, case_b, date(2025, 2, 1), "travel", "1", 30)
