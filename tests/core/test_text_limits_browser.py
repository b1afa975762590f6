"""The character counter in a real browser: hidden until the text nears the limit, then shown
and announced politely after a pause; an overlong text sent back by the server shows the excess.
axe-core checks the page in each state."""

import re

import pytest
from playwright.sync_api import expect

from sammen.core.forms import TEXT_MAX_LENGTH
from sammen.followup.models import Contact, FollowUp
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def contact_page(new_page, live_server, people, case_a):
    referral = f.make_referral(case_a, people["ola"], by=people["kari"])
    mother = case_a.persons.get(relation="mother")
    followup = FollowUp.objects.create(referral=referral, parent=mother, state="active")
    page = new_page()
    sign_in(page, live_server, "ola")
    page.goto(f"{live_server.url}/saker/{case_a.pk}/oppfolging/{followup.pk}/registrer/kontakt/")
    return page


def test_the_counter_shows_near_the_limit_and_the_server_refuses_more(contact_page):
    page = contact_page
    notes = page.locator("textarea[name=notes]")
    expect(notes).to_have_attribute("maxlength", str(TEXT_MAX_LENGTH))
    expect(page.locator("#id_notes_helptext")).to_contain_text("10\u202f000")
    counter = page.locator("#id_notes ~ [data-field=counter]")
    spoken = page.locator("#id_notes ~ [aria-live=polite]")
    expect(counter).to_be_hidden()
    assert_accessible(page)

    notes.fill("x" * 7_000)
    expect(counter).to_be_hidden()
    notes.fill("x" * 9_000)
    expect(counter).to_be_visible()
    expect(counter).to_have_text(re.compile(r"\b1\u202f000$"))
    expect(spoken).to_have_text(re.compile(r"\b1\u202f000$"))  # after the pause in typing
    assert_accessible(page)

    # The browser stops typing at the limit; a text past it (as if pasted past an old browser)
    # goes to the server, which sends the form back with the text kept and the excess shown.
    page.evaluate(
        "n => { const a = document.querySelector('#id_notes'); a.value = 'y'.repeat(n);"
        " a.dispatchEvent(new Event('input')); }",
        TEXT_MAX_LENGTH + 50,
    )
    expect(counter).to_have_attribute("data-state", "over")
    page.select_option("select[name=with_whom]", "parent")
    page.select_option("select[name=place]", "home")
    page.select_option("select[name=method]", "conversation")
    page.fill("input[name=minutes]", "60")
    with page.expect_navigation():
        page.click("main form.app-form button[type=submit]")
    expect(page.locator("#id_notes_error")).to_contain_text("10\u202f050")
    expect(page.locator("#id_notes")).to_have_value("y" * (TEXT_MAX_LENGTH + 50))
    expect(counter).to_have_attribute("data-state", "over")
    expect(counter).to_have_text(re.compile(r"\b50$"))
    assert_accessible(page)
    assert not Contact.objects.exists()
