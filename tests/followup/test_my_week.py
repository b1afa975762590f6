"""«Min uke»: what the counsellor sees, and that it costs the same however much there is."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sammen.audit.models import AuditEvent
from sammen.followup import selectors
from sammen.followup.choices import Method, Place

from .. import factories as f
from .week_data import _contact, _followup, _report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_week_lists_the_counsellors_sessions_deadlines_and_reports(people, week):
    today = timezone.localdate()
    result = selectors.my_week(people["ola"], today=today)
    assert [(c.followup_id, c.held_on - today) for c in result["upcoming"]] == [
        (week["declined"].pk, timedelta(0)),
        (week["active"].pk, timedelta(days=2)),
        (week["active"].pk, timedelta(days=6)),
    ]
    assert [r.followup.parent.first_name for r in result["reports_to_review"]] == ["Anne"]
    assert [r.state for r in result["reports_to_review"]] == ["draft"]
    reminders = selectors.reminders_for(people["ola"], today=today)
    assert result["overdue"] == [r for r in reminders if r.is_overdue(today)]
    assert result["ahead"] == [
        r for r in reminders if not r.is_overdue(today) and r.due <= today + timedelta(days=30)
    ]
    texts = [r.text for r in result["overdue"] + result["ahead"]]
    assert "Offer follow-up again to Bjørn Testfar" in texts
    assert "Review the frame for Anne Testmor" in texts


def test_the_week_page_shows_it_and_logs_the_cases_read(client, people, case_a, week):
    client.force_login(people["ola"])
    response = client.get(reverse("followup:my_week"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Anne Testmor") >= 2 and "Bjørn Testfar" in body
    with translation.override("nb"):  # the page speaks the site's language
        assert str(Method.COSP.label) in body and str(Place.OFFICE.label).lower() in body
    assert "Gro Bestemor" not in body and "Stig Steforelder" not in body
    assert reverse("followup:detail", args=[case_a.pk, week["active"].pk]) in body
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.object_ids == [case_a.pk]


# Session, user, the counsellor's open follow-ups (the access policy's case ids inside), their
# sessions of the week and their reports, the week's visits, the audit row; with the test's
# savepoint and its release. The same for one family and thirty.
MAX_WEEK_QUERIES = 9


def test_the_week_costs_the_same_for_one_and_many_families(
    client, people, section_a, week, django_assert_max_num_queries
):
    client.force_login(people["ola"])
    url = reverse("followup:my_week")
    with django_assert_max_num_queries(MAX_WEEK_QUERIES) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        case = f.make_case(
            section=section_a,
            caseworker=people["kari"],
            counsellors=[people["ola"]],
            child_first=f"Barn{i}",
        )
        parent = f.make_parent(case, first_name=f"Mor{i}")
        followup = _followup(case, parent, people["ola"], started_on=timezone.localdate())
        _contact(followup, 1)
        _report(followup)
    with django_assert_max_num_queries(MAX_WEEK_QUERIES) as large:
        response = client.get(url)
    assert "Mor29 Testmor" in response.content.decode()
    assert len(large) == len(small)


def test_a_case_shown_only_through_a_deadline_is_logged_as_read(client, people, section_a, week):
    """A case whose only line on the page is an overdue re-offer is still in the audit row."""
    other = f.make_case(section=section_a, caseworker=people["kari"], counsellors=[people["ola"]])
    father = f.make_parent(other, relation="father", first_name="Egil", last_name="Testfar")
    _followup(
        other,
        father,
        people["ola"],
        state="declined",
        reoffer_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(people["ola"])
    assert "Egil Testfar" in client.get(reverse("followup:my_week")).content.decode()
    event = AuditEvent.objects.order_by("-pk").first()
    assert other.pk in event.object_ids
    client.force_login(people["ola"])
    client.get(reverse("followup:overview"))
    event = AuditEvent.objects.order_by("-pk").first()
    assert other.pk in event.object_ids
