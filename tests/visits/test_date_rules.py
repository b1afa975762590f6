"""Every date of the visits workflow agrees with the others and with the day (visits/date_rules):
one test per rule, each refusal asserted as the user reads it, in bokmål."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sammen.visits import date_rules, rules, services
from sammen.visits.models import VisitExpense, VisitPlan, VisitReport, VisitSession

from .conftest import PLAN_START, at, make_session, plan_values

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=rules.OSLO), tick=False):
        yield


def refusal(action) -> str:
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            action()
        return " ".join(refused.value.messages)


def new_plan(people, case, visitor, based_on=0, **overrides):
    plan = VisitPlan(**plan_values(visitor, **overrides))
    return services.plan_create(user=people["kari"], case=case, plan=plan, based_on=based_on)


# --- plans -----------------------------------------------------------------------------------


def test_a_plan_evaluated_before_it_starts_is_refused(people, case_a, mother, ruling):
    assert refusal(
        lambda: new_plan(people, case_a, mother, evaluate_on=PLAN_START - timedelta(days=4))
    ) == ("Planen skal evalueres 01.01.2026, før den starter (05.01.2026).")
    assert not VisitPlan.objects.exists()


def test_a_plan_evaluated_more_than_two_years_after_it_starts_is_refused(
    people, case_a, mother, ruling
):
    assert refusal(lambda: new_plan(people, case_a, mother, evaluate_on=date(2028, 1, 6))) == (
        "Planen skal evalueres 06.01.2028, mer enn to år etter at den starter (05.01.2026). "
        "Evaluer den innen to år."
    )
    plan, _notices = new_plan(people, case_a, mother, evaluate_on=date(2028, 1, 5))
    assert plan.number == 1


def test_a_new_version_cannot_start_before_the_version_it_replaces(people, case_a, mother, ruling):
    new_plan(people, case_a, mother)
    assert refusal(
        lambda: new_plan(people, case_a, mother, based_on=1, starts_on=date(2026, 1, 4))
    ) == ("Versjon 2 kan ikke starte 04.01.2026, før versjon 1 av planen (fra 05.01.2026).")
    plan, _notices = new_plan(people, case_a, mother, based_on=1, starts_on=PLAN_START)
    assert plan.number == 2


def test_the_plan_form_shows_the_evaluation_date_refusal_on_its_field(
    client, people, case_a, mother, ruling
):
    client.force_login(people["kari"])
    data = {
        **{k: v for k, v in plan_values(mother).items() if k != "visitor"},
        "visitor": mother.pk,
        "starts_on": "2026-03-01",
        "evaluate_on": "2026-02-01",
        "based_on": 0,
    }
    response = client.post(reverse("visits:plan_add", args=[case_a.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["evaluate_on"] == [
        "Planen skal evalueres 01.02.2026, før den starter (01.03.2026)."
    ]


# --- visits ----------------------------------------------------------------------------------


def one_visit(plan, start, end):
    return VisitSession(plan=plan, starts_at=start, ends_at=end, place_kind="office")


def test_a_visit_ending_before_it_starts_is_refused(people, plan):
    start = at(date(2026, 3, 20), 17)
    assert refusal(
        lambda: services.session_add(
            user=people["kari"],
            plan=plan,
            session=one_visit(plan, start, start - timedelta(hours=1)),
        )
    ) == ("Samværet slutter 20.03.2026 16:00, før det starter (20.03.2026 17:00).")
    assert not VisitSession.objects.exists()


def test_a_visit_longer_than_72_hours_is_refused(people, plan):
    start = at(date(2026, 3, 20), 17)
    assert refusal(
        lambda: services.session_add(
            user=people["kari"],
            plan=plan,
            session=one_visit(plan, start, start + timedelta(hours=73)),
        )
    ) == ("Samværet fra 20.03.2026 17:00 til 23.03.2026 18:00 varer lenger enn 72 timer.")
    services.session_add(
        user=people["kari"], plan=plan, session=one_visit(plan, start, start + timedelta(hours=72))
    )


def test_a_visit_before_its_plan_version_starts_is_refused(people, plan):
    start = at(PLAN_START - timedelta(days=1))
    assert refusal(
        lambda: services.session_add(
            user=people["kari"],
            plan=plan,
            session=one_visit(plan, start, start + timedelta(hours=2)),
        )
    ) == ("Samværet 04.01.2026 er før versjon 1 av planen starter (05.01.2026).")


def test_a_series_starting_before_the_plan_is_refused(people, plan):
    series = rules.occurrences(
        first=date(2026, 1, 2), at=time(17), minutes=120, recurrence="weekly", interval=1,
        until=date(2026, 2, 1),
    )  # fmt: skip
    assert refusal(
        lambda: services.sessions_generate(
            user=people["kari"],
            plan=plan,
            series=series,
            counsellor=None,
            flat=None,
            place_kind="office",
        )  # fmt: skip
    ) == ("Samværet 02.01.2026 er før versjon 1 av planen starter (05.01.2026).")
    assert not VisitSession.objects.exists()


def test_a_visit_that_has_not_started_cannot_be_recorded_as_held(people, plan):
    session = make_session(plan, at(date(2026, 3, 10), 17))  # later today
    session.language_spoken = "norsk"
    assert refusal(
        lambda: services.session_record(
            user=people["ola"], session=session, expected_version=session.version
        )
    ) == (
        "Samværet 10.03.2026 17:00 har ikke startet ennå; det kan registreres som gjennomført "
        "når det har startet."
    )
    session.refresh_from_db()
    assert session.status == "planned"


def test_the_visit_form_shows_the_times_refusal_on_the_end(client, people, case_a, plan):
    client.force_login(people["kari"])
    response = client.post(
        reverse("visits:session_add", args=[case_a.pk, plan.pk]),
        {"starts_at": "2026-03-20 17:00", "ends_at": "2026-03-20 16:00", "place_kind": "office"},
    )
    assert response.context["form"].errors["ends_at"] == [
        "Samværet slutter 20.03.2026 16:00, før det starter (20.03.2026 17:00)."
    ]


# --- reports ---------------------------------------------------------------------------------


def write(people, plan, **fields):
    values = {"period_start": date(2026, 2, 1), "period_end": date(2026, 2, 28), "summary": "Fint"}
    values.update(fields)
    return services.report_write(user=people["ola"], plan=plan, report=VisitReport(**values))


def test_a_report_on_a_planned_visit_is_refused(people, plan):
    session = make_session(plan, at(date(2026, 2, 11)))
    assert refusal(lambda: write(people, plan, session=session)) == (
        "Samværet 11.02.2026 har status «planlagt»; det kan bare skrives rapport om samvær som "
        "er gjennomført."
    )
    assert not VisitReport.objects.exists()


def test_a_report_on_a_cancelled_visit_is_refused(people, plan):
    session = make_session(
        plan, at(date(2026, 2, 11)), status="cancelled", cancelled_by="parent", cancel_reason="Syk"
    )
    assert refusal(lambda: write(people, plan, session=session)) == (
        "Samværet 11.02.2026 har status «avlyst»; det kan bare skrives rapport om samvær som "
        "er gjennomført."
    )


def test_a_report_on_a_visit_marked_held_but_still_to_come_is_refused(people, plan):
    session = make_session(plan, at(date(2026, 3, 12)), status="held")  # came another way
    assert refusal(
        lambda: write(
            people, plan, session=session, period_start=date(2026, 3, 1), period_end=TODAY
        )
    ) == (
        "Samværet 12.03.2026 har ikke funnet sted ennå; det kan bare skrives rapport om samvær "
        "som er gjennomført."
    )


def test_a_report_on_a_visit_outside_its_period_is_refused(people, plan):
    session = make_session(plan, at(date(2026, 3, 3)), status="held")
    assert refusal(lambda: write(people, plan, session=session)) == (
        "Samværet (03.03.2026) er utenfor rapportperioden (01.02.2026–28.02.2026)."
    )
    report = write(
        people, plan, session=session, period_start=date(2026, 3, 3), period_end=date(2026, 3, 3)
    )
    assert report.session == session


def test_a_reports_period_must_have_begun(people, plan):
    assert refusal(
        lambda: write(people, plan, period_start=date(2026, 3, 11), period_end=date(2026, 3, 31))
    ) == (
        "Rapportperioden starter 11.03.2026, en dag som ikke har kommet ennå (i dag er 10.03.2026)."
    )


def test_a_reports_period_must_end_after_it_begins(people, plan):
    assert refusal(
        lambda: write(people, plan, period_start=date(2026, 2, 10), period_end=date(2026, 2, 9))
    ) == ("Rapportperioden slutter 09.02.2026, før den starter (10.02.2026).")


def test_the_report_form_offers_only_held_visits(client, people, case_a, plan):
    held = make_session(plan, at(date(2026, 2, 11)), status="held")
    planned = make_session(plan, at(date(2026, 2, 25)))
    client.force_login(people["ola"])
    response = client.get(reverse("visits:report_add", args=[case_a.pk, plan.pk]))
    choices = list(response.context["form"].fields["session"].queryset)
    assert held in choices and planned not in choices


# --- expenses --------------------------------------------------------------------------------


def test_an_expense_dated_in_the_future_is_refused(people, plan):
    expense = VisitExpense(kind="travel", amount=Decimal("480"), spent_on=date(2026, 3, 11))
    assert refusal(
        lambda: services.expense_add(user=people["ola"], plan=plan, expense=expense)
    ) == ("Utgiften er datert 11.03.2026, etter dagens dato (10.03.2026).")
    assert not VisitExpense.objects.exists()


def test_the_expense_form_shows_the_refusal_on_the_date(client, people, case_a, plan):
    client.force_login(people["ola"])
    response = client.post(
        reverse("visits:expense_add", args=[case_a.pk, plan.pk]),
        {"kind": "travel", "amount": "480", "spent_on": "2026-03-11"},
    )
    assert response.context["form"].errors["spent_on"] == [
        "Utgiften er datert 11.03.2026, etter dagens dato (10.03.2026)."
    ]


# --- the rules themselves -------------------------------------------------------------------


def test_the_rules_accept_dates_that_agree():
    start = datetime(2026, 3, 1, 17, tzinfo=rules.OSLO)
    assert date_rules.plan_dates(PLAN_START, PLAN_START) == {}
    assert date_rules.session_times(start, start + timedelta(hours=2)) == {}
    assert date_rules.session_held(start, now=start) == {}
    assert date_rules.report_dates(TODAY, TODAY, today=TODAY) == {}
    assert date_rules.expense_date(TODAY, today=TODAY) == {}
    assert (
        date_rules.version_start(PLAN_START, number=2, previous_number=1, previous_start=PLAN_START)
        == {}
    )


def test_a_moment_at_the_calendars_end_is_told_without_an_error():
    end = datetime.max.replace(tzinfo=rules.OSLO)
    assert date_rules.local_day(end) == date.max
    assert date_rules.moment(end).startswith("31.12.9999")


def test_the_refusals_name_their_fields_so_that_forms_show_them_there():
    assert set(date_rules.report_dates(date(2026, 3, 11), date(2026, 3, 1), today=TODAY)) == {
        "period_start",
        "period_end",
    }
