"""The leaders' dashboard against a hand-computed world (tests/insights/data.py).

Today is 30 June 2025; the period is 1 January–30 June 2025.

- Load: ola carries case A (mother active, father declined) → 1; per's only follow-up is
  closed → 0.
- Duration: mother A 1 Mar → today = 121 days = 3.975 months; father B 1 Jan → 28 Feb = 58 days
  = 1.906 months; median = mean = 2.94 → 2.9 (unit). Section A: 4.0.
- Intensity: mother A 4 contacts / 3.975 months = 1.006 < frame 2 → below; father B 4 / 1.906
  = 2.099 > 1.5 × frame 1 → above. Mean 1.55 → 1.6 a month against a mean frame of 1.5.
- Equal offer: mother A accepted, father A declined then informed again (re-offered), mother B
  never offered, father B accepted.
- Time: guidance of the mother 1.5 h, visit 3 h, travel 1 h = 5.5 h (27.3 %, 54.5 %, 18.2 %),
  62 km; the December entry is outside the period.
- Overdue: father A's re-offer date (1 June) has passed → 1.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sammen.audit.models import AuditAction, AuditEvent
from sammen.insights import dashboard, exports
from sammen.insights.selectors import Scope

from . import data

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)
PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}


@pytest.fixture(autouse=True)
def _today_in_english(client):
    """Labels are compared in English, the msgids, whatever language an earlier test left on."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(date(2025, 6, 30), tick=False), translation.override("en"):
        yield


@pytest.fixture
def world(people, case_a, case_b, place):
    data.build(people, case_a, case_b, place)
    return people


def tables_for(user, **kw):
    scope = Scope(
        user=user, unit_id=user.unit_id, start=date(2025, 1, 1), end=TODAY, today=TODAY, **kw
    )
    return {t.key: t for t in dashboard.build(scope)}


def values(table):
    return {row[0]: row[1:] for row in table.rows}


def test_load_counts_active_families_per_counsellor(world):
    assert values(tables_for(world["pia"])["load"]) == {"Ola Testesen": [1], "Per Testesen": [0]}


def test_duration_has_median_and_mean_in_months(world):
    rows = [row[1] for row in tables_for(world["pia"])["duration"].rows]
    assert rows == [2, Decimal("2.9"), Decimal("2.9")]


def test_a_section_leader_sees_only_their_sections_duration(world):
    siri = world["siri"]
    rows = [row[1] for row in tables_for(siri, section_id=siri.section_id)["duration"].rows]
    assert rows == [1, Decimal("4.0"), Decimal("4.0")]


def test_intensity_is_measured_against_each_frame(world):
    rows = [row[1] for row in tables_for(world["pia"])["intensity"].rows]
    assert rows == [2, 1, 0, 1, Decimal("1.6"), Decimal("1.5")]


def test_equal_offer_is_split_by_mother_and_father(world):
    offers = values(tables_for(world["pia"])["offers"])
    # columns: mother, father, adoptive parent, total
    assert offers["Never offered"] == [1, 0, 0, 1]
    assert offers["Offered, no answer yet"] == [0, 0, 0, 0]
    assert offers["Accepted"] == [1, 1, 0, 2]
    assert offers["Declined"] == [0, 0, 0, 0]
    assert offers["Declined and offered again"] == [0, 1, 0, 1]
    assert offers["All eligible parents"] == [2, 2, 0, 4]


def test_time_by_activity_has_hours_shares_and_km(world):
    time = values(tables_for(world["pia"])["time"])
    assert time["Guidance of the mother"] == [Decimal("1.5"), Decimal("27.3"), Decimal("12")]
    assert time["Visit (samvær)"] == [Decimal("3"), Decimal("54.5"), Decimal("20")]
    assert time["Travel"] == [Decimal("1"), Decimal("18.2"), Decimal("30")]
    assert time["Planning and coordination"] == [0, 0, 0]
    assert time["Total"] == [Decimal("5.5"), 100, Decimal("62")]


def test_the_counsellor_filter_narrows_time_and_load(world):
    tables = tables_for(world["pia"], counsellor_id=world["per"].pk)
    assert values(tables["time"])["Total"] == [Decimal("1"), 100, Decimal("30")]
    assert values(tables["load"]) == {"Per Testesen": [0]}


def test_overdue_deadlines_are_counted(world):
    rows = tables_for(world["pia"])["deadlines"].rows
    assert rows[-1][1] == 1 and sum(row[1] for row in rows[:-1]) == 1


def test_the_page_shows_the_figures_with_a_chart_and_a_table(client, world):
    client.force_login(world["pia"])
    response = client.get(reverse("insights:dashboard"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="group" aria-labelledby="chart-time-title"' in html
    assert 'id="table-time"' in html
    assert 'data-value="5.5"' in html


@pytest.mark.parametrize("who", ["kari", "ola", "per", "adam", "cato"])
def test_only_leaders_may_open_the_dashboard(client, world, who):
    client.force_login(world[who])
    for name in ("insights:dashboard", "insights:export_xlsx", "insights:costs", "insights:rates"):
        assert client.get(reverse(name)).status_code == 403


def test_a_section_leader_cannot_choose_another_section(client, world, section_b):
    client.force_login(world["siri"])
    response = client.get(reverse("insights:dashboard"), {**PERIOD, "section": section_b.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["section"]
    # The figures stay those of her own section.
    assert "Bjørn" not in response.content.decode()
    tables = {t.key: t for t in response.context["tables"]}
    assert values(tables["time"])["Total"] == [Decimal("4.5"), 100, Decimal("32")]


def test_a_bad_period_shows_an_error_and_keeps_what_was_typed(client, world):
    client.force_login(world["pia"])
    response = client.get(
        reverse("insights:dashboard"), {"start": "2025-06-01", "end": "2025-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert 'value="2025-06-01"' in response.content.decode()


def test_the_xlsx_export_holds_the_same_numbers_and_is_audited(client, world):
    client.force_login(world["pia"])
    response = client.get(reverse("insights:export_xlsx"), PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    names = exports.sheet_names()
    time = {row[0]: row[1:] for row in book[names["time"]].iter_rows(min_row=4, values_only=True)}
    assert time["Total"] == (5.5, 100, 62)
    sheet = book[names["offers"]]
    offers = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert offers["All eligible parents"] == (2, 2, 0, 4)
    assert AuditEvent.objects.filter(user=world["pia"], action=AuditAction.EXPORT).count() == 1


def test_the_csv_export_holds_the_same_numbers(client, world):
    client.force_login(world["pia"])
    response = client.get(reverse("insights:export_csv"), PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Total", "5.5", "100", "62"] in rows  # English: a decimal point
    assert AuditEvent.objects.filter(user=world["pia"], action=AuditAction.EXPORT).count() == 1


def _grow(people, section, place, n):
    """`n` more cases, each with two parents, a follow-up with contacts, and time entries."""
    from tests import factories as f

    for i in range(n):
        case = f.make_case(section=section, caseworker=people["kari"], counsellors=[people["ola"]])
        f.make_placement(case, place)
        ref = data.referral(case, people["ola"], people["kari"])
        mother = f.make_parent(case, first_name=f"Mor{i}")
        f.make_parent(case, "father", first_name=f"Far{i}")
        fu = data.followup(
            ref, mother, state="active", started_on=date(2025, 2, 1), contacts_per_month=3
        )
        data.contacts(fu, [date(2025, 3, 1), date(2025, 4, 1)], people["ola"])
        data.entry(people["ola"], case, date(2025, 3, 1), "visit", "2", 10)


def _count_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        # Computed now ("naa"), not the aggregates kept for minutes (test_kept_figures.py).
        response = client.get(reverse("insights:dashboard"), {**PERIOD, "naa": "1"})
        assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("who", ["pia", "siri"])
def test_the_dashboards_query_count_does_not_grow_with_the_data(
    client, people, section_a, place, case_a, who
):
    _grow(people, section_a, place, 3)
    small = _count_queries(client, people[who])
    _grow(people, section_a, place, 37)
    large = _count_queries(client, people[who])
    assert small == large
    assert large <= 21


def test_the_exports_query_count_is_bounded(
    client, people, section_a, place, case_a, django_assert_max_num_queries
):
    _grow(people, section_a, place, 40)
    client.force_login(people["pia"])
    with django_assert_max_num_queries(20):
        client.get(reverse("insights:export_xlsx"), PERIOD)


def test_visit_sessions_are_counted_by_status_in_the_period(world, case_a):
    from datetime import datetime, timedelta

    from django.utils import timezone

    from sammen.visits.models import VisitPlan, VisitSession

    plan = VisitPlan.objects.create(
        case=case_a,
        visitor=case_a.persons.get(relation="mother"),
        starts_on=date(2025, 1, 1),
        evaluate_on=date(2025, 12, 1),
        visits=2,
        period_unit="month",
        hours=2,
        place_kind="flat",
        supervision="supervised",
        made_by=world["kari"],
    )
    for day, status in [(3, "held"), (4, "held"), (5, "cancelled"), (7, "planned")]:
        start = timezone.make_aware(datetime(2025, day, 10, 12))
        VisitSession.objects.create(
            plan=plan,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place_kind="flat",
            status=status,
            cancelled_by="parent" if status == "cancelled" else "",
        )
    start = timezone.make_aware(datetime(2024, 12, 10, 12))  # before the period
    VisitSession.objects.create(
        plan=plan,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place_kind="flat",
        status="held",
    )
    visits = values(tables_for(world["pia"])["visits"])
    assert visits["Held"] == [2]
    assert visits["Cancelled"] == [1]
    assert visits["Planned"] == [0]  # July is after the period
    assert visits["Total"] == [3]


def test_plans_are_counted_by_whether_the_decisions_minimum_is_met(world, case_a, case_b):
    """Rulings of 2 visits a month (periods from the plan's start, 1 June): case_a's mother has
    2 held in June (met), case_b's mother 1 held and 1 planned (on track), case_a's father 0
    held and 1 planned (falling short), case_b's father a plan with no ruling (by agreement);
    an older version of case_a's mother's plan is not counted."""
    from datetime import datetime, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from sammen.cases.models import Person, TribunalDecision, VisitationRuling
    from sammen.visits.models import VisitPlan, VisitSession

    def person(case, relation):
        found = case.persons.filter(relation=relation).first()
        return found or Person.objects.create(
            case=case, relation=relation, first_name="Far", last_name="Testesen"
        )

    def plan(case, visitor, *, ruled, number=1):
        ruling = None
        if ruled:
            decision = TribunalDecision.objects.create(
                case=case, decided_on=date(2025, 5, 1), kind="care_order"
            )
            ruling = VisitationRuling.objects.create(
                decision=decision,
                visitor=visitor,
                visits=2,
                period_length=1,
                period_unit="month",
                min_hours=Decimal("1"),
                supervision="none",
            )
        return VisitPlan.objects.create(
            case=case,
            visitor=visitor,
            ruling=ruling,
            number=number,
            starts_on=date(2025, 6, 1),
            evaluate_on=date(2025, 12, 1),
            visits=2,
            period_unit="month",
            hours=2,
            place_kind="office",
            supervision="none",
            made_by=world["kari"],
        )

    def visit(p, day, status):
        start = timezone.make_aware(datetime(2025, 6, day, 17))
        VisitSession.objects.create(
            plan=p,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=status,
            cancelled_by="parent" if status == "cancelled" else "",
        )

    mother_a = person(case_a, "mother")
    old = plan(case_a, mother_a, ruled=True)
    new = plan(case_a, mother_a, ruled=True, number=2)
    visit(old, 3, "held")
    visit(new, 17, "held")
    visit(new, 20, "cancelled")
    mother_b = plan(case_b, person(case_b, "mother"), ruled=True)
    visit(mother_b, 5, "held")
    visit(mother_b, 30, "planned")
    father_a = plan(case_a, person(case_a, "father"), ruled=True)
    visit(father_a, 30, "planned")
    visit(father_a, 2, "cancelled")
    plan(case_b, person(case_b, "father"), ruled=False)

    minimums = values(tables_for(world["pia"])["minimums"])
    assert minimums["Minimum met"] == [1]
    assert minimums["On track (enough visits planned)"] == [1]
    assert minimums["Falling short of the decision"] == [1]
    assert minimums["No ruling (by agreement)"] == [1]
    assert minimums["Total"] == [4]
    # A section leader of section A sees only case_a's two plans.
    section_a = values(tables_for(world["siri"], section_id=world["siri"].section_id)["minimums"])
    assert section_a["Total"] == [2] and section_a["Minimum met"] == [1]
