"""Norwegian formats on the visits pages and PDFs: decimal commas, counts with the plural form
they take, notice in days when long, and the marking "Unntatt offentlighet" on every PDF."""

from datetime import date
from decimal import Decimal

import pytest
import weasyprint
from django.urls import reverse
from django.utils import translation

from sammen.core.wording import hours_text
from sammen.visits.models import VisitSession
from sammen.visits.templatetags.visit_tags import notice
from tests.factories import set_columns

from .conftest import at, make_session

pytestmark = pytest.mark.django_db

MARKING = {
    "nb": "Unntatt offentlighet, jf. offl. § 13 jf. bvl. § 13-1",
    "nn": "Unnateke frå offentleg innsyn, jf. offl. § 13 jf. bvl. § 13-1",
}


@pytest.fixture
def rendered(monkeypatch):
    """The HTML WeasyPrint is given, one string per PDF (the PDF itself is still made)."""
    pages = []

    class Recording(weasyprint.HTML):
        def __init__(self, *args, string=None, **kwargs):
            pages.append(string)
            super().__init__(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Recording)
    return pages


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_plan_pdf_carries_the_marking_in_the_users_language_form(
    client, people, case_a, plan, rendered, language
):
    kari = people["kari"]
    kari.language = language
    kari.save()
    client.force_login(kari)
    response = client.get(reverse("visits:plan_pdf", args=[case_a.pk, plan.pk]) + "?til=child")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (html,) = rendered
    assert MARKING[language] in html
    assert f'<html lang="{language}">' in html


def test_the_marking_stays_norwegian_under_english(client, people, case_a, plan, rendered):
    kari = people["kari"]
    kari.language = "en"
    kari.save()
    client.force_login(kari)
    client.get(reverse("visits:plan_pdf", args=[case_a.pk, plan.pk]) + "?til=child")
    assert MARKING["nb"] in rendered[0]


def test_the_plan_page_shows_hours_with_a_decimal_comma(client, people, case_a, plan):
    plan.hours = Decimal("2.5")
    plan.save()
    client.force_login(people["kari"])  # no language chosen: bokmål
    html = client.get(reverse("visits:plan", args=[case_a.pk, plan.pk])).content.decode()
    assert "2,5" in html and "2.5" not in html
    with translation.override("nb"):
        assert hours_text(Decimal("2.5")) in html


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (1, "1 hour before"),
        (5, "5 hours before"),
        (47, "47 hours before"),
        (48, "2 days before"),
        (1037, "43 days before"),
        (24 * 1000 + 5, "1,000 days before"),
        (-1, "1 hour after the start"),
    ],
)
def test_the_notice_of_a_cancellation_in_hours_or_days(hours, text):
    with translation.override("en"):
        assert notice(hours) == text


def test_the_long_notice_names_the_visit():
    with translation.override("en"):
        assert notice(1037, "long") == "43 days before the visit"
        assert notice(1, "long") == "1 hour before the visit"
        assert notice(None) == ""


def test_the_session_page_tells_a_long_notice_in_days(client, people, case_a, plan):
    session = make_session(plan, at(date(2026, 3, 20)), counsellor=people["ola"])

    set_columns(
        VisitSession.objects.filter(pk=session.pk),
        status="cancelled",
        cancelled_by="parent",
        cancelled_at=at(date(2026, 2, 5), 13),
        cancel_reason="Syk",
    )
    client.force_login(people["ola"])
    html = client.get(reverse("visits:session", args=[case_a.pk, session.pk])).content.decode()
    session.refresh_from_db()
    assert session.notice_hours == 43 * 24 + 4
    with translation.override("nb"):
        expected = notice(session.notice_hours, "long")  # "43 dager før samværet"
    assert expected in html and "1036" not in html
