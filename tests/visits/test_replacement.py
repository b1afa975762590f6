"""After a cancellation the visit page offers a replacement visit, prefilled (issue 11)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from sammen.visits import rules, services
from sammen.visits.models import VisitPlan, VisitSession
from tests.cases.form_helpers import assert_typed_values_kept, shown_values

from .conftest import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_the_visits():
    with time_machine.travel(datetime(2027, 1, 10, 12, tzinfo=rules.OSLO), tick=False):
        yield


VISIT_DAY = date(2027, 1, 13)  # a Wednesday


@pytest.fixture
def visit(people, plan, flat):
    return make_session(plan, at(VISIT_DAY), counsellor=people["ola"], flat=flat)


def cancel_on_the_page(client, case, session):
    return client.post(
        reverse("visits:session_cancel", args=[case.pk, session.pk]),
        {
            "status": "cancelled",
            "cancelled_by": "foster_home",
            "cancel_reason": "Barnet er sykt",
            "expected_version": session.version,
        },
        follow=True,
    )


def offer_url(case, session):
    add = reverse("visits:session_add", args=[case.pk, session.plan_id])
    return f"{add}?erstatter={session.pk}"


def test_the_page_after_a_cancellation_offers_a_replacement(client, people, case_a, visit):
    client.force_login(people["ola"])
    response = cancel_on_the_page(client, case_a, visit)
    assert response.redirect_chain[-1][0] == reverse("visits:session", args=[case_a.pk, visit.pk])
    assert offer_url(case_a, visit) in response.content.decode()


def test_a_planned_visit_offers_no_replacement(client, people, case_a, visit):
    client.force_login(people["ola"])
    page = client.get(reverse("visits:session", args=[case_a.pk, visit.pk])).content.decode()
    assert "erstatter=" not in page


def test_the_replacement_form_is_prefilled_a_week_later(client, people, case_a, visit, flat):
    client.force_login(people["ola"])
    cancel_on_the_page(client, case_a, visit)
    shown = shown_values(client.get(offer_url(case_a, visit)))
    assert shown["starts_at"] == ["2027-01-20T17:00"]
    assert shown["ends_at"] == ["2027-01-20T19:00"]
    assert shown["counsellor"] == [str(people["ola"].pk)]
    assert shown["flat"] == [str(flat.pk)]
    assert shown["place_kind"] == ["flat"]


def test_a_week_later_keeps_the_wall_clock_time_across_the_spring_change():
    start, end = rules.a_week_later(at(date(2027, 3, 24), 17), at(date(2027, 3, 24), 19, 30))
    assert (start, end) == (at(date(2027, 3, 31), 17), at(date(2027, 3, 31), 19, 30))


def booking(people, flat, day, hour=17):
    start = at(day, hour)
    return {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "counsellor": people["ola"].pk,
        "flat": flat.pk,
        "place_kind": "flat",
    }


def test_booking_the_replacement_links_the_two_visits(client, people, case_a, visit, flat):
    client.force_login(people["ola"])
    cancel_on_the_page(client, case_a, visit)
    response = client.post(offer_url(case_a, visit), booking(people, flat, date(2027, 1, 21)))
    assert response.status_code == 302
    replacement = VisitSession.objects.get(replaces=visit)
    assert replacement.starts_at == at(date(2027, 1, 21)) and replacement.status == "planned"
    original_page = client.get(reverse("visits:session", args=[case_a.pk, visit.pk]))
    body = original_page.content.decode()
    assert reverse("visits:session", args=[case_a.pk, replacement.pk]) in body
    assert "erstatter=" not in body  # offered once
    replacement_page = client.get(reverse("visits:session", args=[case_a.pk, replacement.pk]))
    assert (
        reverse("visits:session", args=[case_a.pk, visit.pk]) in replacement_page.content.decode()
    )
    plan_page = client.get(reverse("visits:plan", args=[case_a.pk, visit.plan_id]))
    assert plan_page.status_code == 200


def test_a_double_booked_replacement_is_refused_with_the_values_kept(
    client, people, case_a, plan, visit, flat
):
    other = make_session(plan, at(date(2027, 1, 20), 18), flat=flat)
    client.force_login(people["ola"])
    cancel_on_the_page(client, case_a, visit)
    data = booking(people, flat, date(2027, 1, 20))
    response = client.post(offer_url(case_a, visit), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert_typed_values_kept(response, data)
    assert not VisitSession.objects.filter(replaces=visit).exists()
    assert VisitSession.objects.count() == 2 and other.pk
    # Another time works, and records what it replaces.
    response = client.post(offer_url(case_a, visit), booking(people, flat, date(2027, 1, 22)))
    assert response.status_code == 302 and VisitSession.objects.filter(replaces=visit).exists()


def test_only_a_cancelled_visit_of_the_plan_is_replaced_and_only_once(people, plan, visit, flat):
    def replacement(day):
        return VisitSession(
            starts_at=at(day), ends_at=at(day, 19), place_kind="office", replaces=visit
        )

    with pytest.raises(ValidationError, match="cancelled or missed"):
        services.session_add(user=people["ola"], plan=plan, session=replacement(date(2027, 2, 1)))
    visit.status, visit.cancelled_by, visit.cancel_reason = "no_show", "parent", "Kom ikke"
    services.session_cancel(user=people["ola"], session=visit, expected_version=1)
    services.session_add(user=people["ola"], plan=plan, session=replacement(date(2027, 2, 1)))
    with pytest.raises(ValidationError, match="already has a replacement"):
        services.session_add(user=people["ola"], plan=plan, session=replacement(date(2027, 2, 8)))


def test_odd_replacement_addresses_never_fail(client, people, case_a, plan, visit):
    client.force_login(people["ola"])
    add = reverse("visits:session_add", args=[case_a.pk, plan.pk])
    for value in ("abc", "²", "-1", "9" * 40, str(visit.pk)):  # the last is not cancelled
        response = client.get(f"{add}?erstatter={value}")
        assert response.status_code == 200, value
        assert response.context["form"].instance.replaces_id is None
    assert client.get(f"{add}?erstatter=999999").status_code == 404


def test_a_visit_of_an_earlier_plan_version_offers_no_replacement(
    client, people, case_a, plan, visit
):
    client.force_login(people["ola"])
    cancel_on_the_page(client, case_a, visit)
    VisitPlan.objects.create(
        case=case_a, visitor=plan.visitor, number=2, starts_on=date(2027, 1, 11),
        evaluate_on=date(2027, 6, 1), visits=1, period_length=2, period_unit="month", hours=2,
        place_kind="office", supervision="supervised", purposes=["bonds"], made_by=people["kari"],
    )  # fmt: skip
    page = client.get(reverse("visits:session", args=[case_a.pk, visit.pk])).content.decode()
    assert "erstatter=" not in page


def test_a_plan_with_a_replaced_visit_can_be_deleted(people, plan, visit):
    visit.status, visit.cancelled_by, visit.cancel_reason = "cancelled", "service", "Syk"
    services.session_cancel(user=people["ola"], session=visit, expected_version=1)
    day = date(2027, 1, 20)
    services.session_add(
        user=people["ola"], plan=plan,
        session=VisitSession(starts_at=at(day), ends_at=at(day, 19), place_kind="office",
                             replaces=visit),
    )  # fmt: skip
    plan.delete()
    assert not VisitSession.objects.exists()
