"""Sammen on a phone (issue 11): 390 × 844, no sideways scrolling, a menu button, stacked tables.

Counsellors work at visits and in parents' homes; every page they need must fit the screen.
Each test opens its pages in a phone-sized browser context and checks that the page never
scrolls sideways (`scrollWidth <= innerWidth`) and that axe-core finds nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sammen.cases.models import Person, TribunalDecision, VisitationRuling
from sammen.visits.models import VisitPlan, VisitSession
from tests import factories as f
from tests.followup.week_data import week  # noqa: F401 — the fixture: ola's «Min uke»
from tests.visits.conftest import make_session, plan_values

from .support import BROWSER_LOCALE, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = "/tmp/sammen-phone"
# A long, unbreakable value: it must wrap inside its cell rather than widen the page.
LONG_PLACE = "Barneverninstitusjonsavdelingsbeboerromsoppfølgingsenheten"


@pytest.fixture
def phone(browser):
    """Open pages in phone-sized browser contexts; all are closed after the test."""
    contexts = []

    def _phone(*, scripts=True):
        context = browser.new_context(
            locale=BROWSER_LOCALE, viewport=PHONE, is_mobile=True, has_touch=True
        )
        context.set_default_timeout(5_000)
        if not scripts:  # as with JavaScript off; the test itself still needs it to measure
            context.route("**/*.js", lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield _phone
    for context in contexts:
        context.close()


# The innermost elements that reach past the right edge of the phone, to say what is too wide.
_TOO_WIDE = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > 390 && ![...e.children].some(
        c => c.getBoundingClientRect().right > 390))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
        + " " + Math.round(e.getBoundingClientRect().right))"""


def assert_fits(page, name=None):
    """The page does not scroll sideways at phone width; axe-core finds nothing."""
    if name:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] == PHONE["width"], (
        f"{page.url} scrolls sideways: {widths}; too wide: {page.evaluate(_TOO_WIDE)}"
    )
    assert_accessible(page)


def _visit_plan(case, people, *, sessions=3):
    mother = Person.objects.get(case=case, relation="mother")
    decision = TribunalDecision.objects.create(
        case=case, decided_on=date(2025, 3, 12), kind="care_order"
    )
    ruling = VisitationRuling.objects.create(
        decision=decision, visitor=mother, visits=1, period_length=2, period_unit="month",
        min_hours=Decimal("2"), supervision="supervised",
    )  # fmt: skip
    today = timezone.localdate()
    plan = VisitPlan.objects.create(
        case=case,
        ruling=ruling,
        made_by=people["kari"],
        number=1,
        **plan_values(
            mother,
            starts_on=today - timedelta(days=30),
            evaluate_on=today + timedelta(days=150),
        ),
    )
    for n in range(sessions):
        day = today + timedelta(days=14 * n - 1)
        start = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 17))
        make_session(plan, start, counsellor=people["ola"])
    return plan


def test_the_case_overview_fits_a_phone_with_stacked_tables(
    phone, live_server, people, case_a, unit
):
    long_place = f.make_place(unit, LONG_PLACE)
    f.make_placement(
        case_a, long_place, kind="emergency", start=date(2025, 1, 10), end=date(2025, 1, 31)
    )
    f.make_parent(case_a, relation="father", first_name="Bjørn-Kristoffer", last_name="Testfar")
    _visit_plan(case_a, people)
    page = phone()
    sign_in(page, live_server, "kari")
    assert_fits(page, "home")

    page.goto(f"{live_server.url}/saker/{case_a.pk}/")
    assert_fits(page, "case-overview")
    # The tables are stacked rows: every value under its column heading.
    rows = page.locator("#placements tbody tr")
    expect(rows).to_have_count(2)
    long_cell = rows.filter(has_text=LONG_PLACE).locator("td").nth(1)
    expect(long_cell).to_have_attribute("data-label", "Sted")
    box = long_cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    first, second = rows.first.locator("td").nth(0), rows.first.locator("td").nth(1)
    assert first.bounding_box()["y"] < second.bounding_box()["y"], "cells are not stacked"
    # The heading row is there for screen readers only.
    assert page.locator("#placements thead").bounding_box()["height"] <= 1

    # The case list too.
    page.goto(f"{live_server.url}/saker/")
    assert_fits(page, "case-list")


def test_the_menu_collapses_behind_a_button(phone, live_server, people):
    page = phone()
    sign_in(page, live_server, "ola")
    button = page.locator("header button[aria-controls]")
    menu = page.locator(f"#{button.get_attribute('aria-controls')}")
    link = page.locator('header nav a[href="/oppfolging/min-uke/"]')
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    assert_fits(page, "menu-closed")
    # The header alone takes little of the screen.
    assert page.locator("header").bounding_box()["height"] < 100

    # Open and close by pointer.
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    expect(menu.get_by_role("button", name="Logg ut")).to_be_visible()
    assert_fits(page, "menu-open")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()

    # By keyboard: reach the button with Tab, open with Enter, Tab into the menu, Escape closes.
    page.reload()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # Sammen
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(menu.locator("nav a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(link).to_be_hidden()
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")

    # A menu link still leads where it says.
    button.click()
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/oppfolging/min-uke/")
    expect(page.locator('header nav a[aria-current="page"]')).to_have_attribute(
        "href", "/oppfolging/min-uke/"
    )


def test_without_javascript_the_menu_is_a_compact_list(phone, live_server, people, case_a):
    page = phone(scripts=False)
    sign_in(page, live_server, "ola", check_accessible=False)
    expect(page.locator("header button[aria-controls]")).to_be_hidden()
    expect(page.locator('header nav a[href="/oppfolging/min-uke/"]')).to_be_visible()
    assert_fits(page, "no-js-home")
    page.goto(f"{live_server.url}/saker/{case_a.pk}/")
    assert_fits(page, "no-js-case-overview")


def test_my_week_and_a_follow_up_fit_a_phone(
    phone,
    live_server,
    people,
    case_a,
    week,  # noqa: F811 — the fixture imported above
):
    page = phone()
    sign_in(page, live_server, "ola")
    page.goto(f"{live_server.url}/oppfolging/min-uke/")
    assert_fits(page, "my-week")
    page.goto(f"{live_server.url}/saker/{case_a.pk}/oppfolging/{week['active'].pk}/")
    assert_fits(page, "followup")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first.locator("td").first).to_have_attribute("data-label", "Dato")


def test_a_visit_is_recorded_as_held_on_a_phone(phone, live_server, people, case_a):
    plan = _visit_plan(case_a, people)
    session = VisitSession.objects.filter(plan=plan).order_by("starts_at").first()
    base = f"{live_server.url}/saker/{case_a.pk}/samvaer"
    page = phone()
    sign_in(page, live_server, "ola")

    page.goto(f"{base}/plan/{plan.pk}/")
    assert_fits(page, "visit-plan")
    expect(page.locator("#sessions tbody tr")).to_have_count(3)
    page.click(f'#sessions a[href$="/samvaer/{session.pk}/"]')
    page.wait_for_url(f"**/samvaer/{session.pk}/")
    assert_fits(page, "visit-session")

    page.click(f'a[href$="/{session.pk}/registrer/"]')
    page.wait_for_url(f"**/{session.pk}/registrer/")
    assert_fits(page, "visit-record")
    notes = page.locator("textarea[name=child_reactions]")
    box = notes.bounding_box()
    assert box["width"] > PHONE["width"] * 0.8, "the form is not full width"
    page.fill("textarea[name=prep_parent]", "Snakket med mor om forventninger før samværet")
    page.fill("input[name=language_spoken]", "norsk")
    page.select_option("select[name=mother_tongue_used]", "true")
    notes.fill("Rolig, lekte med mor hele tiden. " * 4)
    page.fill("textarea[name=after_parent]", "Mor var fornøyd")
    submit = page.locator("main form.app-form button[type=submit]")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    with page.expect_navigation():
        submit.tap()
    page.wait_for_url(f"**/samvaer/{session.pk}/")
    assert_fits(page, "visit-held")
    expect(page.locator("main")).to_contain_text("Rolig, lekte med mor")

    session.refresh_from_db()
    assert session.status == "held"
    assert session.child_reactions.startswith("Rolig, lekte med mor")
    assert session.language_spoken == "norsk"
