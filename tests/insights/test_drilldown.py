"""A figure's drill-down lists exactly the cases counted in it, for each role's scope.

The world (tests/insights/varied.py) has varied cases in both sections of the unit and in
another unit. For every leader who may open the dashboard and a few filters, every row of every
figure that counts something is drilled into: the list has as many lines as the figure counts,
its cases are the cases counted (computed independently where the figure counts cases), and no
case outside the scope ever appears. The page itself is checked the same way, through the
links the dashboard shows.
"""

import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sammen.access.policy import visible_cases
from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import ChildCase
from sammen.followup import rules as followup_rules
from sammen.followup.models import FollowUp
from sammen.followup.selectors import OVERDUE_KINDS, overdue_counts
from sammen.insights import dashboard, drilldown
from sammen.insights.selectors import Scope
from sammen.timelog.models import TimeEntry

from . import varied

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)
PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}


@pytest.fixture(autouse=True)
def _today_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(date(2025, 6, 30), tick=False), translation.override("en"):
        yield


@pytest.fixture
def world(people, section_a, section_b, place):
    return varied.build(people, section_a, section_b, place)


def scopes(people, section_a, section_b):
    """(name, scope) for every leader who may open the dashboard, with the filters they have."""
    pia, siri, sven = people["pia"], people["siri"], people["sven"]

    def scope(user, **kw):
        return Scope(
            user=user, unit_id=user.unit_id, start=date(2025, 1, 1), end=TODAY, today=TODAY, **kw
        )

    return [
        ("programme lead, whole unit", scope(pia)),
        ("programme lead, section B", scope(pia, section_id=section_b.pk)),
        ("programme lead, counsellor ola", scope(pia, counsellor_id=people["ola"].pk)),
        ("section leader A", scope(siri, section_id=section_a.pk)),
        ("section leader B", scope(sven, section_id=section_b.pk)),
        (
            "section leader B, counsellor per",
            scope(sven, section_id=section_b.pk, counsellor_id=people["per"].pk),
        ),
    ]


def in_scope(scope) -> set[int]:
    """The cases the scope may count, from the policy and the scope's sections, independently."""
    cases = ChildCase.objects.filter(section__unit_id=scope.unit_id)
    if scope.section_id:
        cases = cases.filter(section_id=scope.section_id)
    return set(visible_cases(scope.user, cases).values_list("pk", flat=True))


def test_every_row_of_every_figure_lists_exactly_what_it_counts(
    world, people, section_a, section_b
):
    checked = 0
    for name, scope in scopes(people, section_a, section_b):
        allowed = in_scope(scope)
        # The overdue deadlines are the leader's own, whatever the filters (as the figure says).
        everything = in_scope(
            Scope(
                user=scope.user,
                unit_id=scope.unit_id,
                start=scope.start,
                end=scope.end,
                today=TODAY,
            )
        )
        elsewhere = {c.pk for c in world["elsewhere"]}
        for table in dashboard.build(scope):
            drills = [d for d in (table.drills or []) if d is not None]
            drills += list((table.cell_drills or {}).values())
            assert drills, f"{table.key} has no drill-down"
            for row, n in drills:
                lines = drilldown.drill(scope, table.key, row).lines
                ids = {line.case.pk for line in lines}
                where = f"{name}: {table.key}/{row or '*'}"
                scope_cases = everything if table.key == "deadlines" else allowed
                assert ids <= scope_cases, f"{where} lists cases outside the scope"
                assert not ids & elsewhere, where
                if n is not None:
                    counted = len(ids) if table.key in ("load", "time") else len(lines)
                    assert counted == n, f"{where}: {counted} listed, the figure says {n}"
                checked += 1
    assert checked > 150


def test_the_world_is_varied_enough_to_mean_something(world, people, section_a, section_b):
    """Every row the drill-downs are checked on counts something somewhere."""
    empty = set()
    for table in dashboard.build(scopes(people, section_a, section_b)[0][1]):
        for drill in table.drills or []:
            if drill is not None and drill[1] == 0:
                empty.add(f"{table.key}/{drill[0]}")
    assert not empty, f"rows that count nothing in the test world: {sorted(empty)}"


def test_the_load_lists_each_counsellors_families_as_the_figure_counts_them(
    world, people, section_a, section_b
):
    for _name, scope in scopes(people, section_a, section_b):
        allowed = in_scope(scope)
        for row in dashboard.build(scope)[0].drills:
            counsellor_id = int(row[0])
            expected = set(
                FollowUp.objects.filter(
                    referral__counsellor_id=counsellor_id,
                    referral__case_id__in=allowed,
                    state__in=followup_rules.CARRIED_STATES,
                ).values_list("referral__case_id", flat=True)
            )
            listed = {line.case.pk for line in drilldown.drill(scope, "load", row[0]).lines}
            assert listed == expected


def test_the_time_lists_the_cases_with_time_in_the_period(world, people, section_a, section_b):
    for _name, scope in scopes(people, section_a, section_b):
        entries = TimeEntry.objects.filter(
            case_id__in=in_scope(scope), worked_on__range=(scope.start, scope.end)
        )
        if scope.counsellor_id:
            entries = entries.filter(counsellor_id=scope.counsellor_id)
        listed = drilldown.drill(scope, "time").lines
        assert {line.case.pk for line in listed} == set(entries.values_list("case_id", flat=True))
        assert len(listed) == entries.values("case_id", "activity").distinct().count()


def test_the_overdue_deadlines_list_what_the_figure_counts(world, people, section_a, section_b):
    for _name, scope in scopes(people, section_a, section_b):
        lines = drilldown.drill(scope, "deadlines").lines
        counts = overdue_counts(scope.user, today=TODAY)
        assert len(lines) == sum(counts.values())
        for kind, count in counts.items():
            if count:  # kind by kind, as the figure's rows count them
                assert len(drilldown.drill(scope, "deadlines", kind).lines) == count
    assert lines  # the section leader of B has overdue re-offers


def test_every_kind_of_overdue_reminder_has_a_row_in_words():
    assert list(dashboard.overdue_labels()) != [] and set(dashboard.overdue_labels()) == set(
        OVERDUE_KINDS
    )


def test_the_plan_behind_its_ruling_is_listed_as_falling_short_with_the_reason(
    world, people, section_a, section_b
):
    siri_scope = scopes(people, section_a, section_b)[3][1]
    lines = drilldown.drill(siri_scope, "minimums", "falling_short").lines
    behind = [line for line in lines if "version 2" in line.what]
    assert [line.case.pk for line in behind] == [world["a"][0].pk]
    assert "Bakom Testfar" in behind[0].what


def test_unknown_figures_and_rows_are_not_found(world, people, section_a, section_b):
    scope = scopes(people, section_a, section_b)[0][1]
    from django.http import Http404

    for figure, row in (("nothing", ""), ("offers", "nothing"), ("load", "999999"), ("load", "x")):
        with pytest.raises(Http404):
            drilldown.drill(scope, figure, row)


# The pages ----------------------------------------------------------------------------------

LINK = re.compile(r'href="(/styring/tall/[^"]+)">Show the cases \((\d+)\)')


def _count_lines(html: str) -> set[str]:
    return re.findall(r'<tr data-case="(\d+)">', html)


@pytest.mark.parametrize(
    "who,filters",
    [("pia", {}), ("pia", {"counsellor": "ola"}), ("siri", {}), ("sven", {})],
)
def test_every_link_of_the_dashboard_leads_to_as_many_lines_as_it_says(
    client, world, people, section_a, who, filters
):
    query = dict(PERIOD)
    if "counsellor" in filters:
        query["counsellor"] = people[filters["counsellor"]].pk
    client.force_login(people[who])
    html = client.get(reverse("insights:dashboard"), query).content.decode()
    links = LINK.findall(html)
    assert len(links) > 20
    allowed = in_scope(
        Scope(
            user=people[who],
            unit_id=people[who].unit_id,
            start=date(2025, 1, 1),
            end=TODAY,
            today=TODAY,
            section_id=people[who].section_id,
        )
    )
    for url, n in links:
        url = url.replace("&amp;", "&")
        page = client.get(url)
        assert page.status_code == 200, url
        lines = _count_lines(page.content.decode())
        counted = len(set(lines)) if "/load/" in url or "/time/" in url else len(lines)
        assert counted == int(n), url
        assert {int(pk) for pk in lines} <= allowed, url


def test_the_drilldown_is_audited_with_the_cases_it_shows(client, world, people):
    client.force_login(people["siri"])
    response = client.get(reverse("insights:drilldown_row", args=["offers", "never"]), PERIOD)
    assert response.status_code == 200
    shown = sorted({int(pk) for pk in _count_lines(response.content.decode())})
    assert shown
    event = AuditEvent.objects.filter(user=people["siri"], action=AuditAction.LIST).latest("pk")
    assert sorted(event.object_ids) == shown
    assert all(pk in {c.pk for c in world["a"]} for pk in shown)


def test_a_bad_filter_shows_the_forms_message_and_no_error(client, world, people):
    client.force_login(people["pia"])
    url = reverse("insights:drilldown", args=["visits"])
    for query in (
        {"start": "2025-13-45"},
        {"start": "2025-06-30", "end": "2025-01-01"},
        {"section": "999999999999999999999"},
        {"counsellor": "x"},
        {"start": "0001-01-01"},
    ):
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert "ds-error-summary" in response.content.decode(), query


def test_a_section_leader_cannot_look_into_another_section(client, world, people, section_b):
    client.force_login(people["siri"])
    response = client.get(
        reverse("insights:drilldown", args=["offers"]), {**PERIOD, "section": section_b.pk}
    )
    assert response.status_code == 200
    shown = {int(pk) for pk in _count_lines(response.content.decode())}
    assert shown and shown <= {c.pk for c in world["a"]}
    assert "ds-error-summary" in response.content.decode()


@pytest.mark.parametrize("who", ["kari", "ola", "per", "adam", "cato"])
def test_only_leaders_may_open_a_drilldown(client, world, people, who):
    client.force_login(people[who])
    response = client.get(reverse("insights:drilldown_row", args=["offers", "never"]))
    assert response.status_code == 403


def test_the_drilldown_says_in_norwegian_what_it_lists(client, world, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(people["siri"])
    with translation.override("nb"):
        response = client.get(reverse("insights:drilldown_row", args=["offers", "never"]), PERIOD)
        dashboard_html = client.get(reverse("insights:dashboard"), PERIOD).content.decode()
    html = response.content.decode()
    assert "Sakene bak tallet" in html
    assert "Aldri tilbudt" in html
    assert "Vis sakene (" in dashboard_html


FIGURE_ROWS = [
    ("load", ""),
    ("duration", ""),
    ("intensity", "below"),
    ("offers", "never"),
    ("visits", "held"),
    ("minimums", "falling_short"),
    ("time", ""),
    ("deadlines", ""),
]
# Session, user, audit row, the filter form's choices, the section leader's section, the
# figure's own reads (one to five: the minimums' plans, rulings, visits and visitors; the
# reminders of a section leader), the cases and their counsellors: measured 13 to 17 for a
# section leader, the same for 6 or 30 cases. Two of headroom.
MAX_QUERIES = 19


@pytest.mark.parametrize("figure,row", FIGURE_ROWS)
def test_a_drilldown_uses_a_fixed_number_of_queries(
    client, people, section_a, section_b, place, django_assert_max_num_queries, figure, row
):
    client.force_login(people["siri"])
    url = (
        reverse("insights:drilldown_row", args=[figure, row])
        if row
        else reverse("insights:drilldown", args=[figure])
    )
    for i in range(6):  # a case of every kind
        varied.case_with_everything(
            i,
            section=section_a,
            caseworker=people["kari"],
            counsellor=people["ola"],
            place=place,
            tag="S",
        )
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(url, PERIOD).status_code == 200
    for i in range(6, 30):
        varied.case_with_everything(
            i,
            section=section_a,
            caseworker=people["kari"],
            counsellor=people["ola"],
            place=place,
            tag="S",
        )
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        response = client.get(url, PERIOD)
    assert len(_count_lines(response.content.decode())) > 0
    assert len(large) == len(small)
