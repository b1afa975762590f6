"""`overdue_counts` finds overdue reports without a deadline per follow-up (one date per period
length), and still counts exactly the overdue report reminders of `reminders_for`: around Easter
and 1 and 17 May 2025 (deadlines moved off holidays and weekends), and after month ends that the
next month lacks (31 January + 1 month is 28 February)."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from sammen.cases.models import Relation
from sammen.followup.models import FollowUp, FollowUpReport
from sammen.followup.selectors import overdue_counts, reminders_for

from .. import factories as f

pytestmark = pytest.mark.django_db

# Every day from 20 February to 25 May 2025.
TODAYS = [date(2025, 2, 20) + timedelta(days=n) for n in range(95)]


@pytest.fixture
def reports(people, case_a):
    ola, kari = people["ola"], people["kari"]
    ref = f.make_referral(case_a, ola, by=kari, referred_on=date(2024, 1, 1))
    starts = [date(2024, 10, 25) + timedelta(days=n) for n in range(0, 150, 4)]
    for n, (start, months) in enumerate(zip(starts, [1, 2, 3, 6] * 10, strict=False)):
        parent = f.make_parent(case_a, Relation.FATHER, f"Far{n}")
        followup = FollowUp.objects.create(
            referral=ref,
            parent=parent,
            state="active",
            started_on=start,
            report_period_months=months,
        )
        if n % 3 == 0:  # the next report counts from the last one's end: 31 January
            FollowUpReport.objects.create(
                followup=followup,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 1, 31),
                summary="Jevnlige samtaler",
                written_by=ola,
            )
    return people


def reminded_overdue_reports(user, today) -> int:
    with translation.override("en"):
        return sum(
            str(r.text).startswith("Report due") and r.is_overdue(today)
            for r in reminders_for(user, today=today)
        )


def test_overdue_reports_are_those_reminded_on_every_day(reports):
    counts = {today: overdue_counts(reports["ola"], today=today)["report"] for today in TODAYS}
    assert counts == {today: reminded_overdue_reports(reports["ola"], today) for today in TODAYS}
    assert len(set(counts.values())) > 10  # the days tell the reports apart
