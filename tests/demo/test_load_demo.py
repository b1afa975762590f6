"""The demo loader behind `make run`: `manage.py load_demo [--reset]`."""

from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    ChildCase,
    Person,
    Placement,
    PlacementKind,
    PlacementPlace,
    Relation,
    TribunalDecision,
    VisitationRuling,
)
from sammen.demo.builder import DEMO_PASSWORD, DEMO_UNIT_NAME, DEMO_URL, DEMO_USERNAMES
from sammen.followup.models import ConsentEvent, Contact, FollowUp, Referral
from sammen.org.models import Role, ServiceUnit, User
from sammen.timelog.models import TimeEntry
from sammen.visits.models import VisitExpense, VisitFlat, VisitPlan, VisitReport, VisitSession

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        ServiceUnit,
        User,
        ChildCase,
        Person,
        Placement,
        PlacementPlace,
        TribunalDecision,
        VisitationRuling,
        CarePlan,
        ActionPlan,
        VisitFlat,
        VisitPlan,
        VisitSession,
        VisitReport,
        VisitExpense,
        Referral,
        FollowUp,
        Contact,
        TimeEntry,
    )
    result = {model.__name__: model.objects.count() for model in models}
    result["counsellor links"] = ChildCase.counsellors.through.objects.count()
    for status in ("planned", "held", "cancelled", "no_show"):
        result[f"visits {status}"] = VisitSession.objects.filter(status=status).count()
    return result


def visits_and_time() -> tuple[set, list]:
    """What the demo's visits and time log look like, without database ids."""
    sessions = set(
        VisitSession.objects.values_list(
            "plan__case__reference",
            "plan__visitor__relation",
            "starts_at",
            "status",
            "cancelled_by",
            "counsellor__username",
            "flat__name",
        )
    )
    entries = sorted(
        TimeEntry.objects.values_list(
            "case__reference", "counsellor__username", "worked_on", "activity", "hours", "km"
        )
    )
    return sessions, entries


@pytest.fixture
def demo_output():
    return run()


def test_about_thirty_cases_in_both_sections(demo_output):
    cases = ChildCase.objects.filter(section__unit__name=DEMO_UNIT_NAME)
    assert 25 <= cases.count() <= 40
    assert cases.values("section").distinct().count() == 2
    assert cases.filter(closed_on__isnull=False).exists()
    with_counsellors = cases.filter(counsellors__isnull=False).distinct().count()
    assert cases.count() / 2 <= with_counsellors < cases.count()


def test_every_role_present(demo_output):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(DEMO_PASSWORD)
    for role in (Role.CASEWORKER, Role.SECTION_LEADER):
        assert not User.objects.filter(role=role, section__isnull=True).exists()
    caseworkers_per_section = User.objects.filter(role=Role.CASEWORKER).values("section").distinct()
    assert caseworkers_per_section.count() == 2


def test_all_placement_kinds_present(demo_output):
    kinds = set(Placement.objects.values_list("kind", flat=True))
    assert kinds == set(PlacementKind.values)
    for placement in Placement.objects.select_related("legal_basis"):
        assert placement.legal_basis.key == f"placement.{placement.kind}"


def test_each_case_has_exactly_one_child_younger_than_23(demo_output):
    today = timezone.localdate()
    for case in ChildCase.objects.prefetch_related("persons"):
        children = [p for p in case.persons.all() if p.relation == Relation.CHILD]
        assert len(children) == 1, case.reference
        assert relativedelta(today, children[0].date_of_birth).years < 23
        assert any(p.relation == Relation.MOTHER for p in case.persons.all())


def test_placements_never_overlap_within_a_case(demo_output):
    for case in ChildCase.objects.prefetch_related("placements"):
        placements = sorted(case.placements.all(), key=lambda p: p.start_date)
        for earlier, later in zip(placements, placements[1:], strict=False):
            assert earlier.end_date is not None, case.reference
            assert earlier.end_date < later.start_date, case.reference


def test_some_cases_are_heading_for_the_tribunal(demo_output):
    heading = [case for case in ChildCase.objects.all() if case.is_heading_for_tribunal]
    assert heading
    assert any(case.petition_date for case in heading if case.petition_status == "sent")


def test_care_orders_have_decisions_rulings_and_plans(demo_output):
    care_order_cases = ChildCase.objects.filter(
        placements__kind=PlacementKind.CARE_ORDER
    ).distinct()
    for case in care_order_cases:
        decision = case.decisions.get(kind="care_order")
        assert decision.legal_basis.key == "placement.care_order"
        assert decision.rulings.filter(visitor__relation=Relation.MOTHER).exists()
        assert case.care_plans.filter(kind="preliminary").exists()
    assert CarePlan.objects.filter(kind="final").exists()
    assert TribunalDecision.objects.filter(kind="emergency").exists()
    assert not Person.objects.filter(needs_interpreter=True, interpreter_language="").exists()
    assert Person.objects.filter(needs_interpreter=True).exists()


def test_output_lists_the_logins(demo_output):
    for username in DEMO_USERNAMES:
        assert username in demo_output
    assert DEMO_PASSWORD in demo_output
    assert DEMO_URL in demo_output


def test_running_twice_changes_nothing(demo_output):
    before = counts()
    output = run()
    assert counts() == before
    assert "already exists" in output
    for username in DEMO_USERNAMES:
        assert username in output


def test_reset_reloads_the_same_data_and_keeps_audit_rows(demo_output):
    before = counts()
    people = set(
        Person.objects.values_list(
            "case__reference", "relation", "first_name", "last_name", "date_of_birth"
        )
    )
    visits_before = visits_and_time()
    kari = User.objects.get(username="saksbehandler1")
    # Somebody tried the follow-up workflow in the demo before the reset.
    mother = Person.objects.filter(relation=Relation.MOTHER, followups__isnull=True).first()
    case = mother.case
    AuditEvent.objects.create(user=kari, action=AuditAction.VIEW, case_id=case.pk)
    today = timezone.localdate()
    referral = Referral.objects.create(
        case=case, referred_by=kari, referred_on=today, order="guidance", goals="Prøve demoen."
    )
    followup = FollowUp.objects.create(referral=referral, parent=mother)
    ConsentEvent.objects.create(followup=followup, kind="given", on=today, recorded_by=kari)
    # ... and added a visit to a plan and logged time on it.
    session = VisitSession.objects.filter(status="held").select_related("plan__case").first()
    extra = VisitSession.objects.create(
        plan=session.plan,
        starts_at=session.starts_at - timedelta(days=1),
        ends_at=session.ends_at - timedelta(days=1),
        place_kind="office",
        status="held",
    )
    TimeEntry.objects.create(
        counsellor=session.counsellor,
        case=session.plan.case,
        section_id=session.plan.case.section_id,
        worked_on=today,
        activity="visit",
        hours=2,
        visit_session=extra,
    )

    run("--reset")

    assert counts() == before
    # Same seed, same day: the same children and families again.
    assert (
        set(
            Person.objects.values_list(
                "case__reference", "relation", "first_name", "last_name", "date_of_birth"
            )
        )
        == people
    )
    assert AuditEvent.objects.filter(user=kari, case_id=case.pk).exists()
    assert User.objects.get(username="saksbehandler1").pk == kari.pk
    assert not Referral.objects.filter(goals="Prøve demoen.").exists()
    assert visits_and_time() == visits_before
    assert VisitFlat.objects.count() == before["VisitFlat"]


def test_one_family_is_in_aftercare_after_a_lifted_care_order(demo_output, client):
    """The demo shows aftercare (bvl. § 8-7): a follow-up closed as reunified, linked to the
    lifting decision, with contacts since, and its page with the aftercare box."""
    from sammen.followup import rules

    today = timezone.localdate()
    followup = FollowUp.objects.select_related("referral__case", "referral__counsellor").get(
        lifting_decision__isnull=False
    )
    lifting = followup.lifting_decision
    assert lifting.kind == "lifting" and lifting.case_id == followup.referral.case_id
    assert followup.aftercare_until == rules.after_lifting_until(lifting.decided_on)
    assert rules.aftercare_lasts(followup, today)
    assert followup.contacts.filter(held_on__gt=followup.closed_on).count() == 2
    case = followup.referral.case
    assert not case.placements.filter(end_date__isnull=True).exists()
    client.force_login(followup.referral.counsellor)
    page = client.get(f"/saker/{case.pk}/oppfolging/{followup.pk}/")
    assert page.status_code == 200
    assert "Oppfølging etter opphevelse av omsorgsovertakelsen" in page.content.decode()


def test_the_demo_is_refused_where_debug_is_off(settings):
    from django.core.management.base import CommandError

    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="published password"):
        run()
    assert not ServiceUnit.objects.filter(name=DEMO_UNIT_NAME).exists()
