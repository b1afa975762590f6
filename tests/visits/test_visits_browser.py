"""Visits in a real browser: plan, schedule, record, report, approve — axe-core on every page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sammen.cases.models import Person, TribunalDecision, VisitationRuling
from sammen.visits.models import VisitFlat, VisitPlan, VisitReport, VisitSession
from tests.browser.support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _submit(page):
    with page.expect_navigation():
        page.click("main form.app-form button[type=submit]")
    assert_accessible(page)


def _figure(page, name):
    return page.locator(f"dl[data-minimum] dd[data-field={name}]")


def test_a_visit_plan_from_refusal_to_an_approved_report(new_page, live_server, people, case_a):
    mother = Person.objects.get(case=case_a, relation="mother")
    decision = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 3, 12), kind="care_order"
    )
    VisitationRuling.objects.create(
        decision=decision, visitor=mother, visits=1, period_length=2, period_unit="month",
        min_hours=Decimal("2"), supervision="supervised",
    )  # fmt: skip
    flat = VisitFlat.objects.create(unit=case_a.section.unit, name="Samværsleiligheten Storgata")
    today = timezone.localdate()
    base = f"{live_server.url}/saker/{case_a.pk}/samvaer"

    # The caseworker makes a plan: below the minimum it is refused, citing the decision.
    kari = new_page()
    sign_in(kari, live_server, "kari")
    kari.goto(f"{base}/plan/ny/")
    assert_accessible(kari)
    kari.select_option("select[name=visitor]", str(mother.pk))
    kari.fill("input[name=starts_on]", (today - timedelta(days=7)).isoformat())
    kari.fill("input[name=evaluate_on]", (today + timedelta(days=180)).isoformat())
    kari.fill("input[name=visits]", "5")
    kari.fill("input[name=period_length]", "1")
    kari.select_option("select[name=period_unit]", "year")
    kari.fill("input[name=hours]", "2")
    kari.select_option("select[name=place_kind]", "flat")
    kari.select_option("select[name=flat]", str(flat.pk))
    kari.select_option("select[name=supervision]", "supervised")
    kari.select_option("select[name=counsellor]", str(people["ola"].pk))
    kari.check("input[name=purposes][value=bonds]")
    _submit(kari)
    expect(kari.locator(".ds-error-summary")).to_contain_text("12.03.2025")
    assert not VisitPlan.objects.exists()

    # At the minimum (6 a year = 1 per 2 months) it is accepted.
    kari.fill("input[name=visits]", "6")
    _submit(kari)
    plan = VisitPlan.objects.get()
    kari.wait_for_url(re.compile(rf"/plan/{plan.pk}/$"))
    expect(_figure(kari, "held")).to_have_text("0")

    # Schedule visits from yesterday, monthly.
    kari.click(f'a[href$="/plan/{plan.pk}/planlegg/"]')
    assert_accessible(kari)
    kari.fill("input[name=first_day]", (today - timedelta(days=1)).isoformat())
    kari.fill("input[name=start_time]", "17:00")
    kari.select_option("select[name=recurrence]", "monthly")
    kari.fill("input[name=interval]", "1")
    kari.fill("input[name=until]", (today + timedelta(days=75)).isoformat())
    _submit(kari)
    sessions = list(VisitSession.objects.order_by("starts_at"))
    assert len(sessions) >= 3 and all(s.counsellor == people["ola"] for s in sessions)
    assert timezone.localtime(sessions[0].starts_at).hour == 17
    expect(_figure(kari, "planned")).to_have_text("2")

    # The counsellor records the first visit as held and the second as cancelled.
    ola = new_page()
    sign_in(ola, live_server, "ola")
    first, second = sessions[0], sessions[1]
    ola.goto(f"{base}/{first.pk}/")
    assert_accessible(ola)
    ola.click(f'a[href$="/{first.pk}/registrer/"]')
    assert_accessible(ola)
    ola.fill("textarea[name=prep_parent]", "Snakket med mor om forventninger")
    ola.fill("input[name=language_spoken]", "norsk")
    ola.select_option("select[name=mother_tongue_used]", "true")
    ola.fill("textarea[name=child_reactions]", "Rolig, lekte")
    ola.select_option("select[name=foster_home_invited]", "true")
    _submit(ola)
    ola.goto(f"{base}/{second.pk}/avlys/")
    assert_accessible(ola)
    ola.check("input[name=status][value=cancelled]")
    ola.select_option("select[name=cancelled_by]", "foster_home")
    ola.fill("textarea[name=cancel_reason]", "Barnet var sykt")
    _submit(ola)
    second.refresh_from_db()
    assert (second.status, second.cancelled_by) == ("cancelled", "foster_home")

    # The report, gone through with the mother.
    ola.goto(f"{base}/plan/{plan.pk}/rapport/ny/")
    assert_accessible(ola)
    ola.fill("input[name=period_start]", (today - timedelta(days=7)).isoformat())
    ola.fill("input[name=period_end]", today.isoformat())
    ola.fill("textarea[name=summary]", "Godt samvær i leiligheten")
    _submit(ola)
    report = VisitReport.objects.get()
    ola.click(f'a[href$="/rapport/{report.pk}/gjennomgang/"]')
    assert_accessible(ola)
    ola.check("input[name=agreement][value=agrees]")
    _submit(ola)
    report.refresh_from_db()
    assert report.state == "reviewed"

    # The section leader approves; the minimum figures show the held and cancelled visits.
    siri = new_page()
    sign_in(siri, live_server, "siri")
    siri.goto(f"{base}/rapport/{report.pk}/")
    assert_accessible(siri)
    with siri.expect_navigation():
        siri.click(f'form[action$="/rapport/{report.pk}/godkjenn/"] button')
    assert_accessible(siri)
    report.refresh_from_db()
    assert report.state == "approved"
    siri.goto(f"{base}/plan/{plan.pk}/")
    assert_accessible(siri)
    expect(_figure(siri, "held")).to_have_text("1")
    expect(_figure(siri, "cancelled")).to_contain_text("1")
    expect(_figure(siri, "planned")).to_have_text("0")

    # The caseworker now sees the approved report.
    kari.goto(f"{base}/rapport/{report.pk}/")
    expect(kari.locator("main")).to_contain_text("Godt samvær i leiligheten")
    assert_accessible(kari)
