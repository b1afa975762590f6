"""A caseworker's day in a real browser, with axe-core on every page; and a stranger kept out."""

import re

import pytest
from playwright.sync_api import expect

from sammen.cases.models import PlaceKind, Placement, PlacementKind, Relation
from tests import factories as f

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

EMERGENCY_HOME = "Beredskapshjem Berg"


def _path(page):
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def test_caseworker_registers_a_placement(page, live_server, people, case_a, case_b, unit):
    emergency_home = f.make_place(unit, EMERGENCY_HOME, kind=PlaceKind.EMERGENCY_HOME)
    overview_path = f"/saker/{case_a.pk}/"

    # Sign in through the real form and land on «Mine saker».
    sign_in(page, live_server, "kari")
    assert _path(page) == "/"
    expect(page.locator(f'main a[href="{overview_path}"]')).to_be_visible()
    assert_accessible(page)

    # The case list: search by the child's name.
    page.click('header nav a[href="/saker/"]')
    page.wait_for_url(re.compile(r"/saker/$"))
    assert_accessible(page)
    page.fill("input[name=q]", "Testdatter")
    page.select_option("select[name=status]", "open")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert "q=Testdatter" in page.url
    expect(page.locator(f'main table a[href="{overview_path}"]')).to_have_count(1)
    expect(page.locator(f'main table a[href="/saker/{case_b.pk}/"]')).to_have_count(0)
    assert_accessible(page)

    # The case overview.
    page.click(f'main table a[href="{overview_path}"]')
    page.wait_for_url(f"**{overview_path}")
    placement_rows = page.locator("#placements tbody tr")
    expect(placement_rows).to_have_count(1)
    assert_accessible(page)

    # Register an earlier, closed emergency placement; first with a period that overlaps.
    page.click(f'#placements a[href="{overview_path}plasseringer/ny/"]')
    page.wait_for_url(f"**{overview_path}plasseringer/ny/")
    assert_accessible(page)
    page.select_option("select[name=kind]", PlacementKind.EMERGENCY)
    page.select_option("select[name=place]", str(emergency_home.pk))
    page.fill("input[name=start_date]", "2025-03-01")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert _path(page) == f"{overview_path}plasseringer/ny/"
    expect(page.locator(".ds-error-summary")).to_be_visible()
    expect(page.locator("#id_start_date_error")).to_be_visible()
    expect(page.locator("input[name=start_date]")).to_have_attribute(
        "aria-describedby", re.compile("id_start_date_error")
    )
    assert_accessible(page)

    page.fill("input[name=start_date]", "2025-01-10")
    page.fill("input[name=end_date]", "2025-01-31")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert _path(page) == overview_path
    expect(placement_rows).to_have_count(2)
    expect(placement_rows.filter(has_text=EMERGENCY_HOME)).to_contain_text("10.01.2025")
    expect(placement_rows.filter(has_text=EMERGENCY_HOME)).to_contain_text("31.01.2025")
    assert_accessible(page)

    saved = Placement.objects.get(case=case_a, place=emergency_home)
    assert (saved.kind, str(saved.start_date), str(saved.end_date)) == (
        PlacementKind.EMERGENCY,
        "2025-01-10",
        "2025-01-31",
    )


def test_counsellor_outside_the_team_cannot_reach_the_case(new_page, live_server, people, case_a):
    child_name = case_a.persons.get(relation=Relation.CHILD).full_name
    page = new_page()
    sign_in(page, live_server, "per", check_accessible=False)

    response = page.goto(f"{live_server.url}/saker/{case_a.pk}/")
    assert response.status == 404
    expect(page.locator("main h1")).to_be_visible()
    assert child_name not in page.content()
    assert case_a.reference not in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/saker/?status=")
    expect(page.locator(f'a[href="/saker/{case_a.pk}/"]')).to_have_count(0)
    assert child_name not in page.content()
    assert_accessible(page)
