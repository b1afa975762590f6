# ruff: noqa: F811 — pytest fixtures imported from test_aftercare
"""Aftercare follows the tribunal's decisions: a corrected lifting decision moves or ends it, and
a closure after the six months have run out gives none."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases import services as case_services
from sammen.followup import rules, selectors, services
from sammen.followup.models import Contact, FollowUp
from tests.factories import set_columns
from tests.followup.test_aftercare import (  # noqa: F401 — fixtures
    LIFTED_ON,
    TODAY,
    _activate,
    _close,
    aftercare,
    followup,
    lifted,
    mother,
    nb,
)

pytestmark = pytest.mark.django_db


def _change(people, case, decision, **values):
    decision.refresh_from_db()
    for name, value in values.items():
        setattr(decision, name, value)
    case_services.decision_save(
        user=people["kari"],
        case=case,
        decision=decision,
        reason="registreringsfeil",
        expected_version=decision.version,
    )


def test_a_lifting_decision_changed_to_another_kind_ends_the_aftercare(
    people, case_a, aftercare, lifted
):
    assert aftercare.lifting_decision_id == lifted.pk
    _change(people, case_a, lifted, kind="other")
    aftercare.refresh_from_db()
    assert aftercare.lifting_decision_id is None and aftercare.aftercare_until is None
    assert not rules.aftercare_lasts(aftercare, TODAY)
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        object_id=str(aftercare.pk),
        reason__startswith="aftercare follows",
    ).exists()


def test_an_earlier_lifting_date_shortens_the_aftercare_to_six_months_from_it(
    people, case_a, aftercare, lifted
):
    earlier = TODAY - timedelta(days=100)
    _change(people, case_a, lifted, decided_on=earlier)
    aftercare.refresh_from_db()
    assert aftercare.lifting_decision_id == lifted.pk
    assert aftercare.aftercare_until == rules.after_lifting_until(earlier)


def test_a_lifting_date_moved_so_far_back_that_six_months_ended_before_the_closure_ends_it(
    people, case_a, aftercare, lifted
):
    _change(people, case_a, lifted, decided_on=TODAY - timedelta(days=250))
    aftercare.refresh_from_db()
    assert aftercare.lifting_decision_id is None and aftercare.aftercare_until is None


def test_an_unrelated_change_leaves_the_aftercare_alone(people, case_a, aftercare, lifted):
    before = (aftercare.lifting_decision_id, aftercare.aftercare_until, aftercare.version)
    _change(people, case_a, lifted, summary="Opphevet etter ny vurdering.")
    aftercare.refresh_from_db()
    assert (aftercare.lifting_decision_id, aftercare.aftercare_until, aftercare.version) == before


def test_closing_after_the_six_months_have_run_out_gives_no_aftercare(
    people, case_a, followup, lifted
):
    _activate(people, followup)
    lifted.refresh_from_db()
    _change(people, case_a, lifted, decided_on=TODAY - timedelta(days=250))
    _close(people, followup, on=TODAY)
    closed = FollowUp.objects.get(pk=followup.pk)
    assert closed.lifting_decision_id is None and closed.aftercare_until is None


def test_an_aftercare_date_after_the_six_months_have_run_out_is_refused_in_words(
    people, case_a, followup, lifted
):
    _activate(people, followup)
    lifted_on = TODAY - timedelta(days=250)
    _change(people, case_a, lifted, decided_on=lifted_on)
    with pytest.raises(ValidationError) as refused:
        _close(people, followup, on=TODAY, until=TODAY)
    ended = rules.after_lifting_until(lifted_on)
    assert nb(refused.value) == (
        f"Oppfølging etter opphevelse etter vedtaket av {lifted_on:%d.%m.%Y} om å oppheve "
        f"omsorgsovertakelsen sluttet {ended:%d.%m.%Y}, før avslutningsdatoen: la datoen for "
        "oppfølging etter opphevelse stå tom."
    )
    assert LIFTED_ON  # the fixture's own lifting date is replaced above


def test_min_uke_shows_the_aftercare_contacts_and_its_end_but_not_as_a_new_family(
    people, aftercare
):
    services.activity_add(
        user=people["ola"],
        followup=aftercare,
        instance=Contact(
            held_on=TODAY, with_whom="parent", place="home", method="conversation", minutes=45
        ),
    )
    set_columns(FollowUp.objects.filter(pk=aftercare.pk), aftercare_until=TODAY + timedelta(10))
    week = selectors.my_week(people["ola"], today=TODAY)
    assert [c.followup.pk for c in week["upcoming"]] == [aftercare.pk]
    assert [r.kind for r in week["ahead"]] == ["aftercare"]
    assert aftercare.pk not in [f.pk for f in week["new_families"]]
    set_columns(FollowUp.objects.filter(pk=aftercare.pk), aftercare_until=TODAY - timedelta(1))
    week = selectors.my_week(people["ola"], today=TODAY)
    assert week["upcoming"] == [] and week["ahead"] == []
