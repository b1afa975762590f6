"""The visits pages: who sees them, bad input, bounded queries, and the path through the pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.review import ReviewState
from sammen.visits.models import VisitExpense, VisitFlat, VisitPlan, VisitReport, VisitSession
from tests import factories as f
from tests.cases.form_helpers import assert_refused, assert_typed_values_kept

from .conftest import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, case_a, plan, flat):
    session = make_session(plan, at(date(2026, 1, 20)), counsellor=people["ola"], flat=flat)
    report = VisitReport.objects.create(
        plan=plan,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        summary="Utkast",
        written_by=people["ola"],
    )
    return {"case": case_a, "plan": plan, "session": session, "report": report, "flat": flat}


def case_pages(w):
    c, p, s, r = w["case"].pk, w["plan"].pk, w["session"].pk, w["report"].pk
    return [
        reverse("visits:plan_add", args=[c]),
        reverse("visits:plan", args=[c, p]),
        reverse("visits:plan_revise", args=[c, p]),
        reverse("visits:generate", args=[c, p]),
        reverse("visits:session_add", args=[c, p]),
        reverse("visits:expense_add", args=[c, p]),
        reverse("visits:report_add", args=[c, p]),
        reverse("visits:session", args=[c, s]),
        reverse("visits:session_move", args=[c, s]),
        reverse("visits:session_record", args=[c, s]),
        reverse("visits:session_cancel", args=[c, s]),
        reverse("visits:report", args=[c, r]),
        reverse("visits:report_edit", args=[c, r]),
        reverse("visits:report_review", args=[c, r]),
    ]


@pytest.mark.parametrize("who", ["ola", "siri"])
def test_case_pages_render_for_the_team(client, people, world, who):
    client.force_login(people[who])
    for url in case_pages(world):
        assert client.get(url).status_code == 200, url
    assert (
        client.get(
            reverse("visits:plan_pdf", args=[world["case"].pk, world["plan"].pk]) + "?til=child"
        ).status_code
        == 200
    )


def test_case_pages_are_404_for_a_counsellor_outside_the_team(client, people, world):
    client.force_login(people["per"])
    for url in case_pages(world):
        assert client.get(url).status_code == 404, url


def test_the_caseworker_sees_only_approved_reports(client, people, world):
    client.force_login(people["kari"])
    url = reverse("visits:report", args=[world["case"].pk, world["report"].pk])
    assert client.get(url).status_code == 404
    refusal = AuditEvent.objects.filter(user=people["kari"], case_id=world["case"].pk).latest("pk")
    assert refusal.action == AuditAction.DENIED
    page = client.get(reverse("visits:plan", args=[world["case"].pk, world["plan"].pk]))
    assert (
        reverse("visits:report", args=[world["case"].pk, world["report"].pk])
        not in page.content.decode()
    )
    f.set_columns(VisitReport.objects.filter(pk=world["report"].pk), state=ReviewState.APPROVED)
    assert client.get(url).status_code == 200
    pdf = client.get(reverse("visits:report_pdf", args=[world["case"].pk, world["report"].pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_calendars_and_flats_render(client, people, world):
    client.force_login(people["ola"])
    week = "?uke=2026-01-19"
    page = client.get(reverse("visits:calendar") + week)
    assert page.status_code == 200 and world["case"].reference in page.content.decode()
    assert client.get(reverse("visits:flat_list")).status_code == 200
    assert (
        client.get(reverse("visits:flat_calendar", args=[world["flat"].pk]) + week).status_code
        == 200
    )
    client.force_login(people["kari"])
    assert client.get(reverse("visits:flat_add")).status_code == 200
    assert client.get(reverse("visits:flat_edit", args=[world["flat"].pk])).status_code == 200


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_week_at_the_calendars_end_shows_this_week_instead(client, people, world, week):
    """A week whose next week would leave the calendar is not shown: this week is."""
    client.force_login(people["ola"])
    for url in (
        reverse("visits:calendar"),
        reverse("visits:flat_calendar", args=[world["flat"].pk]),
    ):
        page = client.get(url + "?uke=" + week)
        assert page.status_code == 200
        assert (
            page.context["monday"]
            <= timezone.localdate()
            < page.context["monday"] + timedelta(days=7)
        )


def test_a_flat_calendar_hides_cases_the_viewer_may_not_see(client, people, world):
    client.force_login(people["cato"])
    page = client.get(reverse("visits:flat_calendar", args=[world["flat"].pk]) + "?uke=2026-01-19")
    body = page.content.decode()
    assert page.status_code == 200 and world["case"].reference not in body
    assert len(page.context["sessions"]) == 1 and not page.context["sessions"][0].visible
    assert people["ola"].get_full_name() not in body


def counts():
    return (
        VisitPlan.objects.count(),
        VisitSession.objects.count(),
        VisitReport.objects.count(),
        VisitExpense.objects.count(),
        VisitFlat.objects.count(),
        AuditEvent.objects.filter(action__in=("create", "update")).count(),
    )


def bad_posts(w, people):
    c, p, s, r = w["case"].pk, w["plan"].pk, w["session"].pk, w["report"].pk
    mother = w["plan"].visitor_id
    ola = people["ola"].pk
    return [
        # Below the minimum: refused with a message citing the decision; the typed values stay.
        (
            reverse("visits:plan_revise", args=[c, p]),
            {
                "visitor": mother,
                "starts_on": "2026-02-01",
                "evaluate_on": "2026-08-01",
                "visits": "5",
                "period_length": "1",
                "period_unit": "year",
                "hours": "2",
                "place_kind": "office",
                "supervision": "supervised",
                "purposes": ["bonds"],
                "participants": "Mor og barn",
                "based_on": "1",
            },
            [],
        ),
        (
            reverse("visits:plan_add", args=[c]),
            {"visits": "x", "based_on": "0", "participants": "Mor"},
            ["visits", "visitor"],
        ),
        (
            reverse("visits:generate", args=[c, p]),
            {
                "first_day": "2026-02-01",
                "start_time": "17:00",
                "minutes": "120",
                "recurrence": "weekly",
                "interval": "1",
                "until": "2026-01-01",
                "place_kind": "office",
            },
            ["until"],
        ),
        (
            reverse("visits:session_add", args=[c, p]),
            {
                "starts_at": "2026-02-01T17:00",
                "ends_at": "2026-02-01T16:00",
                "place_kind": "office",
                "counsellor": ola,
            },
            ["ends_at"],
        ),
        (
            reverse("visits:session_move", args=[c, s]),
            {
                "starts_at": "not a date",
                "ends_at": "2026-02-01T16:00",
                "place_kind": "flat",
                "expected_version": "1",
            },
            ["starts_at", "flat"],
        ),
        (
            reverse("visits:session_record", args=[c, s]),
            {
                "stopped": "on",
                "child_reactions": "Gråt",
                "expected_version": "1",
            },
            ["stop_reason", "language_spoken"],
        ),
        (
            reverse("visits:session_cancel", args=[c, s]),
            {
                "status": "cancelled",
                "cancel_reason": "Syk",
                "expected_version": "1",
            },
            ["cancelled_by"],
        ),
        (
            reverse("visits:report_add", args=[c, p]),
            {
                "period_start": "2026-02-01",
                "period_end": "2026-01-01",
                "summary": "Tekst",
            },
            ["period_end"],
        ),
        (
            reverse("visits:report_review", args=[c, r]),
            {"reviewed_on": "2099-01-01", "comments": "Uenig"},
            ["reviewed_on", "agreement"],
        ),
        (
            reverse("visits:expense_add", args=[c, p]),
            {"kind": "travel", "amount": "-5", "spent_on": "2026-02-01", "note": "Tog"},
            ["amount"],
        ),
    ]


def test_bad_input_to_each_form_is_shown_again_and_nothing_is_saved(client, people, world):
    client.force_login(people["ola"])
    before = counts()
    for url, data, fields in bad_posts(world, people):
        response = client.post(url, data)
        assert_refused(response, *fields)
        assert_typed_values_kept(
            response, {k: v for k, v in data.items() if k not in fields and k != "expected_version"}
        )
        assert counts() == before, url
    client.force_login(people["kari"])
    response = client.post(reverse("visits:flat_add"), {"name": "", "address": "Storgata 1"})
    assert_refused(response, "name")
    assert counts() == before


def test_the_refusal_below_the_minimum_cites_the_decision(client, people, world):
    client.force_login(people["kari"])
    url, data, _ = bad_posts(world, people)[0]
    body = client.post(url, data).content.decode()
    assert "12.03.2025" in body


def test_the_plan_page_and_calendars_use_a_bounded_number_of_queries(
    client, people, world, django_assert_max_num_queries
):
    plan, ola = world["plan"], people["ola"]
    for i in range(15):
        make_session(
            plan, at(date(2026, 2, 2) + timedelta(days=i)), counsellor=ola, flat=world["flat"]
        )
    client.force_login(ola)
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("visits:plan", args=[world["case"].pk, plan.pk])).status_code == 200
        )
    with django_assert_max_num_queries(15):
        assert client.get(reverse("visits:calendar") + "?uke=2026-02-02").status_code == 200
    with django_assert_max_num_queries(15):
        assert (
            client.get(
                reverse("visits:flat_calendar", args=[world["flat"].pk]) + "?uke=2026-02-02"
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(25):
        assert client.get(reverse("cases:overview", args=[world["case"].pk])).status_code == 200


def test_the_case_section_lists_plans_with_their_minimum(client, people, world, rf):
    from django.template.loader import render_to_string

    html = render_to_string("visits/_case_section.html", {"case": world["case"], "can_edit": True})
    assert (
        world["plan"].visitor.full_name in html
        and reverse("visits:plan_add", args=[world["case"].pk]) in html
    )


def test_a_plan_accepted_at_the_minimum_through_the_page(client, people, world):
    client.force_login(people["kari"])
    url, data, _ = bad_posts(world, people)[0]
    response = client.post(url, {**data, "visits": "6"})
    assert response.status_code == 302
    assert VisitPlan.objects.filter(visitor_id=world["plan"].visitor_id).count() == 2


def test_a_double_booking_is_refused_on_the_page(client, people, world):
    client.force_login(people["ola"])
    s = world["session"]
    local = timezone.localtime(s.starts_at)
    response = client.post(
        reverse("visits:session_add", args=[world["case"].pk, world["plan"].pk]),
        {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place_kind": "office",
            "counsellor": people["ola"].pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert VisitSession.objects.count() == 1
