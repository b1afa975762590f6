"""«Min uke»'s world, shared by tests/followup/test_my_week.py and test_week_kept.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sammen.cases.models import Person
from sammen.followup.models import Contact, FollowUp, FollowUpReport, Referral

from .. import factories as f


def _followup(case, parent, counsellor, *, state="active", referred_on=None, **fields):
    today = timezone.localdate()
    referral = Referral.objects.create(
        case=case,
        referred_by=case.caseworker,
        referred_on=referred_on or today - timedelta(days=100),
        order="guidance",
        goals="Trygt samvær",
        counsellor=counsellor,
    )
    return FollowUp.objects.create(referral=referral, parent=parent, state=state, **fields)


def _contact(followup, days_from_today, **fields):
    return Contact.objects.create(
        followup=followup,
        held_on=timezone.localdate() + timedelta(days=days_from_today),
        with_whom="parent",
        place=fields.pop("place", "home"),
        method="cosp",
        minutes=60,
        recorded_by=followup.referral.counsellor,
        **fields,
    )


def _report(followup, *, state="draft", end_days_ago=10):
    end = timezone.localdate() - timedelta(days=end_days_ago)
    return FollowUpReport.objects.create(
        followup=followup,
        period_start=end - timedelta(days=30),
        period_end=end,
        summary="Samtaler hjemme",
        written_by=followup.referral.counsellor,
        state=state,
    )


@pytest.fixture
def week(people, case_a):
    """ola's follow-ups on case_a: the mother active, the father declined (re-offer overdue)."""
    today = timezone.localdate()
    ola = people["ola"]
    mother = Person.objects.get(case=case_a, relation="mother")
    father = f.make_parent(case_a, relation="father", first_name="Bjørn", last_name="Testfar")
    active = _followup(
        case_a,
        mother,
        ola,
        started_on=today - timedelta(days=200),
        report_period_months=3,
        frame_review_on=today + timedelta(days=12),
    )
    declined = _followup(
        case_a, father, ola, state="declined", reoffer_on=today - timedelta(days=3)
    )
    _contact(active, 2)
    _contact(active, 6, place="office")
    _contact(active, 7)  # a week on: not this week
    _contact(active, -1)  # yesterday: not this week
    _contact(declined, 0)
    _report(active, state="draft")
    _report(active, state="approved", end_days_ago=40)
    # Closed, and someone else's: neither shows.
    grandma = f.make_parent(case_a, relation="grandparent", first_name="Gro", last_name="Bestemor")
    _contact(_followup(case_a, grandma, ola, state="closed"), 1)
    step = f.make_parent(case_a, relation="step", first_name="Stig", last_name="Steforelder")
    _contact(_followup(case_a, step, people["per"]), 1)
    return {"active": active, "declined": declined}
