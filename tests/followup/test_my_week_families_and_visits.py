"""«Min uke»: the counsellor's new families and the week's visits, week by week (?uke=), through
the access policy and at a cost that does not grow with the data."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditEvent
from sammen.cases.models import Person
from sammen.followup import selectors
from sammen.visits.models import VisitFlat, VisitPlan, VisitSession

from .. import factories as f
from .week_data import _followup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _assigned(followup, days_ago):
    """Set when the follow-up's referral was assigned, `days_ago` days ago at noon."""
    moment = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12))
    )
    f.set_columns(
        type(followup.referral).objects.filter(pk=followup.referral_id), assigned_at=moment
    )


def _plan(case, visitor, made_by):
    return VisitPlan.objects.create(
        case=case,
        visitor=visitor,
        made_by=made_by,
        starts_on=date(2025, 1, 6),
        evaluate_on=date(2025, 7, 1),
        visits=1,
        period_length=1,
        period_unit="week",
        hours=Decimal("2"),
        place_kind="office",
        supervision="supervised",
        purposes=["bonds"],
    )


def _visit(plan, days_from_today, *, hour=17, counsellor=None, flat=None, **fields):
    day = timezone.localdate() + timedelta(days=days_from_today)
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return VisitSession.objects.create(
        plan=plan,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        counsellor=counsellor,
        flat=flat,
        place_kind="flat" if flat else "office",
        **fields,
    )


@pytest.fixture
def families(people, case_a, case_b, section_a):
    """ola's follow-ups on case_a and another case of his, and someone else's."""
    ola, kari = people["ola"], people["kari"]
    mother = Person.objects.get(case=case_a, relation="mother")
    father = f.make_parent(case_a, relation="father", first_name="Bjørn", last_name="Testfar")
    fresh = _followup(case_a, mother, ola, state="consented")
    _assigned(fresh, 3)
    waiting = _followup(case_a, father, ola, state="assigned")
    _assigned(waiting, 30)  # long ago, but the parent has not answered yet
    other = f.make_case(section=section_a, caseworker=kari, counsellors=[ola], child_first="Ida")
    settled = _followup(other, f.make_parent(other, first_name="Sara"), ola, state="active")
    _assigned(settled, 30)  # an old family
    boundary = _followup(
        other, f.make_parent(other, "father", first_name="Tor", last_name="Grense"), ola
    )
    _assigned(boundary, selectors.NEW_FAMILY_DAYS)  # the fourteenth day: still new
    closed = _followup(
        other, f.make_parent(other, "grandparent", first_name="Gro"), ola, state="closed"
    )
    _assigned(closed, 1)
    perss = _followup(
        other, f.make_parent(other, "step", first_name="Stig"), people["per"], state="assigned"
    )
    _assigned(perss, 1)
    return {"fresh": fresh, "waiting": waiting, "boundary": boundary, "other": other}


def test_new_families_are_those_assigned_lately_or_waiting_for_the_parent(people, families):
    week = selectors.my_week(people["ola"], today=timezone.localdate())
    rows = [(r.parent.first_name, r.assigned_on) for r in week["new_families"]]
    today = timezone.localdate()
    assert rows == [
        ("Anne", today - timedelta(days=3)),
        ("Tor", today - timedelta(days=14)),
        ("Bjørn", today - timedelta(days=30)),
    ]
    first = week["new_families"][0]
    assert first.order_label == "Guidance only"
    assert first.case_reference == families["fresh"].referral.case.reference
    assert first.url == reverse("followup:detail", args=[first.case_id, first.pk])


def test_a_family_assigned_fifteen_days_ago_and_under_way_is_no_longer_new(people, families):
    _assigned(families["boundary"], selectors.NEW_FAMILY_DAYS + 1)
    week = selectors.my_week(people["ola"], today=timezone.localdate())
    assert "Tor" not in [r.parent.first_name for r in week["new_families"]]


@pytest.fixture
def visits(people, case_a, case_b, families, unit):
    """Visits on case_a (ola on the team), on ola's other case, on case_b (not his) — one of
    them with ola as the counsellor, whom the policy still keeps from case_b."""
    ola, kari = people["ola"], people["kari"]
    flat = VisitFlat.objects.create(unit=unit, name="Samværsleiligheten Storgata")
    mother = Person.objects.get(case=case_a, relation="mother")
    plan_a = _plan(case_a, mother, kari)
    sara = Person.objects.get(case=families["other"], first_name="Sara")
    plan_other = _plan(families["other"], sara, kari)
    plan_b = _plan(case_b, f.make_parent(case_b, first_name="Berit"), people["cato"])
    return {
        "tomorrow": _visit(plan_a, 1, flat=flat, counsellor=people["per"]),
        "in_six_days": _visit(plan_other, 6, hour=9, counsellor=ola),
        "cancelled": _visit(
            plan_a, 2, status="cancelled", cancelled_by="parent", cancel_reason="Syk"
        ),
        "yesterday": _visit(plan_a, -1),
        "in_a_week": _visit(plan_a, 7),
        "not_his": _visit(plan_b, 1, counsellor=ola),
        # Tuesday of next week
        "next_week": _visit(plan_a, 7 - timezone.localdate().weekday() + 1),
    }


def test_the_visits_of_the_next_seven_days_in_the_cases_he_follows(people, visits):
    today = timezone.localdate()
    week = selectors.my_week(people["ola"], today=today)
    # Not yesterday's, not the one a week on, not case_b's; next Tuesday's only when it is
    # within the seven days (from a Wednesday on).
    shown = ["tomorrow", "cancelled", "in_six_days", "next_week"]
    expected = sorted(
        (visits[name] for name in shown),
        key=lambda s: s.starts_at,
    )
    expected = [s.pk for s in expected if timezone.localdate(s.starts_at) < today + timedelta(7)]
    assert [s.pk for s in week["visits"]] == expected
    assert visits["in_six_days"].pk in expected and visits["cancelled"].pk in expected


def test_a_visit_he_takes_on_a_case_he_no_longer_follows_is_still_his(people, visits, families):
    """Off the team but with a grant to the case, the visit he is the counsellor of is shown."""
    ola = people["ola"]
    other = families["other"]
    other.counsellors.remove(ola)
    f.set_columns(other.referrals.all(), counsellor=people["per"])
    week = selectors.my_week(ola, today=timezone.localdate())
    assert visits["in_six_days"].pk not in [s.pk for s in week["visits"]]
    AccessGrant.objects.create(
        case=other,
        user=ola,
        granted_by=people["siri"],
        reason="Samvær denne uken",
        valid_until=timezone.now() + timedelta(days=7),
    )
    week = selectors.my_week(ola, today=timezone.localdate())
    assert visits["in_six_days"].pk in [s.pk for s in week["visits"]]


def test_the_week_navigation_applies_to_the_visits_and_the_sessions(people, visits):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    first, end = selectors.week_window(today, monday + timedelta(days=3))
    assert (first, end) == (monday, monday + timedelta(days=7))
    week = selectors.my_week(people["ola"], today=today, first=first)
    assert all(first <= timezone.localdate(s.starts_at) < end for s in week["visits"])
    assert visits["next_week"].pk in [s.pk for s in week["visits"]]
    assert visits["tomorrow"].pk not in [s.pk for s in week["visits"]] or today.weekday() == 6


def test_a_week_outside_the_accepted_dates_gives_the_next_seven_days():
    today = date(2026, 3, 18)
    assert selectors.week_window(today) == (today, today + timedelta(days=7))
    for asked in (date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31), date(2036, 3, 19)):
        assert selectors.week_window(today, asked) == (today, today + timedelta(days=7))
    assert selectors.week_window(today, date(1900, 1, 1))[0] == date(1900, 1, 1)


def test_the_page_lists_new_families_and_visits_and_logs_their_cases(
    client, people, case_a, families, visits
):
    client.force_login(people["ola"])
    response = client.get(reverse("followup:my_week"))
    assert response.status_code == 200
    body = response.content.decode()
    assert families["fresh"].referral.case.reference in body
    assert "Samværsleiligheten Storgata" in body
    assert reverse("visits:session", args=[case_a.pk, visits["tomorrow"].pk]) in body
    assert "Berit" not in body  # case_b's visit, although ola is its counsellor
    event = AuditEvent.objects.order_by("-pk").first()
    assert families["other"].pk in event.object_ids and case_a.pk in event.object_ids


@pytest.mark.parametrize("asked", ["", "nonsense", "9999-12-31", "0001-01-01", "2026-02-30"])
def test_any_week_asked_for_gives_a_page(client, people, visits, asked):
    client.force_login(people["ola"])
    assert client.get(reverse("followup:my_week"), {"uke": asked}).status_code == 200


def test_another_week_is_shown_with_its_number_and_its_visits(client, people, visits):
    today = timezone.localdate()
    day = visits["next_week"].starts_at
    client.force_login(people["ola"])
    response = client.get(reverse("followup:my_week"), {"uke": f"{day:%Y-%m-%d}"})
    body = response.content.decode()
    week_number = timezone.localdate(day).isocalendar().week
    assert f"Samvær i uke {week_number}" in body
    assert (
        reverse("visits:session", args=[visits["next_week"].plan.case_id, visits["next_week"].pk])
        in body
    )
    assert today.isocalendar().week != week_number


def test_the_page_speaks_norwegian(client, people, families, visits):
    """Needs the coordinator's compiled catalogue for the new headings."""
    client.force_login(people["ola"])
    with translation.override("nb"):
        body = client.get(reverse("followup:my_week")).content.decode()
    assert "Nye familier" in body
    assert "Samvær de neste sju dagene" in body
    assert "Tildelt deg" in body


# Session, user, the counsellor's open follow-ups (policy inside), their sessions of the week,
# their reports, the week's visits, the audit row; with the test's savepoint and its release.
MAX_QUERIES = 9


def test_the_week_costs_the_same_for_one_and_many_families_and_visits(
    client, people, section_a, families, visits, django_assert_max_num_queries
):
    client.force_login(people["ola"])
    url = reverse("followup:my_week")
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        case = f.make_case(
            section=section_a, caseworker=people["kari"], counsellors=[people["ola"]]
        )
        parent = f.make_parent(case, first_name=f"Mor{i}")
        followup = _followup(case, parent, people["ola"], state="assigned")
        _assigned(followup, 2)
        plan = _plan(case, parent, people["kari"])
        _visit(plan, 1, counsellor=people["ola"])
        _visit(plan, 3)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        body = client.get(url).content.decode()
    assert "Mor29 Testmor" in body
    assert len(large) == len(small)
