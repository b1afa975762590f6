"""The demo's visits (samvær), follow-ups and time log, loaded once for the whole module."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from sammen.cases.models import ChildCase, PlacementKind
from sammen.demo.builder import DEMO_PASSWORD, DEMO_UNIT_NAME, load_demo
from sammen.demo.timelog import WEEKS
from sammen.followup.models import Contact, FollowUp
from sammen.org.models import Role, User
from sammen.timelog import rules as time_rules
from sammen.timelog.models import Activity, TimeEntry
from sammen.visits import rules, selectors
from sammen.visits.models import VisitExpense, VisitFlat, VisitPlan, VisitReport, VisitSession

CANCELLED = ("cancelled", "no_show")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once and rolled back after the module's last test."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with fast:
            result = load_demo()
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def today(demo, db):
    return timezone.localdate()


def local_day(moment):
    return timezone.localdate(moment)


def test_flats_plans_and_visits_around_today(today):
    flats = VisitFlat.objects.filter(unit__name=DEMO_UNIT_NAME, is_active=True)
    assert 2 <= flats.count() <= 3
    assert all(flat.address for flat in flats)
    assert VisitPlan.objects.count() >= 15
    assert VisitSession.objects.filter(flat__isnull=False).exists()
    statuses = set(VisitSession.objects.values_list("status", flat=True))
    assert statuses == {"planned", "held", "cancelled", "no_show"}
    for session in VisitSession.objects.all():
        if local_day(session.starts_at) < today:
            assert session.status != "planned", session
        if session.status == "held":
            assert session.language_spoken and session.child_reactions and session.after_parent
        if session.status in CANCELLED:
            assert session.cancelled_by and session.cancel_reason and session.cancelled_at
    assert VisitSession.objects.filter(status="held", stopped=True).exists()
    assert VisitSession.objects.filter(starts_at__date__gt=today + timedelta(weeks=3)).exists()
    assert VisitSession.objects.filter(starts_at__date__lt=today - timedelta(weeks=8)).exists()
    parties = set(
        VisitSession.objects.filter(status="cancelled").values_list("cancelled_by", flat=True)
    )
    assert {"parent", "foster_home", "service"} <= parties
    assert VisitSession.objects.filter(status="no_show", cancelled_by="parent").exists()


def test_plans_pass_the_check_against_their_rulings(today):
    plans = VisitPlan.objects.select_related("case", "visitor", "ruling__decision", "counsellor")
    basis = set()
    for plan in plans:
        context = selectors.ruling_context(plan.case, plan.visitor, plan.starts_on)
        check = rules.check_plan(
            rules.PlanTerms(
                plan.visits, plan.period_length, plan.period_unit, plan.hours, plan.supervision
            ),
            ruling=context["ruling"],
            placement_kind=context["placement_kind"],
            visitor_is_parent=plan.visitor.is_parent,
            agreed_with_parents=plan.agreed_with_parents,
            latest_decision=context["latest_decision"],
        )
        assert check.ok, (plan.case.reference, check.refusals)
        assert plan.ruling_id == (check.ruling.pk if check.ruling else None)
        assert plan.counsellor in plan.case.counsellors.all()
        assert plan.evaluate_on > plan.starts_on
        assert plan.child_view and plan.foster_home_view and plan.parents_view
        basis.add(check.basis)
    assert basis == {"ruling", "voluntary", "agreement"}
    # Most open cases under a care order with a ruling have a plan.
    ruled = ChildCase.objects.filter(
        closed_on__isnull=True,
        placements__kind=PlacementKind.CARE_ORDER,
        placements__end_date__isnull=True,
        decisions__rulings__isnull=False,
    ).distinct()
    with_plan = ruled.filter(visit_plans__isnull=False).distinct()
    assert with_plan.count() >= ruled.count() * 0.7


def test_one_plan_falls_short_of_the_ruling(today):
    rows = [
        row
        for case in ChildCase.objects.filter(visit_plans__isnull=False).distinct()
        for row in selectors.case_plan_rows(case, today=today)
    ]
    short = [row for row in rows if row.minimum.falling_short]
    assert len(short) == 1
    assert short[0].ruling is not None
    assert short[0].minimum.cancelled >= 1


def test_no_counsellor_or_flat_is_double_booked(today):
    sessions = list(VisitSession.objects.exclude(status__in=CANCELLED))
    bookings = [
        rules.Booking(s.starts_at, s.ends_at, s.counsellor_id, s.flat_id, s.pk) for s in sessions
    ]
    for booking in bookings:
        assert not rules.clashes(booking, bookings), booking


def test_every_counsellor_with_a_plan_has_a_visit_this_week(today):
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    for counsellor_id in set(VisitPlan.objects.values_list("counsellor_id", flat=True)):
        assert (
            VisitSession.objects.filter(
                counsellor_id=counsellor_id,
                starts_at__date__range=(monday, sunday),
            )
            .exclude(status__in=CANCELLED)
            .exists()
        )


def test_reports_and_expenses(today):
    states = set(VisitReport.objects.values_list("state", flat=True))
    assert "approved" in states
    assert states & {"draft", "reviewed"}
    approved = VisitReport.objects.get(state="approved")
    assert approved.approved_by.role == Role.SECTION_LEADER
    kinds = set(VisitExpense.objects.values_list("kind", flat=True))
    assert {"travel", "food"} <= kinds
    assert all(e.amount > 0 and e.spent_on < today for e in VisitExpense.objects.all())


def test_time_entries_by_activity_linked_to_visits_and_contacts(today):
    entries = TimeEntry.objects.select_related("case", "visit_session__plan", "counsellor")
    assert entries.count() > 300
    by_activity = {a: Decimal(0) for a in Activity.values}
    for entry in entries:
        by_activity[entry.activity] += entry.hours
        assert today - timedelta(weeks=WEEKS) <= entry.worked_on < today
        assert entry.counsellor.role == Role.COUNSELLOR
        assert entry.section_id == entry.case.section_id
        if entry.visit_session_id:
            session = entry.visit_session
            assert session.status == "held" and session.plan.case_id == entry.case_id
            assert entry.hours == time_rules.hours_between(session.starts_at, session.ends_at)
    assert all(hours > 0 for hours in by_activity.values()), by_activity
    travel = entries.filter(activity=Activity.TRAVEL)
    assert travel.exists() and not travel.filter(km=0).exists()
    held = VisitSession.objects.filter(
        status="held", starts_at__date__gte=today - timedelta(weeks=WEEKS)
    )
    assert entries.filter(visit_session__isnull=False).count() == held.count()
    linked = entries.filter(contact__isnull=False).select_related("contact__followup__referral")
    assert linked.exists()
    for entry in linked:
        assert entry.contact.followup.referral.case_id == entry.case_id


def test_followups_in_different_states(today):
    states = set(FollowUp.objects.values_list("state", flat=True))
    assert {"referred", "assigned", "declined", "active"} <= states
    assert Contact.objects.filter(held_on__gte=today).exists()  # coming up in "Min uke"


def test_pages_show_the_new_data(today):
    short_case = next(
        case
        for case in ChildCase.objects.filter(visit_plans__isnull=False).distinct()
        if any(r.minimum.falling_short for r in selectors.case_plan_rows(case, today=today))
    )
    own_case = ChildCase.objects.filter(
        counsellors__username="veileder1", visit_plans__isnull=False
    ).first()
    lead, counsellor = Client(), Client()
    # Sign-in throttling (django-axes) needs a request in authenticate(), as axes documents.
    assert lead.login(request=HttpRequest(), username="prosjektleder", password=DEMO_PASSWORD)
    assert counsellor.login(request=HttpRequest(), username="veileder1", password=DEMO_PASSWORD)
    for url in ("/styring/", "/styring/kostnader/", f"/saker/{short_case.pk}/"):
        assert lead.get(url).status_code == 200, url
    calendar = counsellor.get("/samvaer/kalender/")
    assert calendar.status_code == 200
    mine = VisitSession.objects.filter(counsellor=User.objects.get(username="veileder1"))
    monday = today - timedelta(days=today.weekday())
    this_week = mine.filter(starts_at__date__range=(monday, monday + timedelta(days=6)))
    assert this_week.first().plan.case.reference in calendar.content.decode()
    overview = counsellor.get(f"/saker/{own_case.pk}/")
    assert overview.status_code == 200
    assert f"/saker/{own_case.pk}/samvaer/" in overview.content.decode()
