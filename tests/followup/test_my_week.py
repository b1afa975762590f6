"""«Min uke»: what the counsellor sees, and that it costs the same however much there is."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.audit.models import AuditEvent
from sammen.cases.models import Person
from sammen.followup import selectors
from sammen.followup.choices import Method, Place
from sammen.followup.models import Contact, FollowUp, FollowUpReport, Referral

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


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


def test_the_week_lists_the_counsellors_sessions_deadlines_and_reports(people, week):
    today = timezone.localdate()
    result = selectors.my_week(people["ola"], today=today)
    assert [(c.followup_id, c.held_on - today) for c in result["upcoming"]] == [
        (week["declined"].pk, timedelta(0)),
        (week["active"].pk, timedelta(days=2)),
        (week["active"].pk, timedelta(days=6)),
    ]
    assert [r.followup.parent.first_name for r in result["reports_to_review"]] == ["Anne"]
    assert [r.state for r in result["reports_to_review"]] == ["draft"]
    reminders = selectors.reminders_for(people["ola"], today=today)
    assert result["overdue"] == [r for r in reminders if r.is_overdue(today)]
    assert result["ahead"] == [
        r for r in reminders if not r.is_overdue(today) and r.due <= today + timedelta(days=30)
    ]
    texts = [r.text for r in result["overdue"] + result["ahead"]]
    assert "Offer follow-up again to Bjørn Testfar" in texts
    assert "Review the frame for Anne Testmor" in texts


def test_the_week_page_shows_it_and_logs_the_cases_read(client, people, case_a, week):
    client.force_login(people["ola"])
    response = client.get(reverse("followup:my_week"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Anne Testmor") >= 2 and "Bjørn Testfar" in body
    with translation.override("nb"):  # the page speaks the site's language
        assert str(Method.COSP.label) in body and str(Place.OFFICE.label).lower() in body
    assert "Gro Bestemor" not in body and "Stig Steforelder" not in body
    assert reverse("followup:detail", args=[case_a.pk, week["active"].pk]) in body
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.object_ids == [case_a.pk]


def test_the_week_costs_the_same_for_one_and_many_families(client, people, section_a, week):
    client.force_login(people["ola"])
    url = reverse("followup:my_week")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(5):
        case = f.make_case(
            section=section_a,
            caseworker=people["kari"],
            counsellors=[people["ola"]],
            child_first=f"Barn{i}",
        )
        parent = f.make_parent(case, first_name=f"Mor{i}")
        followup = _followup(case, parent, people["ola"], started_on=timezone.localdate())
        _contact(followup, 1)
        _report(followup)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Mor4 Testmor" in response.content.decode()
    assert len(large) == len(small)


def test_a_case_shown_only_through_a_deadline_is_logged_as_read(client, people, section_a, week):
    """A case whose only line on the page is an overdue re-offer is still in the audit row."""
    other = f.make_case(section=section_a, caseworker=people["kari"], counsellors=[people["ola"]])
    father = f.make_parent(other, relation="father", first_name="Egil", last_name="Testfar")
    _followup(
        other,
        father,
        people["ola"],
        state="declined",
        reoffer_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(people["ola"])
    assert "Egil Testfar" in client.get(reverse("followup:my_week")).content.decode()
    event = AuditEvent.objects.order_by("-pk").first()
    assert other.pk in event.object_ids
    client.force_login(people["ola"])
    client.get(reverse("followup:overview"))
    event = AuditEvent.objects.order_by("-pk").first()
    assert other.pk in event.object_ids
