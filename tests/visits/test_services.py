"""The visits services against the database: plans, scheduling, cancellations, reports, costs."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import Person, TribunalDecision, VisitationRuling
from sammen.visits import rules, selectors, services
from sammen.visits.models import VisitExpense, VisitPlan, VisitReport, VisitSession
from tests import factories as f

from .conftest import PLAN_START, at, make_session, plan_values

pytestmark = pytest.mark.django_db


def create(people, case, visitor, based_on=0, **overrides):
    plan = VisitPlan(**plan_values(visitor, **overrides))
    return services.plan_create(user=people["kari"], case=case, plan=plan, based_on=based_on)


def test_a_plan_below_the_minimum_is_refused_citing_the_decision(people, case_a, mother, ruling):
    with pytest.raises(ValidationError) as refused:
        create(people, case_a, mother, visits=5, period_length=1, period_unit="year")
    assert "Care order 12.03.2025" in " ".join(refused.value.messages)
    assert not VisitPlan.objects.exists()


def test_a_plan_at_the_minimum_is_accepted_and_checked_against_the_ruling(
    people, case_a, mother, ruling
):
    plan, notices = create(people, case_a, mother, visits=6, period_length=1, period_unit="year")
    assert (plan.number, plan.ruling, notices) == (1, ruling, [])
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(plan.pk)).exists()


def test_the_ruling_of_the_newest_decision_is_applied(people, case_a, mother, ruling):
    newer = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 9, 1), kind="visitation"
    )
    VisitationRuling.objects.create(
        decision=newer,
        visitor=mother,
        visits=1,
        period_length=1,
        period_unit="month",
        min_hours=2,
        supervision="supported",
    )
    with pytest.raises(ValidationError, match="01.09.2025"):
        create(people, case_a, mother)  # 1 per 2 months is below the new 1 per month


def test_a_voluntary_placement_needs_the_parents_agreement(people, case_a, mother, ruling):
    f.set_columns(case_a.placements.all(), kind="voluntary")
    with pytest.raises(ValidationError, match="agreed"):
        create(people, case_a, mother, visits=1, period_length=1, period_unit="year")
    plan, _ = create(
        people,
        case_a,
        mother,
        visits=1,
        period_length=1,
        period_unit="year",
        agreed_with_parents=True,
    )
    assert plan.ruling is None


def test_a_parent_without_a_ruling_under_a_care_order_is_refused(people, case_a, mother, decision):
    with pytest.raises(ValidationError, match="no ruling"):
        create(people, case_a, mother)


def test_a_grandparent_no_decision_names_gets_other_contact_by_agreement(people, case_a, decision):
    grandmother = f.make_parent(case_a, relation="grandparent", first_name="Gerd")
    plan, notices = create(people, case_a, grandmother, supervision="none", hours=Decimal("1"))
    assert plan.ruling is None and notices


def test_versions_are_kept_and_a_stale_version_is_refused(people, case_a, mother, ruling):
    first, _ = create(people, case_a, mother)
    second, _ = create(people, case_a, mother, based_on=1, visits=2)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.visits == 1  # the old version is unchanged
    with pytest.raises(ValidationError, match="new version"):
        create(people, case_a, mother, based_on=1, visits=3)
    assert VisitPlan.objects.count() == 2


def test_the_child_cannot_be_the_visitor(people, case_a, ruling):
    child = Person.objects.get(case=case_a, relation="child")
    with pytest.raises(ValidationError):
        create(people, case_a, child)


def test_a_double_booked_counsellor_is_refused_on_add_and_move(people, plan, flat):
    ola = people["ola"]
    day = date(2026, 2, 2)
    make_session(plan, at(day, 17), counsellor=ola)
    clash = VisitSession(
        starts_at=at(day, 18), ends_at=at(day, 20), counsellor=ola, place_kind="office"
    )
    with pytest.raises(ValidationError, match="already has a visit"):
        services.session_add(user=people["kari"], plan=plan, session=clash)
    back_to_back = VisitSession(
        starts_at=at(day, 19), ends_at=at(day, 21), counsellor=ola, place_kind="office"
    )
    services.session_add(user=people["kari"], plan=plan, session=back_to_back)
    back_to_back.starts_at = at(day, 18)
    with pytest.raises(ValidationError):
        services.session_move(user=people["kari"], session=back_to_back, expected_version=1)


def test_a_double_booked_flat_is_refused(people, plan, flat):
    day = date(2026, 2, 2)
    make_session(plan, at(day, 17), flat=flat)
    clash = VisitSession(
        starts_at=at(day, 16),
        ends_at=at(day, 18),
        flat=flat,
        place_kind="flat",
        counsellor=people["per"],
    )
    with pytest.raises(ValidationError, match="flat"):
        services.session_add(user=people["kari"], plan=plan, session=clash)


def test_a_cancelled_visit_frees_its_slot(people, plan):
    day = date(2026, 2, 2)
    make_session(
        plan, at(day, 17), counsellor=people["ola"], status="cancelled", cancelled_by="parent"
    )
    ok = VisitSession(
        starts_at=at(day, 17), ends_at=at(day, 19), counsellor=people["ola"], place_kind="office"
    )
    services.session_add(user=people["kari"], plan=plan, session=ok)


def test_generating_a_series_leaves_out_and_lists_double_bookings(people, plan, flat):
    make_session(plan, at(date(2026, 3, 2), 17), flat=flat)
    series = rules.occurrences(
        first=date(2026, 2, 2),
        at=time(17),
        minutes=120,
        recurrence="monthly",
        interval=1,
        until=date(2026, 5, 31),
    )
    created, skipped = services.sessions_generate(
        user=people["kari"],
        plan=plan,
        series=series,
        counsellor=people["ola"],
        flat=flat,
        place_kind="flat",
    )
    assert [s.starts_at.date() for s in created] == [
        date(2026, 2, 2),
        date(2026, 4, 2),
        date(2026, 5, 2),
    ]
    assert len(skipped) == 1 and "02.03.2026 17:00" in skipped[0]
    assert all(timezone_hour(s) == 17 for s in created)


def timezone_hour(session):
    return session.starts_at.astimezone(rules.OSLO).hour


@time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=rules.OSLO))
def test_a_cancellation_records_who_why_and_how_late(people, plan):
    session = make_session(plan, at(date(2026, 2, 11), 17))
    session.status, session.cancelled_by, session.cancel_reason = (
        "cancelled",
        "foster_home",
        "Sykdom",
    )
    services.session_cancel(user=people["ola"], session=session, expected_version=1)
    session.refresh_from_db()
    assert session.cancelled_at is not None and session.notice_hours == 29


@time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=rules.OSLO))
def test_a_cancellation_must_say_who(people, plan):
    session = make_session(plan, at(date(2026, 2, 11), 17))
    session.status, session.cancel_reason = "no_show", "Kom ikke"
    with pytest.raises(ValidationError):
        services.session_cancel(user=people["ola"], session=session, expected_version=1)


@time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=rules.OSLO))
def test_a_future_visit_cannot_be_recorded_as_held(people, plan):
    session = make_session(plan, at(date(2026, 2, 11), 17))
    with pytest.raises(ValidationError):
        services.session_record(user=people["ola"], session=session, expected_version=1)


def test_a_stale_edit_of_a_visit_is_refused(people, plan):
    from sammen.core.models import ConcurrentEditError

    session = make_session(plan, at(date(2025, 2, 11), 17))
    services.session_record(
        user=people["ola"], session=VisitSession.objects.get(pk=session.pk), expected_version=1
    )
    session.language_spoken = "norsk"
    with pytest.raises(ConcurrentEditError):
        services.session_record(user=people["kari"], session=session, expected_version=1)


def test_the_minimum_count_on_the_case(people, case_a, plan):
    today = date(2026, 2, 20)
    make_session(plan, at(date(2026, 1, 20)), status="held")
    make_session(plan, at(date(2026, 2, 3)), status="cancelled", cancelled_by="parent")
    (row,) = selectors.case_plan_rows(case_a, today=today)
    m = row.minimum
    assert (m.required, m.held, m.cancelled, m.cancelled_by, m.met) == (
        1,
        1,
        1,
        {"parent": 1},
        True,
    )
    assert (m.window_start, m.last_day) == (PLAN_START, date(2026, 3, 4))


def test_falling_short_when_nothing_is_planned(people, case_a, plan):
    (row,) = selectors.case_plan_rows(case_a, today=date(2026, 2, 20))
    assert row.minimum.falling_short


def _report(people, plan):
    report = VisitReport(
        period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), summary="Fint samvær"
    )
    return services.report_write(user=people["ola"], plan=plan, report=report)


def test_a_report_is_approved_only_after_the_review_with_the_parent(people, plan):
    report = _report(people, plan)
    with pytest.raises(ValidationError):
        services.report_approve(user=people["siri"], report=report, expected_version=report.version)
    services.report_review(
        user=people["ola"],
        report=report,
        reviewed_on=date(2026, 2, 1),
        comments="Enig",
        agreement="agrees",
        expected_version=report.version,
    )
    with pytest.raises(ValidationError):
        services.report_approve(
            user=people["ola"], report=report, expected_version=report.version
        )  # not the approver
    services.report_approve(user=people["siri"], report=report, expected_version=report.version)
    report.refresh_from_db()
    assert report.is_approved and report.approved_by == people["siri"]
    report.summary = "Endret"
    with pytest.raises(ValidationError):
        services.report_write(
            user=people["ola"], plan=plan, report=report, expected_version=report.version
        )


def test_expenses_are_recorded_and_audited(people, plan):
    expense = services.expense_add(
        user=people["ola"],
        plan=plan,
        expense=VisitExpense(
            kind="travel", amount=Decimal("480.00"), spent_on=date(2026, 2, 2), note="Tog"
        ),
    )
    assert expense.recorded_by == people["ola"]
    assert AuditEvent.objects.filter(
        object_type="visits.VisitExpense", object_id=str(expense.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.expense_add(
            user=people["ola"],
            plan=plan,
            expense=VisitExpense(kind="food", amount=Decimal("-1"), spent_on=date(2026, 2, 2)),
        )
    page = selectors.plan_page(plan, today=date(2026, 2, 20))
    assert page["expenses_total"] == Decimal("480.00")


def test_dst_sessions_are_stored_with_the_right_offsets(people, plan):
    series = rules.occurrences(
        first=date(2026, 3, 25),
        at=time(17),
        minutes=120,
        recurrence="weekly",
        interval=1,
        until=date(2026, 4, 1),
    )
    created, _ = services.sessions_generate(
        user=people["kari"],
        plan=plan,
        series=series,
        counsellor=people["ola"],
        flat=None,
        place_kind="office",
    )
    stored = [VisitSession.objects.get(pk=s.pk).starts_at for s in created]
    assert [s.astimezone(rules.OSLO).hour for s in stored] == [17, 17]
    assert [s.astimezone(rules.OSLO).utcoffset() for s in stored] == [
        timedelta(hours=1),
        timedelta(hours=2),
    ]
