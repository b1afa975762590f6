"""A generated series on Norwegian public holidays: skipped or kept and marked (issue 11).

2027: 1 January is a Friday, Good Friday (Langfredag) is 26 March, 17 May is a Monday (and
Whit Monday). The series are weekly on Fridays from 1 January and on Mondays in May.
"""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from sammen.visits import rules, services
from sammen.visits.models import VisitSession

from .conftest import at

pytestmark = pytest.mark.django_db

NEW_YEAR, GOOD_FRIDAY, CONSTITUTION_DAY = date(2027, 1, 1), date(2027, 3, 26), date(2027, 5, 17)
HOLIDAYS = {NEW_YEAR, GOOD_FRIDAY, CONSTITUTION_DAY}
HOLIDAY_TAG = 'class="ds-tag app-holiday"'


def fridays_and_may_mondays():
    """13 Fridays from 1 January to 26 March 2027, then the 5 Mondays of May 2027."""
    weekly = {"at": time(17), "minutes": 120, "recurrence": "weekly", "interval": 1}
    return rules.occurrences(first=NEW_YEAR, until=GOOD_FRIDAY, **weekly) + rules.occurrences(
        first=date(2027, 5, 3), until=date(2027, 5, 31), **weekly
    )


def local_days(sessions):
    return [s.starts_at.astimezone(rules.OSLO).date() for s in sessions]


def test_the_holidays_in_a_series_are_found_with_their_names():
    workdays, holidays = rules.split_holidays(fridays_and_may_mondays())
    assert len(workdays) == 15
    assert [start.date() for start, _name in holidays] == sorted(HOLIDAYS)
    assert rules.holiday_list(holidays) == (
        "01.01.2027 (Første nyttårsdag), 26.03.2027 (Langfredag), "
        "17.05.2027 (Andre pinsedag; Grunnlovsdag)"
    )
    assert rules.holiday_on(at(date(2027, 3, 25), 23)) == "Skjærtorsdag"
    assert rules.holiday_on(at(date(2027, 3, 27), 0, 30)) is None  # Easter Saturday


def generate(people, plan, flat, **options):
    return services.sessions_generate(
        user=people["kari"],
        plan=plan,
        series=fridays_and_may_mondays(),
        counsellor=people["ola"],
        flat=flat,
        place_kind="flat",
        **options,
    )


def test_a_series_that_skips_holidays_leaves_them_out(people, plan, flat):
    created, skipped = generate(people, plan, flat, skip_holidays=True)
    assert skipped == [] and len(created) == 15
    assert not HOLIDAYS & set(local_days(created))
    assert all(s.holiday is None for s in created)


def test_a_series_that_keeps_holidays_marks_them(people, plan, flat):
    created, _skipped = generate(people, plan, flat, skip_holidays=False)
    assert len(created) == 18
    marked = {day: s.holiday for day, s in zip(local_days(created), created, strict=True)}
    assert marked[NEW_YEAR] == "Første nyttårsdag"
    assert marked[GOOD_FRIDAY] == "Langfredag"
    assert "Grunnlovsdag" in marked[CONSTITUTION_DAY]
    assert sum(1 for name in marked.values() if name) == 3


def test_a_series_only_on_holidays_is_refused_when_skipping(people, plan, flat):
    from django.core.exceptions import ValidationError

    one = rules.occurrences(
        first=CONSTITUTION_DAY, at=time(12), minutes=60, recurrence="weekly", interval=1,
        until=CONSTITUTION_DAY,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="public holiday"):
        services.sessions_generate(
            user=people["kari"], plan=plan, series=one, counsellor=None, flat=None,
            place_kind="office", skip_holidays=True,
        )  # fmt: skip
    assert not VisitSession.objects.exists()


def series_post(people, first, until, on_holidays, **extra):
    return {
        "first_day": first,
        "start_time": "17:00",
        "minutes": "120",
        "recurrence": "weekly",
        "interval": "1",
        "until": until,
        "counsellor": people["ola"].pk,
        "place_kind": "office",
        "on_holidays": on_holidays,
        **extra,
    }


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"])


def in_page_language(response, msgid, plural=None, **values):
    """`msgid` as the page said it: in the request's language, whatever the catalogue has."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        if plural:
            return ngettext(msgid, plural, values["n"]) % values
        return gettext(msgid) % values


def test_the_series_page_flags_or_skips_and_says_which_dates(client, people, case_a, plan):
    client.force_login(people["ola"])
    url = reverse("visits:generate", args=[case_a.pk, plan.pk])
    page = client.get(url).content.decode()
    assert 'name="on_holidays"' in page and 'value="skip"' in page

    flagged = client.post(url, series_post(people, "2027-01-01", "2027-03-26", "flag"), follow=True)
    said = messages_of(flagged)
    assert (
        in_page_language(flagged, "%(n)s visit was planned.", "%(n)s visits were planned.", n=13)
        in said
    )
    assert (
        in_page_language(
            flagged,
            "Planned on public holidays and marked: %(list)s",
            list="01.01.2027 (Første nyttårsdag), 26.03.2027 (Langfredag)",
        )
        in said
    )

    skipped = client.post(url, series_post(people, "2027-05-03", "2027-05-31", "skip"), follow=True)
    said = messages_of(skipped)
    assert (
        in_page_language(skipped, "%(n)s visit was planned.", "%(n)s visits were planned.", n=4)
        in said
    )
    assert (
        in_page_language(
            skipped,
            "Not planned on public holidays: %(list)s",
            list="17.05.2027 (Andre pinsedag; Grunnlovsdag)",
        )
        in said
    )
    assert CONSTITUTION_DAY not in local_days(VisitSession.objects.all())
    assert VisitSession.objects.count() == 17


def test_flagged_visits_are_marked_on_the_plan_page_and_calendars(
    client, people, case_a, plan, flat
):
    generate(people, plan, flat, skip_holidays=False)
    client.force_login(people["ola"])
    plan_page = client.get(reverse("visits:plan", args=[case_a.pk, plan.pk])).content.decode()
    assert plan_page.count(HOLIDAY_TAG) == 3 and "Langfredag" in plan_page
    calendar = client.get(reverse("visits:calendar") + "?uke=2027-03-22").content.decode()
    assert HOLIDAY_TAG in calendar and "Langfredag" in calendar
    ordinary_week = client.get(reverse("visits:calendar") + "?uke=2027-03-01").content.decode()
    assert HOLIDAY_TAG not in ordinary_week
    flat_week = client.get(
        reverse("visits:flat_calendar", args=[flat.pk]) + "?uke=2026-12-28"
    ).content.decode()
    assert "Første nyttårsdag" in flat_week
    session = VisitSession.objects.get(starts_at=at(GOOD_FRIDAY))
    detail = client.get(reverse("visits:session", args=[case_a.pk, session.pk])).content.decode()
    assert "Langfredag" in detail


def test_a_bad_holiday_choice_is_shown_again_with_the_typed_values(client, people, case_a, plan):
    from tests.cases.form_helpers import assert_refused, assert_typed_values_kept

    client.force_login(people["ola"])
    url = reverse("visits:generate", args=[case_a.pk, plan.pk])
    data = series_post(people, "2027-01-01", "2027-03-26", "sometimes")
    response = client.post(url, data)
    assert_refused(response, "on_holidays")
    assert_typed_values_kept(response, {k: v for k, v in data.items() if k != "on_holidays"})
    only_holiday = series_post(people, "2027-05-17", "2027-05-17", "skip")
    response = client.post(url, only_holiday)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert_typed_values_kept(response, only_holiday)
    assert not VisitSession.objects.exists()
