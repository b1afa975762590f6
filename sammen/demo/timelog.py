"""The counsellors' time log in the demo: visits, guidance, planning and travel with kilometres.

Entries cover the last `WEEKS` weeks before `today`. A held visit gives a "visit" entry linked
to the visit, with its length, as the quick entry from a visit does; a follow-up contact gives a
guidance entry linked to the contact. Cases without contacts get guidance entries of their own,
and every case of a counsellor's team gets some planning and coordination. Visits and home
visits away from the office add travel with kilometres. Entries are written in bulk: they are
plain rows, and the app's only check on them (the linked visit or contact belongs to the case)
holds by construction.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from sammen.cases.models import ChildCase, Relation
from sammen.followup.choices import Place
from sammen.followup.models import Contact
from sammen.org.models import ServiceUnit
from sammen.timelog import rules
from sammen.timelog.models import Activity, TimeEntry
from sammen.visits.choices import SessionStatus, VisitPlace
from sammen.visits.models import VisitSession

WEEKS = 20

PLANNING_NOTES = (
    "Samarbeidsmøte med saksbehandler",
    "Planlegging av samvær",
    "Forberedelse til ansvarsgruppemøte",
    "Telefon med skolen",
)
GUIDANCE_NOTES = ("Veiledningssamtale", "Oppfølgingssamtale", "Samtale før samvær")
FOSTER_NOTES = ("Samtale med fosterforeldrene", "Veiledning av fostermor på telefon")
OTHER_NOTES = ("Journalføring", "Skriving av rapport")
VISIT_TRAVEL_NOTE = "Kjøring i forbindelse med samvær"
HOME_TRAVEL_NOTE = "Kjøring til hjemmebesøk"


def hours(low: float, high: float, rng: random.Random) -> Decimal:
    """A random number of hours between low and high, in quarters of an hour."""
    quarters = rng.randint(int(low * 4), int(high * 4))
    return Decimal(quarters) / 4


def load_time(rng: random.Random, today: date, *, unit: ServiceUnit) -> dict[str, int]:
    """Time entries of the unit's counsellors over the last `WEEKS` weeks; returns counts."""
    log = _Log(rng, today)
    log.visits(unit)
    with_contacts = log.contacts(unit)
    cases = (
        ChildCase.objects.filter(section__unit=unit, counsellors__isnull=False)
        .distinct()
        .prefetch_related("counsellors", "persons", "placements")
        .order_by("pk")
    )
    for case in cases:
        for counsellor in sorted(case.counsellors.all(), key=lambda u: u.username):
            log.weeks(case, counsellor.pk, own_guidance=case.pk not in with_contacts)
    TimeEntry.objects.bulk_create(log.entries)
    return {
        "time_entries": len(log.entries),
        "time_hours": int(sum(e.hours for e in log.entries)),
        "time_km": int(sum(e.km for e in log.entries)),
    }


class _Log:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.start = today - timedelta(weeks=WEEKS)
        self.entries: list[TimeEntry] = []

    def add(self, counsellor_id, case, day, activity, h, *, km=0, note="", **links) -> None:
        self.entries.append(
            TimeEntry(
                counsellor_id=counsellor_id,
                case_id=case.pk,
                section_id=case.section_id,
                worked_on=day,
                activity=activity,
                hours=h,
                km=Decimal(km),
                note=note,
                **links,
            )
        )

    def travel(self, counsellor_id, case, day, note) -> None:
        rng = self.rng
        h = hours(0.5, 1.25, rng)
        self.add(counsellor_id, case, day, Activity.TRAVEL, h, km=rng.randint(8, 60), note=note)

    def visits(self, unit) -> None:
        """A "visit" entry from each held visit, and travel for most visits away from the flat."""
        sessions = (
            VisitSession.objects.filter(
                plan__case__section__unit=unit,
                status=SessionStatus.HELD,
                counsellor__isnull=False,
                starts_at__date__gte=self.start,
                starts_at__date__lt=self.today,
            )
            .select_related("plan__case")
            .order_by("starts_at", "pk")
        )
        for session in sessions:
            case, day = session.plan.case, timezone.localdate(session.starts_at)
            length = rules.hours_between(session.starts_at, session.ends_at)
            self.add(
                session.counsellor_id, case, day, Activity.VISIT, length, visit_session=session
            )
            away = session.place_kind not in (VisitPlace.FLAT, VisitPlace.OFFICE)
            if away or self.rng.random() < 0.3:
                self.travel(session.counsellor_id, case, day, VISIT_TRAVEL_NOTE)

    def contacts(self, unit) -> set[int]:
        """A guidance entry from each follow-up contact; returns the ids of their cases."""
        contacts = (
            Contact.objects.filter(
                followup__referral__case__section__unit=unit,
                followup__referral__counsellor__isnull=False,
                held_on__gte=self.start,
                held_on__lt=self.today,
            )
            .select_related("followup__parent", "followup__referral__case")
            .order_by("held_on", "pk")
        )
        cases = set()
        for contact in contacts:
            referral = contact.followup.referral
            cases.add(referral.case_id)
            activity = rules.activity_for_contact(
                with_whom=contact.with_whom, parent_relation=contact.followup.parent.relation
            )
            minutes = rules.hours_from_minutes(contact.minutes)
            day = contact.held_on
            self.add(referral.counsellor_id, referral.case, day, activity, minutes, contact=contact)
            if contact.place == Place.HOME:
                self.travel(referral.counsellor_id, referral.case, day, HOME_TRAVEL_NOTE)
        return cases

    def weeks(self, case, counsellor_id, *, own_guidance: bool) -> None:
        """Week by week: planning, guidance (if no contacts are logged), the foster home, other."""
        rng = self.rng
        relations = {p.relation for p in case.persons.all()}
        placed = bool(case.placements.all())
        first = max(self.start, case.opened_on)
        last = min(self.today - timedelta(days=1), case.closed_on or self.today)
        week = self.start - timedelta(days=self.start.weekday())
        while week <= last:

            def day(week=week) -> date | None:
                worked_on = week + timedelta(days=rng.randint(0, 4))
                return worked_on if first <= worked_on <= last else None

            if rng.random() < 0.5 and (on := day()):
                h = hours(0.5, 1.5, rng)
                self.add(
                    counsellor_id, case, on, Activity.PLANNING, h, note=rng.choice(PLANNING_NOTES)
                )
            if own_guidance and rng.random() < 0.45 and (on := day()):
                father = Relation.FATHER in relations and rng.random() < 0.35
                activity = Activity.GUIDANCE_FATHER if father else Activity.GUIDANCE_MOTHER
                h = hours(1, 2, rng)
                self.add(counsellor_id, case, on, activity, h, note=rng.choice(GUIDANCE_NOTES))
                if rng.random() < 0.4:
                    self.travel(counsellor_id, case, on, HOME_TRAVEL_NOTE)
            if placed and rng.random() < 0.2 and (on := day()):
                h = hours(0.5, 1, rng)
                self.add(
                    counsellor_id,
                    case,
                    on,
                    Activity.GUIDANCE_FOSTER,
                    h,
                    note=rng.choice(FOSTER_NOTES),
                )
            if rng.random() < 0.1 and (on := day()):
                h = hours(0.5, 1.5, rng)
                self.add(counsellor_id, case, on, Activity.OTHER, h, note=rng.choice(OTHER_NOTES))
            week += timedelta(days=7)
