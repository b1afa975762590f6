"""The review and approval dates of a reported report lie within the report's life
(cases/review.py): not before its period (or the visit it is about), not in the future, and the
approval never before the review. Messages are asserted as the user reads them, in bokmål."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from sammen.cases import review
from sammen.cases.models import Person
from sammen.cases.review import ParentAgreement, ReviewState
from sammen.followup.models import FollowUpReport
from sammen.visits.models import VisitPlan, VisitReport, VisitSession
from sammen.visits.rules import OSLO

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=OSLO), tick=False):
        yield


def refusal(action) -> str:
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            action()
        return " ".join(refused.value.messages)


def period_report(**fields) -> FollowUpReport:
    values = {"period_start": date(2026, 3, 1), "period_end": date(2026, 3, 5)}
    values.update(fields)
    return FollowUpReport(**values)


def go_through(report, on):
    review.record_parent_review(
        report, reviewed_on=on, comments="", agreement=ParentAgreement.AGREES
    )


@pytest.fixture
def visit_report(people, case_a):
    """A visit report on the visit held on Thursday 5 March 2026 at 17:00."""
    plan = VisitPlan.objects.create(
        case=case_a,
        visitor=Person.objects.get(case=case_a, relation="mother"),
        starts_on=date(2026, 1, 5),
        evaluate_on=date(2026, 7, 5),
        visits=1,
        period_length=1,
        period_unit="month",
        hours=Decimal("2"),
        place_kind="office",
        supervision="supervised",
        purposes=["bonds"],
        made_by=people["kari"],
    )
    start = datetime(2026, 3, 5, 17, tzinfo=OSLO)
    session = VisitSession.objects.create(
        plan=plan,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place_kind="office",
        status="held",
    )
    return VisitReport.objects.create(
        plan=plan,
        session=session,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        summary="Fint samvær",
        written_by=people["ola"],
    )


# --- going through the report with the parent ----------------------------------------------


def test_a_review_before_the_reports_period_is_refused_naming_both_dates():
    report = period_report()
    assert refusal(lambda: go_through(report, date(2026, 2, 3))) == (
        "Gjennomgangsdatoen (03.02.2026) er før rapportperioden starter (01.03.2026)."
    )
    assert report.state == ReviewState.DRAFT and report.reviewed_on is None


def test_a_review_in_the_future_is_refused_naming_the_day_and_today():
    report = period_report()
    assert refusal(lambda: go_through(report, date(2026, 3, 11))) == (
        "Gjennomgangsdatoen (11.03.2026) er fram i tid (i dag er 10.03.2026)."
    )


def test_a_review_from_the_periods_first_day_to_today_is_recorded():
    first_day, today = period_report(), period_report()
    go_through(first_day, date(2026, 3, 1))
    go_through(today, TODAY)
    assert (first_day.state, today.reviewed_on) == (ReviewState.REVIEWED, TODAY)


def test_a_follow_up_reports_life_starts_with_its_period():
    assert period_report().review_starts_on == date(2026, 3, 1)


def test_a_visit_report_is_not_gone_through_before_the_visit_it_is_about(visit_report):
    assert visit_report.review_starts_on == date(2026, 3, 5)
    assert refusal(lambda: go_through(visit_report, date(2026, 3, 4))) == (
        "Gjennomgangsdatoen (04.03.2026) er før samværet rapporten gjelder, fant sted (05.03.2026)."
    )
    go_through(visit_report, date(2026, 3, 5))
    assert visit_report.state == ReviewState.REVIEWED


def test_a_visit_report_on_a_period_starts_with_its_period(visit_report):
    visit_report.session = None
    assert visit_report.review_starts_on == date(2026, 3, 1)
    assert "før rapportperioden starter (01.03.2026)" in refusal(
        lambda: go_through(visit_report, date(2026, 2, 28))
    )


# --- approving ---------------------------------------------------------------------------


def reviewed(report, on):
    report.state = ReviewState.REVIEWED
    report.reviewed_on = on
    report.parent_agreement = ParentAgreement.AGREES
    return report


def test_approval_refuses_a_stored_review_date_before_the_visit(people, case_a, visit_report):
    report = reviewed(visit_report, date(2026, 2, 1))  # came another way than the review step
    assert refusal(lambda: review.approve(report, user=people["siri"], case=case_a)) == (
        "Rapporten kan ikke godkjennes. "
        "Gjennomgangsdatoen (01.02.2026) er før samværet rapporten gjelder, fant sted (05.03.2026)."
    )
    assert report.state == ReviewState.REVIEWED and report.approved_at is None


def test_approval_refuses_a_stored_review_date_in_the_future(people, case_a, visit_report):
    report = reviewed(visit_report, date(2026, 4, 1))
    assert refusal(lambda: review.approve(report, user=people["siri"], case=case_a)) == (
        "Rapporten kan ikke godkjennes. "
        "Gjennomgangsdatoen (01.04.2026) er fram i tid (i dag er 10.03.2026)."
    )


def test_approval_refuses_a_reviewed_report_without_a_review_date(people, case_a, visit_report):
    report = reviewed(visit_report, None)
    assert refusal(lambda: review.approve(report, user=people["siri"], case=case_a)) == (
        "Rapporten må gjennomgås med forelderen før den godkjennes."
    )


def test_the_approval_is_never_before_the_review(people, case_a, visit_report):
    report = reviewed(visit_report, TODAY)
    review.approve(report, user=people["siri"], case=case_a)
    assert report.is_approved
    assert timezone.localdate(report.approved_at) >= report.reviewed_on
