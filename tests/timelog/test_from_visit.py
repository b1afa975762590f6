"""Quick time entry from a held visit (samvær), and the "Log time" links that lead to it."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import Person
from sammen.followup.models import Contact, FollowUp, Referral
from sammen.timelog import rules, services
from sammen.timelog.models import TimeEntry
from sammen.visits.models import VisitPlan, VisitSession
from sammen.visits.rules import OSLO
from tests import factories as f

pytestmark = pytest.mark.django_db


def make_plan(case, made_by):
    visitor = Person.objects.filter(case=case).exclude(relation="child").first() or f.make_parent(
        case
    )
    return VisitPlan.objects.create(
        case=case,
        visitor=visitor,
        starts_on=date(2025, 1, 6),
        evaluate_on=date(2025, 7, 6),
        visits=1,
        period_length=1,
        period_unit="month",
        hours=Decimal("2"),
        place_kind="office",
        supervision="supervised",
        purposes=["bonds"],
        made_by=made_by,
    )


def make_session(plan, start, end, **fields):
    return VisitSession.objects.create(
        plan=plan, starts_at=start, ends_at=end, place_kind="office", **fields
    )


@pytest.fixture
def plan(people, case_a):
    return make_plan(case_a, people["kari"])


@pytest.fixture
def session(plan, people):
    """A held visit on case_a, Wednesday 2 April 2025 17:00–18:50 in Oslo."""
    start = datetime(2025, 4, 2, 17, 0, tzinfo=OSLO)
    return make_session(
        plan, start, start + timedelta(minutes=110), counsellor=people["ola"], status="held"
    )


def add_url(**query):
    (key, value), *_ = query.items()
    return f"{reverse('timelog:add')}?{key}={value}"


def post_data(case, session, **overrides):
    data = {
        "case": case.pk,
        "worked_on": "2025-04-02",
        "activity": "visit",
        "hours": "1.83",
        "km": "22",
        "session": session.pk,
    }
    data.update(overrides)
    return data


def denials(user, case):
    return AuditEvent.objects.filter(user=user, case_id=case.pk, action=AuditAction.DENIED).count()


# --- rules -------------------------------------------------------------------------------


def test_a_visits_length_becomes_hours_rounded_as_for_contacts():
    start = datetime(2025, 4, 2, 17, 0, tzinfo=OSLO)
    assert rules.hours_between(start, start + timedelta(hours=2)) == Decimal("2.00")
    assert rules.hours_between(start, start + timedelta(minutes=110)) == Decimal("1.83")
    assert rules.hours_between(start, start + timedelta(minutes=50)) == rules.hours_from_minutes(50)
    # 1 minute 30 seconds is 0.025 h: rounded half up, as hours_from_minutes rounds.
    assert rules.hours_between(start, start + timedelta(seconds=90)) == Decimal("0.03")


# --- pre-filling -------------------------------------------------------------------------


def test_the_quick_entry_is_filled_in_from_the_visit(client, people, case_a, session):
    client.force_login(people["ola"])
    response = client.get(reverse("timelog:add"), {"session": session.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["case"] == case_a.pk
    assert form.initial["worked_on"] == date(2025, 4, 2)
    assert form.initial["hours"] == Decimal("1.83")
    assert form.initial["activity"] == "visit"
    assert form.initial["session"] == session.pk
    assert response.context["session"] == session
    assert response.context["logged"] is None
    # Opening the form shows the case's visitor: the read is audited.
    assert AuditEvent.objects.filter(
        user=people["ola"], case_id=case_a.pk, action=AuditAction.VIEW
    ).exists()


def test_the_date_is_the_local_date_the_visit_started(client, people, plan):
    # 00:30 in Oslo on 3 April is 22:30 UTC on 2 April.
    start = datetime(2025, 4, 3, 0, 30, tzinfo=OSLO)
    late = make_session(plan, start, start + timedelta(hours=1), status="held")
    client.force_login(people["ola"])
    response = client.get(reverse("timelog:add"), {"session": late.pk})
    assert response.context["form"].initial["worked_on"] == date(2025, 4, 3)


def test_saving_links_the_entry_to_the_visit_and_is_audited(client, people, case_a, session):
    client.force_login(people["ola"])
    response = client.post(add_url(session=session.pk), post_data(case_a, session))
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.counsellor, entry.visit_session, entry.contact, entry.activity) == (
        people["ola"],
        session,
        None,
        "visit",
    )
    assert (entry.hours, entry.km, entry.section_id) == (
        Decimal("1.83"),
        Decimal("22"),
        case_a.section_id,
    )
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, case_id=case_a.pk).exists()


def test_a_visit_already_logged_links_to_its_entry_and_cannot_be_logged_twice(
    client, people, case_a, session
):
    client.force_login(people["ola"])
    client.post(add_url(session=session.pk), post_data(case_a, session))
    entry = TimeEntry.objects.get(visit_session=session)
    response = client.get(reverse("timelog:add"), {"session": session.pk})
    assert response.status_code == 200
    assert response.context["logged"] == entry
    html = response.content.decode()
    assert (
        reverse("timelog:edit", args=[entry.pk]) in html
        and '<form method="post" class="app-form' not in html
    )
    again = client.post(add_url(session=session.pk), post_data(case_a, session))
    assert again.status_code == 200
    assert "Tid er allerede ført for dette samværet." in again.content.decode()
    assert TimeEntry.objects.filter(visit_session=session).count() == 1


def test_the_visit_must_belong_to_the_case_the_time_is_logged_on(
    client, people, section_a, case_a, session
):
    other = f.make_case(section=section_a, caseworker=people["kari"], counsellors=[people["ola"]])
    client.force_login(people["ola"])
    response = client.post(add_url(session=session.pk), post_data(other, session))
    assert response.status_code == 200
    assert "Samværet hører til en annen sak." in str(response.context["form"].non_field_errors())
    assert not TimeEntry.objects.exists()


def test_the_service_refuses_a_visit_that_was_not_held(people, case_a, plan):
    start = timezone.now() - timedelta(days=1)
    missed = make_session(
        plan, start, start + timedelta(hours=2), status="no_show", cancelled_by="parent"
    )
    entry = TimeEntry(
        case=case_a,
        worked_on=timezone.localdate(start),
        activity="visit",
        hours=Decimal("2"),
        visit_session=missed,
    )
    with pytest.raises(ValidationError):
        services.time_entry_create(user=people["ola"], entry=entry)
    assert not TimeEntry.objects.exists()


def test_an_entry_starts_from_a_contact_or_a_visit_not_both(client, people, case_a, session):
    ref = Referral.objects.create(
        case=case_a,
        referred_by=people["kari"],
        referred_on=date(2025, 3, 1),
        order="guidance",
        goals="Samvær",
        counsellor=people["ola"],
    )
    fu = FollowUp.objects.create(referral=ref, parent=session.plan.visitor, state="active")
    contact = Contact.objects.create(
        followup=fu,
        held_on=date(2025, 4, 2),
        with_whom="parent",
        place="home",
        method="conversation",
        minutes=60,
        recorded_by=people["ola"],
    )
    client.force_login(people["ola"])
    url = f"{reverse('timelog:add')}?session={session.pk}&contact={contact.pk}"
    assert client.get(url).status_code == 400
    assert client.post(url, post_data(case_a, session, contact=contact.pk)).status_code == 400
    assert not TimeEntry.objects.exists()


# --- who may start from a visit ------------------------------------------------------------


def test_a_visit_in_a_foreign_case_looks_not_found_and_the_refusal_is_audited(
    client, people, case_a, session
):
    per = people["per"]
    client.force_login(per)
    assert client.get(reverse("timelog:add"), {"session": session.pk}).status_code == 404
    assert denials(per, case_a) == 1
    response = client.post(add_url(session=session.pk), post_data(case_a, session))
    assert response.status_code == 404
    assert denials(per, case_a) == 2
    assert not TimeEntry.objects.exists()


def test_a_counsellor_who_may_only_read_the_case_is_refused_and_audited(client, people, case_b):
    per = people["per"]
    AccessGrant.objects.create(
        case=case_b,
        user=per,
        granted_by=people["sven"],
        reason="Dekker ferie",
        valid_until=timezone.now() + timedelta(days=7),
    )
    start = datetime(2025, 4, 2, 17, 0, tzinfo=OSLO)
    held = make_session(
        make_plan(case_b, people["cato"]), start, start + timedelta(hours=2), status="held"
    )
    client.force_login(per)
    assert client.get(reverse("timelog:add"), {"session": held.pk}).status_code == 403
    assert denials(per, case_b) == 1


@pytest.mark.parametrize("raw", ["x", "1.5", "", "99999999999999999999", "999999"])
def test_a_bad_or_unknown_visit_id_gives_404(client, people, session, raw):
    client.force_login(people["ola"])
    response = client.get(f"{reverse('timelog:add')}?session={raw}")
    # An empty value is no quick entry at all: the plain form.
    assert response.status_code == (200 if raw == "" else 404)


@pytest.mark.parametrize(
    ("status", "cancelled_by"), [("planned", ""), ("cancelled", "parent"), ("no_show", "parent")]
)
def test_a_visit_that_was_not_held_cannot_be_started_from(
    client, people, case_a, plan, status, cancelled_by
):
    start = datetime(2025, 4, 2, 17, 0, tzinfo=OSLO)
    other = make_session(
        plan, start, start + timedelta(hours=2), status=status, cancelled_by=cancelled_by
    )
    client.force_login(people["ola"])
    assert client.get(reverse("timelog:add"), {"session": other.pk}).status_code == 404
    assert not AuditEvent.objects.filter(
        user=people["ola"], case_id=case_a.pk, action=AuditAction.VIEW
    ).exists()


@pytest.mark.parametrize("who", ["kari", "siri", "pia", "adam"])
def test_only_counsellors_start_from_a_visit(client, people, session, who):
    client.force_login(people[who])
    assert client.get(reverse("timelog:add"), {"session": session.pk}).status_code == 403


# --- the links -------------------------------------------------------------------------------


def session_page(client, case, session):
    return client.get(reverse("visits:session", args=[case.pk, session.pk])).content.decode()


def test_the_visit_page_offers_a_counsellor_on_the_case_to_log_time(
    client, people, case_a, session
):
    client.force_login(people["ola"])
    assert f"{reverse('timelog:add')}?session={session.pk}" in session_page(client, case_a, session)


@pytest.mark.parametrize("who", ["kari", "siri"])
def test_the_visit_page_offers_no_time_log_to_others(client, people, case_a, session, who):
    client.force_login(people[who])
    assert reverse("timelog:add") not in session_page(client, case_a, session)


def test_a_visit_not_yet_held_offers_no_time_log(client, people, case_a, plan):
    start = timezone.now() + timedelta(days=3)
    planned = make_session(plan, start, start + timedelta(hours=2), counsellor=people["ola"])
    client.force_login(people["ola"])
    assert reverse("timelog:add") not in session_page(client, case_a, planned)


@pytest.fixture
def followup_with_contact(people, case_a):
    ref = Referral.objects.create(
        case=case_a,
        referred_by=people["kari"],
        referred_on=date(2025, 3, 1),
        order="guidance",
        goals="Samvær",
        counsellor=people["ola"],
    )
    fu = FollowUp.objects.create(
        referral=ref, parent=case_a.persons.get(relation="mother"), state="active"
    )
    contact = Contact.objects.create(
        followup=fu,
        held_on=date(2025, 4, 2),
        with_whom="parent",
        place="home",
        method="conversation",
        minutes=45,
        recorded_by=people["ola"],
    )
    return fu, contact


@pytest.mark.parametrize(("who", "shown"), [("ola", True), ("kari", False), ("siri", False)])
def test_the_follow_up_page_offers_counsellors_to_log_a_contacts_time(
    client, people, case_a, followup_with_contact, who, shown
):
    fu, contact = followup_with_contact
    client.force_login(people[who])
    page = client.get(reverse("followup:detail", args=[case_a.pk, fu.pk]))
    assert page.status_code == 200
    assert (f"{reverse('timelog:add')}?contact={contact.pk}" in page.content.decode()) is shown
