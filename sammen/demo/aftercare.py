"""A family in aftercare (bvl. § 8-7) for the demo: the tribunal lifted the care order a few
weeks ago, the child has moved home, and the counsellor goes on following the parent.

Built from the demo's own cases, after everything else, through the services (so the decision
gets its version, the closure its checks and the audit log its rows); it draws no random
numbers, so the rest of the demo stays as it was.
"""

from datetime import date, timedelta

from sammen.cases import services as case_services
from sammen.cases.models import ChildCase, TribunalDecision
from sammen.cases.models.decisions import DecisionKind
from sammen.followup import services
from sammen.followup.choices import ClosureReason, Method, Place, State, WithWhom
from sammen.followup.models import Contact, FollowUp
from sammen.org.models import ServiceUnit

LIFTED_DAYS_AGO = 40
HOME_DAYS_AGO = 33
CLOSED_DAYS_AGO = 30
LIFTING_SUMMARY = (
    "Nemnda opphever vedtaket om omsorgsovertakelse. Barnet flytter hjem etter en planlagt "
    "overgang, og tjenesten følger familien opp i inntil seks måneder."
)
AFTERCARE_CONTACTS = (
    (
        24,
        "Første samtale etter at barnet flyttet hjem. Forelderen forteller om travle morgener og "
        "om skolestarten.",
        "Ny samtale om to uker; forelderen tar med spørsmål om SFO.",
    ),
    (
        10,
        "Forelderen og barnet har funnet en rytme. Vi snakket om kontakten med fosterfamilien.",
        "Veilederen ringer fosterfamilien om et besøk i høstferien.",
    ),
)


def load_aftercare(today: date, *, unit: ServiceUnit) -> dict[str, int]:
    """Close one active follow-up of a care-order case into aftercare."""
    followup = _candidate(unit, today)
    if followup is None:
        return {"aftercare": 0}
    case = followup.referral.case
    lifted_on = today - timedelta(days=LIFTED_DAYS_AGO)
    case_services.decision_save(
        user=case.caseworker,
        case=case,
        decision=TribunalDecision(
            case=case, decided_on=lifted_on, kind=DecisionKind.LIFTING, summary=LIFTING_SUMMARY
        ),
        expected_version=None,
    )
    for placement in case.placements.filter(end_date__isnull=True):
        placement.end_date = today - timedelta(days=HOME_DAYS_AGO)
        placement.save()
    counsellor = followup.referral.counsellor
    closed_on = today - timedelta(days=CLOSED_DAYS_AGO)
    # The sessions the demo had planned after the closing date did not take place.
    for planned in followup.contacts.filter(held_on__gt=closed_on):
        planned.delete_versioned(expected_version=planned.version)
    services.followup_close(
        user=counsellor,
        followup=followup,
        closed_on=closed_on,
        reason=ClosureReason.REUNIFIED,
        note="Barnet har flyttet hjem etter at nemnda opphevet omsorgsovertakelsen.",
        expected_version=followup.version,
    )
    for days_ago, notes, next_steps in AFTERCARE_CONTACTS:
        services.activity_add(
            user=counsellor,
            followup=followup,
            instance=Contact(
                held_on=today - timedelta(days=days_ago),
                with_whom=WithWhom.PARENT,
                place=Place.HOME,
                method=Method.CONVERSATION,
                minutes=60,
                notes=notes,
                next_steps=next_steps,
            ),
        )
    return {"aftercare": 1}


def _candidate(unit: ServiceUnit, today: date) -> FollowUp | None:
    """The first active follow-up (by id) of an open care-order case that started before the
    lifting date the demo gives it. The case's visit plans stay: the child goes on seeing the
    parent it does not live with."""
    cases = ChildCase.objects.filter(
        section__unit=unit,
        closed_on__isnull=True,
        decisions__kind=DecisionKind.CARE_ORDER,
    )
    return (
        FollowUp.objects.filter(
            referral__case__in=cases,
            state=State.ACTIVE,
            referral__counsellor__isnull=False,
            started_on__lt=today - timedelta(days=LIFTED_DAYS_AGO),
        )
        .select_related("referral__case__caseworker", "referral__counsellor")
        .order_by("pk")
        .first()
    )
