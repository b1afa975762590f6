"""Playwright fixtures: Debian's Chromium, a fresh browser context per test, and axe-core.

Playwright never downloads a browser here; `make test` installs Debian's chromium instead.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
# The UI language real users get; the server picks it from Accept-Language.
BROWSER_LOCALE = "nb-NO"
MAX_NODES_PER_VIOLATION = 3

_axe = Axe()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}. Install Debian's chromium (`make chromium`, "
            "which `make test` runs); do not run `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (no shared cookies); all are closed after the test."""
    contexts = []

    def _new_page():
        context = browser.new_context(
            locale=BROWSER_LOCALE, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page):
    """Run axe-core on the page as it is now; fail listing every violation."""
    violations = _axe.run(page).response["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:MAX_NODES_PER_VIOLATION]:
            lines.append(f"    {', '.join(map(str, node['target']))}")
        hidden = len(violation["nodes"]) - MAX_NODES_PER_VIOLATION
        if hidden > 0:
            lines.append(f"    … and {hidden} more")
    pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page, live_server, username, *, check_accessible=True):
    """Sign in through the real login form; returns once the next page has loaded."""
    page.goto(f"{live_server.url}/logg-inn/")
    if check_accessible:
        assert_accessible(page)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
