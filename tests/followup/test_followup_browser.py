"""The follow-up path across roles in a real browser, with axe-core on every page visited."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sammen.cases.models import Person
from sammen.followup.models import FollowUp, FollowUpReport
from tests.browser.support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _submit(page):
    with page.expect_navigation():
        page.click("main form.app-form button[type=submit]")


def _open(page, url):
    page.goto(url)
    assert_accessible(page)


def test_a_parent_is_referred_followed_up_and_reported_on_across_roles(
    new_page, live_server, people, case_a
):
    today = timezone.localdate()
    base = live_server.url
    mother = Person.objects.get(case=case_a, relation="mother")

    # The caseworker refers the mother.
    kari = new_page()
    sign_in(kari, live_server, "kari")
    _open(kari, f"{base}/saker/{case_a.pk}/")
    kari.click(f'#followup a[href="/saker/{case_a.pk}/oppfolging/henvis/"]')
    assert_accessible(kari)
    kari.check(f"input[name=parents][value='{mother.pk}']")
    kari.select_option("select[name=order]", "around_visits")
    kari.fill("textarea[name=goals]", "Tryggere samvær for mor og barn")
    _submit(kari)
    followup = FollowUp.objects.get(parent=mother)
    referral = followup.referral

    # The section leader approves.
    siri = new_page()
    sign_in(siri, live_server, "siri")
    _open(siri, f"{base}/oppfolging/")
    siri.click(f'a[href="/saker/{case_a.pk}/oppfolging/henvisning/{referral.pk}/vurder/"]')
    assert_accessible(siri)
    siri.check("input[name=decision][value=approve]")
    _submit(siri)
    assert_accessible(siri)

    # The programme lead sees the counsellors' load and assigns ola.
    pia = new_page()
    sign_in(pia, live_server, "pia")
    _open(pia, f"{base}/saker/{case_a.pk}/oppfolging/henvisning/{referral.pk}/tildel/")
    pia.check(f"input[name=counsellor][value='{people['ola'].pk}']")
    _submit(pia)
    followup.refresh_from_db()
    assert followup.state == "assigned"

    # The counsellor: information, consent, start meeting, a session, a report.
    ola = new_page()
    sign_in(ola, live_server, "ola")
    step_url = f"{base}/saker/{case_a.pk}/oppfolging/{followup.pk}/registrer"
    _open(ola, f"{base}/saker/{case_a.pk}/oppfolging/{followup.pk}/")
    _open(ola, f"{step_url}/kontakt/")  # refused before consent: the error is shown
    ola.fill("input[name=held_on]", today.isoformat())
    ola.select_option("select[name=with_whom]", "parent")
    ola.select_option("select[name=place]", "home")
    ola.select_option("select[name=method]", "conversation")
    ola.fill("input[name=minutes]", "60")
    _submit(ola)
    expect(ola.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(ola)
    _open(ola, f"{step_url}/informasjon/")
    ola.fill("input[name=informed_on]", today.isoformat())
    ola.select_option("select[name=channel]", "meeting")
    ola.fill("input[name=language]", "norsk")
    ola.check("input[name=topics][value=rights]")
    ola.check("input[name=points][value=introduce]")
    _submit(ola)
    _open(ola, f"{step_url}/samtykke/")
    ola.select_option("select[name=kind]", "given")
    ola.fill("input[name=on]", today.isoformat())
    _submit(ola)
    _open(ola, f"{step_url}/mote/")
    ola.select_option("select[name=kind]", "joint")
    ola.fill("input[name=held_on]", today.isoformat())
    ola.fill("input[name=participants]", "Mor, familieveileder, saksbehandler")
    ola.fill("input[name=report_period_months]", "3")
    ola.fill("input[name=contacts_per_month]", "4")
    ola.fill("input[name=frame_review_on]", (today + timedelta(days=90)).isoformat())
    _submit(ola)
    _open(ola, f"{step_url}/kontakt/")
    ola.fill("input[name=held_on]", today.isoformat())
    ola.select_option("select[name=with_whom]", "parent")
    ola.select_option("select[name=place]", "home")
    ola.select_option("select[name=method]", "cosp")
    ola.fill("input[name=minutes]", "90")
    _submit(ola)
    assert_accessible(ola)  # the follow-up page, now active
    _open(ola, f"{base}/saker/{case_a.pk}/oppfolging/{followup.pk}/rapport/ny/")
    ola.fill("input[name=period_start]", today.isoformat())
    ola.fill("input[name=period_end]", today.isoformat())
    ola.fill("textarea[name=summary]", "Ukentlige samtaler hjemme hos mor.")
    _submit(ola)
    report = FollowUpReport.objects.get(followup=followup)
    assert_accessible(ola)
    _open(ola, f"{base}/saker/{case_a.pk}/oppfolging/rapport/{report.pk}/gjennomgang/")
    ola.fill("input[name=reviewed_on]", today.isoformat())
    ola.check("input[name=agreement][value=partly]")
    ola.fill("textarea[name=comments]", "Mor ønsker flere samvær")
    _submit(ola)
    _open(ola, f"{base}/oppfolging/min-uke/")

    # The caseworker cannot see the report yet; the section leader approves it.
    response = kari.goto(f"{base}/saker/{case_a.pk}/oppfolging/rapport/{report.pk}/")
    assert response.status == 404
    _open(siri, f"{base}/saker/{case_a.pk}/oppfolging/rapport/{report.pk}/")
    with siri.expect_navigation():
        siri.click(
            f'form[action="/saker/{case_a.pk}/oppfolging/rapport/{report.pk}/godkjenn/"] button'
        )
    assert_accessible(siri)
    report.refresh_from_db()
    assert report.state == "approved"
    _open(siri, f"{base}/oppfolging/tilbud/")

    # The caseworker sees the approved report with the mother's comments, and its PDF.
    _open(kari, f"{base}/saker/{case_a.pk}/oppfolging/rapport/{report.pk}/")
    expect(kari.locator("main")).to_contain_text("Mor ønsker flere samvær")
    pdf = kari.request.get(f"{base}/saker/{case_a.pk}/oppfolging/rapport/{report.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
