"""The Content Security Policy in a real browser: Chromium reports no violation on the pages the
browser tests visit; and the warning before signing out after inactivity, driven by the page's
clock.

Violations are caught two ways: a `securitypolicyviolation` listener that Playwright injects
before any page script (its init scripts are not subject to the policy) and reports back through
an exposed binding, and Chromium's own console message ("Refused to …").
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sammen.org.models import Role, User
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in
from tests.followup.week_data import week  # noqa: F401 — the fixture: ola's follow-ups

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    page: location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
}, true);
"""


def watch(page):
    """Start collecting CSP violations on `page` (every document it loads); returns the list."""
    violations = []
    page.expose_binding("__reportCspViolation", lambda _source, found: violations.append(found))
    page.add_init_script(LISTENER)

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append({"page": page.url, "console": message.text})

    page.on("console", on_console)
    return violations


def visit(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status < 400, (path, response and response.status)
    page.wait_for_load_state("load")
    # Give late work (deferred scripts, htmx's start-up) a moment to run and to be refused.
    page.wait_for_timeout(150)


def signed_in_page(new_page, live_server, username):
    page = new_page()
    violations = watch(page)
    sign_in(page, live_server, username, check_accessible=False)
    return page, violations


def test_the_watch_sees_a_violation(new_page, live_server, people):
    """The check below would pass vacuously if the listener saw nothing: an inline script is
    refused and reported."""
    page = new_page()
    violations = watch(page)
    visit(page, live_server, reverse("login"))
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(150)
    assert page.evaluate("() => window.x") is None
    assert any(v.get("directive", "").startswith("script-src") for v in violations), violations


def test_no_page_reports_a_violation(new_page, live_server, people, case_a, unit, week):  # noqa: F811
    root = User.objects.create_superuser(
        username="root", password=f.PASSWORD, role=Role.ADMINISTRATOR, unit=unit
    )
    assert root.pk
    case = f"/saker/{case_a.pk}/"
    visits = {
        "kari": [
            "/",
            "/saker/",
            "/saker/?q=Test&status=open",
            case,
            reverse("cases:edit", args=[case_a.pk]),
            reverse("cases:place_list"),
            reverse("followup:overview"),
            reverse("visits:flat_list"),
        ],
        "ola": [
            reverse("followup:my_week"),
            reverse("followup:detail", args=[case_a.pk, week["active"].pk]),
            reverse("visits:calendar"),
            reverse("timelog:mine"),
            reverse("timelog:add"),
        ],
        "siri": [
            reverse("insights:dashboard"),
            reverse("insights:costs"),
            reverse("cases:audit_log", args=[case_a.pk]),
            reverse("cases:grants", args=[case_a.pk]),
        ],
        "root": [reverse("admin:index"), reverse("admin:org_user_changelist")],
    }
    login_page = new_page()
    found = watch(login_page)
    visit(login_page, live_server, reverse("login"))
    for username, paths in visits.items():
        page, violations = signed_in_page(new_page, live_server, username)
        for path in paths:
            visit(page, live_server, path)
        found += violations
    assert found == [], "\n".join(map(str, found))


def test_the_warning_before_signing_out(new_page, live_server, people):
    """Five minutes before the idle limit the warning shows, takes focus and is announced
    (role=alert); "Stay signed in" renews the session and gives focus back; at the limit it
    says the session has ended and links to the sign-in page."""
    page = new_page()
    violations = watch(page)
    page.clock.install()
    sign_in(page, live_server, "kari", check_accessible=False)
    visit(page, live_server, reverse("cases:list"))
    search = page.locator("input[name=q]")
    search.focus()
    box = page.locator("[data-session-warning]")
    expect(box).to_be_hidden()

    idle_ms = int(box.get_attribute("data-idle-seconds")) * 1000
    warning_ms = int(box.get_attribute("data-warning-seconds")) * 1000
    page.clock.fast_forward(idle_ms - warning_ms + 1_000)
    expect(box).to_be_visible()
    expect(box).to_have_attribute("role", "alert")
    button = box.locator("[data-session-renew]")
    expect(button).to_be_focused()
    assert_accessible(page)

    with page.expect_response(re.compile(r"/okt/forny/$")) as renewed:
        button.click()
    assert renewed.value.status == 204
    expect(box).to_be_hidden()
    expect(search).to_be_focused()

    page.clock.fast_forward(idle_ms + 1_000)
    ended = box.locator('[data-session-state="ended"]')
    expect(ended).to_be_visible()
    expect(ended.locator("a")).to_have_attribute("href", re.compile(r"^/logg-inn/\?next="))
    assert violations == []
