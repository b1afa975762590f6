"""The visit page: a held visit offers its report; a visit whose time is logged says so and links
to the entry instead of offering to log it again; the page's queries are bounded."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sammen.timelog.models import TimeEntry

from .conftest import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bokmal():
    """The pages are read in bokmål, the language every person has until they choose."""
    with translation.override("nb"):
        yield


@pytest.fixture
def held(people, plan):
    return make_session(plan, at(date(2026, 2, 11)), counsellor=people["ola"], status="held")


def page(client, session) -> str:
    response = client.get(reverse("visits:session", args=[session.plan.case_id, session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def log(people, session, hours="2.5", who="ola"):
    return TimeEntry.objects.create(
        counsellor=people[who],
        case=session.plan.case,
        section_id=session.plan.case.section_id,
        worked_on=timezone.localdate(session.starts_at),
        activity="visit",
        hours=Decimal(hours),
        visit_session=session,
    )


def report_link(session) -> str:
    url = reverse("visits:report_add", args=[session.plan.case_id, session.plan_id])
    return f"{url}?samvaer={session.pk}"


def test_a_held_visit_offers_to_write_its_report(client, people, held):
    client.force_login(people["ola"])
    html = page(client, held)
    assert report_link(held) in html and "Skriv rapport" in html


def test_the_report_form_starts_from_the_visit(client, people, held):
    client.force_login(people["ola"])
    response = client.get(report_link(held))
    initial = response.context["form"].initial
    assert (initial["session"], initial["period_start"], initial["period_end"]) == (
        held.pk,
        date(2026, 2, 11),
        date(2026, 2, 11),
    )


@pytest.mark.parametrize(
    "fields",
    [
        {},  # planned
        {"status": "cancelled", "cancelled_by": "parent", "cancel_reason": "Syk"},
        {"status": "held", "days_ahead": 3},  # recorded as held another way, still to come
    ],
)
def test_a_visit_not_held_offers_no_report(client, people, plan, fields):
    ahead = fields.pop("days_ahead", 0)
    start = timezone.now() + timedelta(days=ahead) if ahead else at(date(2026, 2, 18))
    session = make_session(plan, start, **fields)
    client.force_login(people["ola"])
    assert "?samvaer=" not in page(client, session)


def test_a_visit_without_logged_time_offers_the_counsellor_to_log_it(client, people, held):
    client.force_login(people["ola"])
    html = page(client, held)
    assert f"{reverse('timelog:add')}?session={held.pk}" in html
    assert "t ført" not in html


def test_a_visit_with_logged_time_links_the_entry_instead(client, people, held):
    entry = log(people, held)
    client.force_login(people["ola"])
    html = page(client, held)
    assert reverse("timelog:add") not in html
    edit = reverse("timelog:edit", args=[entry.pk])
    assert f'<a class="ds-link" href="{edit}">2,5 t ført</a>' in html


def test_others_see_that_time_is_logged_without_a_link_to_the_counsellors_entry(
    client, people, held
):
    entry = log(people, held)
    client.force_login(people["kari"])
    html = page(client, held)
    assert "2,5 t ført" in html
    assert reverse("timelog:edit", args=[entry.pk]) not in html


def test_the_visit_page_reads_a_bounded_number_of_queries(
    client, people, held, django_assert_max_num_queries
):
    log(people, held)
    client.force_login(people["ola"])
    with django_assert_max_num_queries(15):
        page(client, held)


def test_a_visit_still_to_come_offers_no_recording_as_held(client, people, plan):
    start = timezone.now() + timedelta(days=2)
    coming = make_session(plan, start)
    client.force_login(people["ola"])
    assert reverse("visits:session_record", args=[plan.case_id, coming.pk]) not in page(
        client, coming
    )
    past = make_session(plan, at(date(2026, 2, 18)))
    assert reverse("visits:session_record", args=[plan.case_id, past.pk]) in page(client, past)
