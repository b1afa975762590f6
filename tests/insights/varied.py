"""A varied world for the drill-downs, like the demo's: in each section of the unit (and in a
unit nobody of the dashboard leads) cases with placements or a petition, parents never offered,
offered, accepted, declined and offered again, follow-ups in every carried state with and
without a frame, visitation plans meeting, on track for and falling short of their ruling,
one without a ruling and one behind its ruling's new version, visits of every status, time on
every activity, and overdue reminders. Today is 30 June 2025."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from sammen.cases import services as case_services
from sammen.cases.models import Relation, TribunalDecision, VisitationRuling
from sammen.followup.models import ConsentEvent, Information
from sammen.org.models import Role
from sammen.timelog.models import Activity
from sammen.visits import services as visit_services
from sammen.visits.models import VisitPlan, VisitSession

from .. import factories as f
from . import data

STATES = ("active", "paused", "declined", "assigned", "consented", "closed")
FRAMES = (2, 1, None, 4, 3)


def _session(plan, day, status, hour=16):
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))
    return VisitSession.objects.create(
        plan=plan,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=status,
        cancelled_by="parent" if status in ("cancelled", "no_show") else "",
        place_kind="office",
    )


def _plan(case, visitor, ruling, made_by, counsellor, **terms):
    values = {
        "starts_on": date(2025, 2, 1),
        "evaluate_on": date(2025, 12, 1),
        "visits": 2,
        "period_length": 1,
        "period_unit": "month",
        "hours": 2,
        "place_kind": "office",
        "supervision": "supervised",
        **terms,
    }
    return VisitPlan.objects.create(
        case=case, visitor=visitor, ruling=ruling, counsellor=counsellor, made_by=made_by, **values
    )


def case_with_everything(i, *, section, caseworker, counsellor, place, tag):
    """The i-th case of a section: what it has varies with i."""
    case = f.make_case(
        section=section,
        caseworker=caseworker,
        counsellors=[counsellor],
        child_first=f"Barn{tag}{i}",
    )
    if i % 5 == 3:
        f.set_columns(type(case).objects.filter(pk=case.pk), petition_status="preparing")
    elif i % 5 == 4:
        f.make_placement(
            case, place, kind="voluntary", start=date(2024, 10, 1), end=date(2025, 3, 1)
        )
    else:
        f.make_placement(case, place, kind="care_order" if i % 2 else "emergency")
    mother = f.make_parent(case, Relation.MOTHER, f"Mor{tag}{i}", "Testmor")
    father = f.make_parent(case, Relation.FATHER, f"Far{tag}{i}", "Testfar")
    if i % 3 == 0:
        f.make_parent(case, Relation.ADOPTIVE_PARENT, f"Adoptiv{tag}{i}", "Testesen")
    by = caseworker
    state = STATES[i % len(STATES)]
    fields = {"contacts_per_month": FRAMES[i % len(FRAMES)]}
    if state in ("active", "paused", "closed"):
        fields["started_on"] = date(2025, 1 + i % 4, 1 + i % 28)
        fields["report_period_months"] = 3  # no report yet: overdue from three months on
    if state == "closed":
        fields.update(closed_on=date(2025, 5, 20), closure_reason="not_needed")
    if state == "declined":
        fields["reoffer_on"] = date(2025, 6, 1) if i % 2 else date(2025, 9, 1)
    followup = data.followup(data.referral(case, counsellor, by), mother, state=state, **fields)
    if state in ("active", "paused", "consented", "closed"):
        ConsentEvent.objects.create(
            followup=followup, kind="given", on=date(2024, 12, 20), recorded_by=counsellor
        )
    if state == "declined":
        ConsentEvent.objects.create(
            followup=followup, kind="declined", on=date(2025, 3, 5), recorded_by=counsellor
        )
        if i % 4 == 2:
            Information.objects.create(
                followup=followup,
                informed_on=date(2025, 5, 1),
                channel="meeting",
                language="norsk",
                recorded_by=counsellor,
            )
    if state in ("active", "paused", "closed"):
        # None (below any frame), weekly (above), every 12 days (within a frame of 2).
        every = {1: 7, 5: 12}.get(i % 8, 40)
        last = fields.get("closed_on") or date(2025, 6, 29)
        day, held = fields["started_on"], []
        while i % 8 and day <= last:
            held.append(day)
            day += timedelta(days=every)
        data.contacts(followup, held, counsellor)
    if i % 4 == 1:  # the father too, by another referral: offered, no answer yet
        data.followup(data.referral(case, counsellor, by), father, state="assigned")
    if i % 4 == 3:  # the father declined; the date to offer again has passed
        declined = data.followup(
            data.referral(case, counsellor, by),
            father,
            state="declined",
            reoffer_on=date(2025, 6, 1),
        )
        ConsentEvent.objects.create(
            followup=declined, kind="declined", on=date(2025, 2, 5), recorded_by=counsellor
        )
    # Visits: a ruled plan (2 a month) that meets, is on track for or falls short of it in
    # June; every fifth plan has no ruling.
    decision = TribunalDecision.objects.create(
        case=case, decided_on=date(2025, 1, 10), kind="care_order"
    )
    ruling = None
    if i % 5 != 2:
        ruling = VisitationRuling.objects.create(
            decision=decision,
            visitor=mother,
            visits=2,
            period_length=1,
            period_unit="month",
            min_hours=Decimal("2"),
            supervision="supervised",
        )
    plan = _plan(case, mother, ruling, by, counsellor)
    june = {0: ("held", "held"), 1: ("held", "planned"), 2: ("cancelled",)}[i % 3]
    for n, status in enumerate(june):
        _session(
            plan, date(2025, 6, 2 + 7 * n) if status != "planned" else date(2025, 6, 30), status
        )
    _session(plan, date(2025, 4, 8), "no_show" if i % 2 else "held")
    _session(plan, date(2024, 12, 8), "held")  # before the period
    for k, (activity, _label) in enumerate(Activity.choices):
        if (i + k) % 3 == 0:
            data.entry(counsellor, case, date(2025, 1 + (i + k) % 6, 5), activity, "1.5", k)
    data.entry(counsellor, case, date(2024, 11, 5), "visit", "7")  # before the period
    return case


def plan_behind_its_ruling(people, case, place):
    """A plan made under version 1 of its ruling (1 visit every 2 months), which version 2
    (1 a month) refuses: it falls short however many visits it had."""
    visitor = f.make_parent(case, Relation.FATHER, "Bakom", "Testfar")
    decision = TribunalDecision.objects.create(
        case=case, decided_on=date(2025, 1, 20), kind="care_order"
    )
    ruling = case_services.ruling_save(
        user=people["kari"],
        case=case,
        ruling=VisitationRuling(
            decision=decision,
            visitor=visitor,
            visits=1,
            period_length=2,
            period_unit="month",
            min_hours=2,
            supervision="supervised",
        ),
        expected_version=None,
    )
    plan = VisitPlan(
        visitor=visitor,
        starts_on=date(2025, 2, 1),
        evaluate_on=date(2025, 12, 1),
        visits=1,
        period_length=2,
        period_unit="month",
        hours=Decimal("2"),
        place_kind="office",
        supervision="supervised",
        purposes=["bonds"],
    )
    plan = visit_services.plan_create(user=people["kari"], case=case, plan=plan, based_on=0)[0]
    _session(plan, date(2025, 6, 3), "held")
    ruling = VisitationRuling.objects.get(pk=ruling.pk)
    ruling.period_length = 1
    case_services.ruling_save(
        user=people["siri"],
        case=case,
        ruling=ruling,
        reason="Ny kjennelse fra nemnda",
        expected_version=ruling.version,
    )
    return plan


def build(people, section_a, section_b, place, *, n=8):
    """`n` varied cases in each section of the unit, a plan behind its ruling in section A,
    and the same in another unit. Returns the cases by where they are."""
    cases = {"a": [], "b": [], "elsewhere": []}
    for i in range(n):
        cases["a"].append(
            case_with_everything(
                i,
                section=section_a,
                caseworker=people["kari"],
                counsellor=people["ola"],
                place=place,
                tag="A",
            )
        )
        cases["b"].append(
            case_with_everything(
                i,
                section=section_b,
                caseworker=people["cato"],
                counsellor=people["per"],
                place=place,
                tag="B",
            )
        )
    plan_behind_its_ruling(people, cases["a"][0], place)
    other = f.make_unit("Bydel Sørvik")
    other_section = f.make_section(other, "Seksjon sør")
    worker = f.make_user("else", Role.CASEWORKER, unit=other, section=other_section)
    helper = f.make_user("elsa", Role.COUNSELLOR, unit=other)
    other_place = f.make_place(other, "Fosterhjem Sør")
    for i in range(3):
        cases["elsewhere"].append(
            case_with_everything(
                i,
                section=other_section,
                caseworker=worker,
                counsellor=helper,
                place=other_place,
                tag="X",
            )
        )
    return cases
