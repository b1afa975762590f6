"""A plan keeps the version of the ruling it was checked against; when the ruling changes, a
current plan that no longer meets the version in force is flagged."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sammen.cases import services as case_services
from sammen.cases.models import VisitationRuling
from sammen.cases.models.decisions import ImmutableRecordError
from sammen.insights.selectors import Scope, minimum_counts
from sammen.visits import services
from sammen.visits.models import VisitPlan, VisitSession
from sammen.visits.ruling_checks import plans_behind_their_ruling

from .conftest import at, plan_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_ruling(people, case_a, decision, mother):
    """The mother's ruling (at least 1 visit per 2 months, 2 hours, supervised) registered
    through the service, so its first version is kept."""
    ruling = VisitationRuling(
        decision=decision,
        visitor=mother,
        visits=1,
        period_length=2,
        period_unit="month",
        min_hours=2,
        supervision="supervised",
    )
    return case_services.ruling_save(
        user=people["kari"], case=case_a, ruling=ruling, expected_version=None
    )


def make_plan(people, case, visitor, based_on=0, **overrides):
    plan = VisitPlan(**plan_values(visitor, **overrides))
    return services.plan_create(user=people["kari"], case=case, plan=plan, based_on=based_on)[0]


def change(people, case, ruling, reason="Ny kjennelse fra nemnda 12.03.2026", **terms):
    ruling = VisitationRuling.objects.get(pk=ruling.pk)
    for name, value in terms.items():
        setattr(ruling, name, value)
    return case_services.ruling_save(
        user=people["siri"],
        case=case,
        ruling=ruling,
        reason=reason,
        expected_version=ruling.version,
    )


def test_a_plan_keeps_the_version_it_was_checked_against(people, case_a, mother, kept_ruling):
    plan = make_plan(people, case_a, mother)
    first = kept_ruling.versions.get(number=1)
    assert (plan.ruling_id, plan.ruling_version_id) == (kept_ruling.pk, first.pk)
    change(people, case_a, kept_ruling, visits=2)
    plan.refresh_from_db()
    assert plan.ruling_version_id == first.pk  # still the version it was checked against
    assert plan.ruling_version.visits == 1
    # A new version of the plan is checked against, and keeps, the version now in force.
    newer = make_plan(people, case_a, mother, based_on=1, visits=2)
    assert newer.ruling_version.number == 2
    # The kept version cannot be rewritten under the plan.
    version = plan.ruling_version
    version.visits = 5
    with pytest.raises(ImmutableRecordError):
        version.save()


def test_a_plan_falling_short_of_the_changed_ruling_is_flagged(
    client, people, case_a, mother, kept_ruling
):
    plan = make_plan(people, case_a, mother)  # 1 per 2 months, 2 hours: the minimum
    assert plans_behind_their_ruling([case_a.pk]) == []
    change(people, case_a, kept_ruling, period_length=1)  # now at least 1 per month
    behind = plans_behind_their_ruling([case_a.pk])
    assert [(b.plan.pk, b.checked_number, b.current_number) for b in behind] == [(plan.pk, 1, 2)]
    assert "Too few visits" in " ".join(behind[0].refusals)
    client.force_login(people["ola"])
    response = client.get(reverse("cases:overview", args=[case_a.pk]))
    html = response.content.decode()
    assert html.count("kontrollert mot en eldre versjon av samværsretten") == 1
    assert reverse("visits:plan", args=[case_a.pk, plan.pk]) in html
    # A new plan version that meets the new ruling ends the flag.
    make_plan(people, case_a, mother, based_on=1, visits=1, period_length=1)
    assert plans_behind_their_ruling([case_a.pk]) == []


def test_a_plan_that_still_meets_the_changed_ruling_is_not_flagged(
    people, case_a, mother, kept_ruling
):
    make_plan(people, case_a, mother, visits=1, period_length=1)  # more than the minimum
    change(people, case_a, kept_ruling, period_length=1, reason="Registreringsfeil")
    assert plans_behind_their_ruling([case_a.pk]) == []


def test_a_lowered_ruling_flags_nothing_and_a_plan_below_the_ruling_is_still_refused(
    people, case_a, mother, kept_ruling
):
    make_plan(people, case_a, mother)
    change(people, case_a, kept_ruling, period_length=6, reason="Ny kjennelse")
    assert plans_behind_their_ruling([case_a.pk]) == []
    with pytest.raises(ValidationError):
        make_plan(people, case_a, mother, based_on=1, visits=1, period_length=12)


def test_the_dashboard_counts_a_plan_behind_its_changed_ruling_as_falling_short(
    people, case_a, mother, kept_ruling
):
    plan = make_plan(people, case_a, mother)
    start = at(date(2026, 2, 10))
    VisitSession.objects.create(  # planned in the period: the old minimum is on track
        plan=plan, starts_at=start, ends_at=start + timedelta(hours=2), place_kind="office"
    )
    siri = people["siri"]

    def counts():
        scope = Scope(
            user=siri,
            unit_id=siri.unit_id,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            today=date(2026, 1, 10),
        )
        return minimum_counts(scope)

    assert (counts()["on_track"], counts()["falling_short"]) == (1, 0)
    # Longer visits: the count of visits is still on track, but the plan's 2 hours fall short.
    change(people, case_a, kept_ruling, min_hours=3)
    assert (counts()["on_track"], counts()["falling_short"]) == (0, 1)
