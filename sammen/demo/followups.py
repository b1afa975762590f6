"""Follow-up of parents in the demo: referrals, consent, start meetings, contacts and reports.

Every step goes through `sammen.followup.services`, so the state machine and its checks are the
app's own: the caseworker refers, the section leader approves, the programme lead assigns a
counsellor of the case's team, the counsellor informs, gets an answer, holds the start meetings
and records contacts. Parents end up in different places on the way, so the leaders' figures
(load, duration, intensity, equal offer) and the reminders have something to show.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from sammen.cases.models import ChildCase, PetitionStatus, Relation
from sammen.cases.review import ParentAgreement, may_approve
from sammen.followup import services
from sammen.followup.choices import (
    Channel,
    ConsentKind,
    FirstConversationPoint,
    InformationTopic,
    MeetingKind,
    Method,
    Order,
    Place,
    WithWhom,
)
from sammen.followup.models import (
    ConsentEvent,
    Contact,
    FollowUp,
    FollowUpReport,
    Information,
    Referral,
    StartMeeting,
)
from sammen.org.models import Role, ServiceUnit, User

GOALS = (
    "Mor og far skal få støtte til å bearbeide omsorgsovertakelsen og hjelp til gode samvær.",
    "Foreldrene skal få veiledning i å forstå barnets behov og reaksjoner.",
    "Mor skal få hjelp til kontakt med NAV og helsetjenester, og støtte før og etter samvær.",
)
SHOULD_KNOW = (
    "Foreldrene er uenige i vedtaket, men ønsker kontakt med barneverntjenesten.",
    "Mor har tidligere takket nei til hjelp; far er positiv.",
    "",
)
CONTACT_NOTES = (
    "Snakket om hvordan barnet har det i fosterhjemmet, og om siste samvær.",
    "Forelderen fortalte om en tung uke. Vi snakket om hva som hjelper.",
    "Gikk gjennom brev fra NAV sammen og avtalte hvem som følger opp.",
    "Øvde på hvordan avskjeden på samvær kan gjøres enklere for barnet.",
)
NEXT_STEPS = (
    "Ny samtale om to uker.",
    "Veilederen ringer før neste samvær.",
    "Forelderen tar kontakt med fastlegen; vi følger opp neste gang.",
)
REPORT_SUMMARY = (
    "Forelderen har møtt til de fleste avtalte samtalene. Samtalene har handlet om barnet, "
    "samværene og forelderens egen situasjon."
)
REPORT_ASSESSMENT = (
    "Veilederen vurderer at oppfølgingen er til hjelp, og anbefaler å fortsette med samme ramme."
)


def load_followups(rng: random.Random, today: date, *, unit: ServiceUnit) -> dict[str, int]:
    """Follow-ups for parents of open cases with a placement or heading for the tribunal."""
    staff = User.objects.filter(unit=unit)
    leaders = {u.section_id: u for u in staff.filter(role=Role.SECTION_LEADER)}
    programme_lead = staff.filter(role=Role.PROGRAMME_LEAD).order_by("username").first()
    builder = _FollowUps(rng, today, leaders, programme_lead)
    cases = (
        ChildCase.objects.filter(section__unit=unit, closed_on__isnull=True)
        .select_related("caseworker", "section__unit")
        .prefetch_related("persons", "placements", "counsellors")
        .order_by("pk")
    )
    eligible = [
        case
        for case in cases
        if case.petition_status != PetitionStatus.NONE
        or any(p.is_active_on(today) for p in case.placements.all())
    ]
    # Every stage shows up at least once; most families are assigned a counsellor.
    stages = ["none", "none", "referred", "referred"]
    stages += ["assigned"] * max(0, len(eligible) - len(stages))
    rng.shuffle(stages)
    outcomes = ["declined"] * 4 + ["offered"] * 3
    outcomes += ["active"] * max(0, 2 * len(eligible) - len(outcomes))
    rng.shuffle(outcomes)
    builder.outcomes = outcomes
    for case, stage in zip(eligible, stages, strict=False):
        builder.case(case, stage)
    followups = FollowUp.objects.filter(referral__case__section__unit=unit)
    return {
        "referrals": Referral.objects.filter(case__section__unit=unit).count(),
        "followups": followups.count(),
        "followups_active": followups.filter(state="active").count(),
        "contacts": Contact.objects.filter(followup__in=followups).count(),
        "followup_reports": FollowUpReport.objects.filter(followup__in=followups).count(),
    }


class _FollowUps:
    def __init__(self, rng, today, leaders, programme_lead) -> None:
        self.rng = rng
        self.today = today
        self.leaders = leaders
        self.programme_lead = programme_lead
        self.outcomes: list[str] = []  # what each assigned parent answers, taken from the end

    def case(self, case: ChildCase, stage: str) -> None:
        """Refer the parents of the case and take them as far as `stage` and their outcome."""
        rng, today = self.rng, self.today
        parents = [
            p
            for p in sorted(case.persons.all(), key=lambda p: (p.relation, p.pk))
            if p.relation in (Relation.MOTHER, Relation.FATHER)
        ]
        team = sorted(case.counsellors.all(), key=lambda u: u.username)
        if stage == "none" or not parents:
            return
        if rng.random() < 0.25:
            parents = parents[:1]
        referred_on = max(today - timedelta(days=rng.randint(30, 170)), case.opened_on)
        leader = self.leaders.get(case.section_id)
        referral = services.referral_create(
            user=case.caseworker,
            case=case,
            parents=parents,
            referral=Referral(
                referred_on=referred_on,
                order=rng.choice((Order.GUIDANCE, Order.AROUND_VISITS, Order.MIX)),
                goals=rng.choice(GOALS),
                counsellor_should_know=rng.choice(SHOULD_KNOW),
            ),
        )
        if stage == "referred" or leader is None or (today - referred_on).days < 10:
            return  # waiting for the section leader
        services.referral_decide(
            user=leader,
            referral=referral,
            approve=True,
            comment="",
            expected_version=referral.version,
        )
        if not team or self.programme_lead is None:
            return  # approved, waiting for a counsellor
        counsellor = rng.choice(team)
        services.referral_assign(
            user=self.programme_lead,
            referral=referral,
            counsellor=counsellor,
            expected_version=referral.version,
        )
        informed = referred_on + timedelta(days=rng.randint(5, 14))
        # The service stamps the assignment as it runs; in the demo it came two days before the
        # parents were informed («Min uke» lists the families assigned lately as new).
        assigned_on = min(informed - timedelta(days=2), today)
        referral.assigned_at = timezone.make_aware(datetime.combine(assigned_on, time(10)))
        referral.save()
        for followup in referral.followups.select_related("parent").order_by("pk"):
            outcome = self.outcomes.pop() if self.outcomes else "active"
            if informed >= today:
                continue
            self.inform(counsellor, followup, informed)
            if outcome == "offered":
                continue
            answered = min(informed + timedelta(days=rng.randint(0, 7)), today)
            if outcome == "declined":
                self.decline(counsellor, followup, answered)
            else:
                self.start(counsellor, followup, answered, leader, case)

    def inform(self, counsellor, followup: FollowUp, on: date) -> None:
        parent = followup.parent
        services.activity_add(
            user=counsellor,
            followup=followup,
            event="inform",
            instance=Information(
                informed_on=on,
                channel=self.rng.choice((Channel.MEETING, Channel.HOME, Channel.PHONE)),
                language=parent.interpreter_language or parent.language or "norsk",
                interpreter_used=parent.needs_interpreter,
                topics=[
                    InformationTopic.PLACEMENT.value,
                    InformationTopic.RIGHTS.value,
                    InformationTopic.CHILD.value,
                    InformationTopic.HELP.value,
                ],
                points=[
                    FirstConversationPoint.INTRODUCE.value,
                    FirstConversationPoint.CHILD_NEWS.value,
                    FirstConversationPoint.VISITS.value,
                    FirstConversationPoint.REGULAR.value,
                ],
            ),
        )

    def decline(self, counsellor, followup: FollowUp, on: date) -> None:
        """The parent says no for now; some are offered again once the date has come."""
        reoffer_on = on + timedelta(days=self.rng.choice((30, 60, 90)))
        services.consent_record(
            user=counsellor,
            followup=followup,
            event=ConsentEvent(
                kind=ConsentKind.DECLINED,
                on=on,
                reoffer_on=reoffer_on,
                note="Ønsker ikke oppfølging nå.",
            ),
        )
        if reoffer_on < self.today and self.rng.random() < 0.6:
            self.inform(counsellor, followup, reoffer_on)

    def start(self, counsellor, followup: FollowUp, on: date, leader, case) -> None:
        """Consent, the two start meetings, contacts since, a report and a contact coming up."""
        rng, today = self.rng, self.today
        services.consent_record(
            user=counsellor, followup=followup, event=ConsentEvent(kind=ConsentKind.GIVEN, on=on)
        )
        internal = min(on + timedelta(days=rng.randint(1, 5)), today)
        participants = "Saksbehandler og familieveileder"
        services.meeting_record(
            user=counsellor,
            followup=followup,
            meeting=StartMeeting(
                kind=MeetingKind.INTERNAL, held_on=internal, participants=participants
            ),
            frame={},
        )
        joint = internal + timedelta(days=rng.randint(3, 10))
        if joint >= today:
            return  # consent given; the joint start meeting is still to come
        period = rng.choice((2, 3))
        per_month = rng.choice((2, 2, 3, 4))
        services.meeting_record(
            user=counsellor,
            followup=followup,
            meeting=StartMeeting(
                kind=MeetingKind.JOINT,
                held_on=joint,
                participants=f"{participants} og {followup.parent.first_name}",
                agreed_order="Veiledning hver 14. dag og samtale før og etter samvær.",
                counsellor_tasks="Veiledningssamtaler og støtte rundt samvær.",
                caseworker_tasks="Informasjon om barnet og vedtak.",
            ),
            frame={
                "report_period_months": period,
                "contacts_per_month": per_month,
                "frame_review_on": joint + relativedelta(months=rng.choice((3, 4, 6))),
            },
        )
        self.contacts(counsellor, followup, joint, per_month)
        report_end = joint + relativedelta(months=period)
        if report_end < today - timedelta(days=7):
            self.report(counsellor, followup, joint, report_end, leader, case)

    def contacts(self, counsellor, followup: FollowUp, start: date, per_month: int) -> None:
        """Contacts about as often as agreed (some parents less), and one coming up."""
        rng, today = self.rng, self.today
        gap = 30 / (per_month * rng.choice((0.6, 1.1, 1.2, 1.2, 1.3)))
        day = start + timedelta(days=rng.randint(3, 8))
        planned_ahead = False
        while not planned_ahead:
            day += timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)
            planned_ahead = day >= today
            if planned_ahead or rng.random() < 0.95:
                home = rng.random() < 0.3
                services.activity_add(
                    user=counsellor,
                    followup=followup,
                    instance=Contact(
                        held_on=day,
                        with_whom=rng.choices(
                            (WithWhom.PARENT, WithWhom.FOSTER_PARENTS, WithWhom.BOTH_PARENTS),
                            weights=(8, 1, 1),
                        )[0],
                        place=Place.HOME
                        if home
                        else rng.choice((Place.OFFICE, Place.NEUTRAL, Place.PHONE)),
                        method=rng.choice(
                            (Method.CONVERSATION, Method.CONVERSATION, Method.COSP, Method.ICDP)
                        ),
                        minutes=rng.choice((45, 60, 60, 75, 90)),
                        notes="" if planned_ahead else rng.choice(CONTACT_NOTES),
                        next_steps="" if planned_ahead else rng.choice(NEXT_STEPS),
                    ),
                )
            day += timedelta(days=max(3, round(gap + rng.uniform(-3, 3))))

    def report(self, counsellor, followup, start, end, leader, case) -> None:
        report = services.report_write(
            user=counsellor,
            followup=followup,
            report=FollowUpReport(
                period_start=start,
                period_end=end,
                summary=REPORT_SUMMARY,
                assessment=REPORT_ASSESSMENT,
            ),
        )
        if self.rng.random() < 0.3:
            return  # still to be gone through with the parent
        services.report_review(
            user=counsellor,
            report=report,
            reviewed_on=min(end + timedelta(days=self.rng.randint(2, 10)), self.today),
            comments="",
            agreement=self.rng.choice((ParentAgreement.AGREES, ParentAgreement.PARTLY)),
            expected_version=report.version,
        )
        approver = leader if leader and may_approve(leader, case) else case.caseworker
        if self.rng.random() < 0.7 and may_approve(approver, case):
            services.report_approve(user=approver, report=report, expected_version=report.version)
