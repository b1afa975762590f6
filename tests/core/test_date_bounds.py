"""Every date field of every form stays within the range in core.dates, with a Norwegian message."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sammen.core import dates
from sammen.followup.forms import ReportForm
from sammen.visits.forms import SessionForm
from tests.cases.form_helpers import assert_typed_values_kept

pytestmark = pytest.mark.django_db


def test_the_range_runs_from_1900_to_ten_years_ahead():
    today = date(2026, 12, 3)
    assert date(1900, 1, 1) == dates.EARLIEST
    assert dates.latest(today) == date(2036, 12, 3)
    assert dates.latest(date(2028, 2, 29)) == date(2038, 2, 28)
    assert dates.within_bounds(date(2036, 12, 3), today)
    assert not dates.within_bounds(date(2036, 12, 4), today)
    assert not dates.within_bounds(date(1899, 12, 31), today)


def test_a_report_period_ending_in_9999_is_refused_in_norwegian():
    form = ReportForm(
        {"period_start": "2026-01-01", "period_end": "9999-12-31", "summary": "Tekst"}
    )
    assert not form.is_valid()
    last = dates.latest()
    assert form.errors["period_end"] == [f"Datoen må være mellom 01.01.1900 og {last:%d.%m.%Y}."]
    html = str(form["period_end"])
    assert 'min="1900-01-01"' in html and f'max="{last.isoformat()}"' in html


def test_a_date_time_far_ahead_is_refused(case_a):
    far = timezone.localdate() + timedelta(days=365 * 11)
    form = SessionForm({"starts_at": f"{far.isoformat()}T10:00"}, case=case_a)
    assert not form.is_valid()
    assert "Datoen må være mellom" in " ".join(form.errors["starts_at"])


def test_a_birth_date_before_1900_is_refused_and_what_was_typed_is_kept(client, people, case_a):
    client.force_login(people["kari"])
    data = {
        "first_name": "Gammel",
        "last_name": "Person",
        "relation": "other",
        "date_of_birth": "1850-05-05",
    }
    response = client.post(reverse("cases:person_add", args=[case_a.pk]), data)
    assert response.status_code == 200
    assert "Datoen må være mellom 01.01.1900" in response.content.decode()
    assert_typed_values_kept(response, data)
