"""A new version of a plan cancels the earlier versions' visits still to come (issue 11)."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import Person
from sammen.visits import rules, services
from sammen.visits.models import VisitPlan, VisitSession

from .conftest import at, make_session, plan_values

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, tzinfo=rules.OSLO)
NEW_START = date(2026, 4, 1)


def new_version(people, case, plan, **overrides):
    values = plan_values(plan.visitor, **{"starts_on": NEW_START, **overrides})
    return services.plan_create(
        user=people["kari"], case=case, plan=VisitPlan(**values), based_on=plan.number
    )


@pytest.fixture
def history(people, case_a, plan):
    """v1's visits: held, planned but past, planned before and after the new start, cancelled."""
    held = make_session(plan, at(date(2026, 2, 2)), status="held")
    past = make_session(plan, at(date(2026, 2, 20)))
    before_start = make_session(plan, at(date(2026, 3, 10)))
    on_start = make_session(plan, at(NEW_START, 9))
    later = make_session(plan, at(date(2026, 5, 4)), counsellor=people["ola"])
    cancelled = make_session(
        plan, at(date(2026, 5, 11)), status="cancelled", cancelled_by="parent",
        cancel_reason="Syk", cancelled_at=at(date(2026, 2, 25)),
    )  # fmt: skip
    return {
        "kept": [held, past, before_start, cancelled],
        "ended": [on_start, later],
        "cancelled": cancelled,
    }


def state(session):
    fresh = VisitSession.objects.get(pk=session.pk)
    return (fresh.status, fresh.cancelled_by, fresh.cancel_reason, fresh.version)


@time_machine.travel(NOW, tick=False)
def test_a_new_version_cancels_the_old_versions_visits_from_its_start(
    people, case_a, plan, history
):
    kept = {s.pk: state(s) for s in history["kept"]}
    new, notices = new_version(people, case_a, plan, visits=6, period_length=1, period_unit="year")
    assert new.number == 2
    for session in history["ended"]:
        session.refresh_from_db()
        assert session.status == "cancelled" and session.cancelled_by == "service"
        assert session.cancel_reason == "Replaced by version 2 of the visitation plan."
        assert session.cancelled_at == NOW and session.recorded_by == people["kari"]
        assert session.version == 2  # each was saved, claiming its version
    assert {s.pk: state(s) for s in history["kept"]} == kept
    assert "2 planned visits of the earlier version from 01.04.2026 were cancelled." in notices
    audit = AuditEvent.objects.filter(action=AuditAction.UPDATE, case_id=case_a.pk).get()
    assert audit.object_ids == [s.pk for s in history["ended"]]
    assert "version 2" in audit.reason


@time_machine.travel(NOW, tick=False)
def test_a_version_valid_from_the_past_ends_only_the_visits_to_come(people, case_a, plan, history):
    new, notices = new_version(people, case_a, plan, starts_on=date(2026, 2, 1))
    past = VisitSession.objects.get(pk=history["kept"][1].pk)
    assert past.status == "planned"  # it may have been held, only not recorded yet
    assert VisitSession.objects.get(pk=history["kept"][2].pk).status == "cancelled"
    assert any("3 planned visits" in n for n in notices)


@time_machine.travel(NOW, tick=False)
def test_other_visitors_and_a_first_plan_end_nothing(people, case_a, plan, history):
    father = Person.objects.create(case=case_a, relation="grandparent", first_name="Per",
                                   last_name="Bestefar")  # fmt: skip
    other, notices = services.plan_create(
        user=people["kari"], case=case_a, plan=VisitPlan(**plan_values(father, starts_on=NEW_START)),
        based_on=0,
    )  # fmt: skip
    assert other.number == 1
    assert not any("cancelled" in n for n in notices)
    assert VisitSession.objects.filter(status="planned").count() == 4
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


@time_machine.travel(NOW, tick=False)
def test_the_plan_page_says_how_many_visits_were_cancelled(client, people, case_a, plan, history):
    client.force_login(people["kari"])
    data = {
        "visitor": plan.visitor_id, "starts_on": "2026-04-01", "evaluate_on": "2026-10-01",
        "visits": "6", "period_length": "1", "period_unit": "year", "hours": "2",
        "place_kind": "office", "supervision": "supervised", "purposes": ["bonds"],
        "based_on": "1",
    }  # fmt: skip
    response = client.post(
        reverse("visits:plan_revise", args=[case_a.pk, plan.pk]), data, follow=True
    )
    assert response.status_code == 200
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = gettext(
            "%(n)s planned visits of the earlier version from %(day)s were cancelled."
        ) % {"n": 2, "day": "01.04.2026"}
    assert expected in [str(m) for m in response.context["messages"]]
    assert VisitSession.objects.filter(status="cancelled").count() == 3
