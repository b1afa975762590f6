"""Visits (samvær) in the demo: visit flats, visitation plans, visits around today, reports, costs.

Everything goes through `sammen.visits.services`, so each plan is checked against the ruling in
force exactly as in the app, and a double booking of a counsellor or a flat is refused the same
way. `_Diary` holds the demo's own bookings so that free times are chosen in the first place.

Which visits lie in the past (held, cancelled or missed) and which are still planned depends on
`today` only: a visit on an earlier day is past, a visit today or later is planned. One plan is
left below the ruling's minimum in the current period, so the case overview shows the alert.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from sammen.cases.models import ChildCase, Person, PlacementKind, Relation, Supervision
from sammen.cases.review import ParentAgreement, may_approve
from sammen.org.models import Role, ServiceUnit, User
from sammen.visits import rules, selectors, services
from sammen.visits.choices import (
    ExpenseKind,
    OtherContact,
    Party,
    Purpose,
    SessionStatus,
    VisitPlace,
)
from sammen.visits.models import VisitExpense, VisitFlat, VisitPlan, VisitReport, VisitSession

from . import visit_texts as texts

OSLO = rules.OSLO

FLATS = (
    ("Samværsleiligheten Nordvik torg", "Nordvik torg 3, 0580 Oslo"),
    ("Samværsleiligheten Lerkeveien", "Lerkeveien 7, 0584 Oslo"),
    ("Familierommet på Nordvik senter", "Nordviksletta 12, 0582 Oslo"),
)
# Start times tried for a visit, in this order after the plan's own time.
SLOTS = (time(10), time(13, 30), time(16, 30))
# A plan may give more than the ruling's minimum; these are the more generous frequencies.
MORE_THAN_RULED = {
    (1, 2, "month"): (1, 1, "month"),
    (4, 1, "year"): (6, 1, "year"),
    (6, 1, "year"): (1, 1, "month"),
    (1, 1, "month"): (2, 1, "month"),
}
AGREED_FREQUENCIES = ((1, 1, "month"), (2, 1, "month"), (1, 2, "week"))
CANCELLED = (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)


def ensure_flats(unit: ServiceUnit) -> list[VisitFlat]:
    """The demo unit's visit flats; kept and updated like the placement places."""
    flats = []
    for name, address in FLATS:
        flat, _created = VisitFlat.objects.update_or_create(
            unit=unit, name=name, defaults={"address": address, "is_active": True}
        )
        flats.append(flat)
    return flats


def load_visits(rng: random.Random, today: date, *, unit: ServiceUnit) -> dict[str, int]:
    """Plans, visits, reports and expenses for the unit's open cases; returns counts."""
    flats = ensure_flats(unit)
    builder = _Visits(rng, today, unit, flats)
    builder.make_plans()
    builder.settle_past()
    builder.keep_minimums()
    builder.fill_this_week()
    builder.reports()
    builder.expenses()
    sessions = VisitSession.objects.filter(plan__case__section__unit=unit)
    counts = {"visit_flats": len(flats), "visit_plans": len(builder.plans)}
    for status in SessionStatus.values:
        counts[f"visits_{status}"] = sessions.filter(status=status).count()
    counts["visit_reports"] = builder.report_count
    counts["visit_expenses"] = builder.expense_count
    if builder.skipped:  # the services refused a time the diary thought free; should not happen
        counts["visits_skipped"] = builder.skipped
    return counts


# --- Helpers ------------------------------------------------------------------------------------


def local_day(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=OSLO)


def who_words(person: Person) -> str:
    if person.relation == Relation.MOTHER:
        return "mor"
    if person.relation == Relation.FATHER:
        return "far"
    return person.relation_detail or person.first_name


def series_rule(visits: int, length: int, unit: str) -> tuple[str, int]:
    """How a frequency is scheduled: (recurrence, interval). 2 per month is every other week."""
    if unit == "week":
        return "weekly", length
    if unit == "month":
        return ("monthly", length) if visits == 1 else ("weekly", 2)
    return "monthly", 12 // visits


@dataclass
class _Plan:
    plan: VisitPlan
    counsellor: User
    words: dict[str, str]
    ruling: object = None
    sessions: list[VisitSession] = field(default_factory=list)
    falls_short: bool = False

    def window(self, day: date) -> tuple[date, date]:
        terms = self.ruling or self.plan
        return rules.window_containing(
            self.plan.starts_on, terms.period_length, terms.period_unit, day
        )


class _Diary:
    """The demo's bookings, to choose times that clash with nothing (as the services check)."""

    def __init__(self) -> None:
        self.bookings: list[rules.Booking] = []

    def add(self, session: VisitSession) -> None:
        self.bookings.append(
            rules.Booking(
                session.starts_at,
                session.ends_at,
                session.counsellor_id,
                session.flat_id,
                session.pk,
            )
        )

    def remove(self, session: VisitSession) -> None:
        self.bookings = [b for b in self.bookings if b.pk != session.pk]

    def free_time(self, day: date, clock: time, length: timedelta, who, flat, *, shifts=(0,)):
        """The first free (start, end) on `day` + a shift, trying the plan's time first."""
        for shift in shifts:
            for slot in (clock, *(s for s in SLOTS if s != clock)):
                start = at(day + timedelta(days=shift), slot)
                candidate = rules.Booking(
                    start, start + length, who.pk if who else None, flat.pk if flat else None
                )
                if not rules.clashes(candidate, self.bookings):
                    return start, start + length
        return None


# --- The builder --------------------------------------------------------------------------------


class _Visits:
    def __init__(self, rng, today, unit, flats) -> None:
        self.rng = rng
        self.today = today
        self.unit = unit
        self.flats = flats
        self.diary = _Diary()
        self.plans: list[_Plan] = []
        self.skipped = 0
        self.report_count = 0
        self.expense_count = 0
        self.leaders = {
            u.section_id: u for u in User.objects.filter(unit=unit, role=Role.SECTION_LEADER)
        }

    def text(self, options, info: _Plan) -> str:
        return self.rng.choice(options).format(**info.words)

    # plans

    def make_plans(self) -> None:
        cases = (
            ChildCase.objects.filter(section__unit=self.unit, closed_on__isnull=True)
            .select_related("caseworker", "section")
            .prefetch_related("persons", "placements", "counsellors")
            .order_by("pk")
        )
        for case in cases:
            team = sorted(case.counsellors.all(), key=lambda u: u.username)
            placement = next((p for p in case.placements.all() if p.is_active_on(self.today)), None)
            if not team or placement is None or placement.kind == PlacementKind.EMERGENCY:
                continue
            child = next(p for p in case.persons.all() if p.relation == Relation.CHILD)
            order = {Relation.MOTHER: 0, Relation.FATHER: 1, Relation.GRANDPARENT: 2}
            visitors = sorted(
                (p for p in case.persons.all() if p.relation in order),
                key=lambda p: (order[p.relation], p.pk),
            )
            voluntary = placement.kind == PlacementKind.VOLUNTARY
            for visitor in visitors:
                chance = {Relation.MOTHER: 0.9, Relation.FATHER: 0.6}.get(visitor.relation, 0.5)
                if voluntary:
                    chance -= 0.2
                if self.rng.random() >= chance:
                    continue
                if voluntary and visitor.relation == Relation.GRANDPARENT:
                    continue
                self.make_plan(case, placement, child, visitor, self.rng.choice(team))

    def make_plan(self, case, placement, child, visitor, counsellor) -> None:
        rng, today = self.rng, self.today
        starts_on = max(today - timedelta(days=rng.randint(56, 140)), placement.start_date)
        context = selectors.ruling_context(case, visitor, starts_on)
        ruling = context["ruling"]
        voluntary = context["placement_kind"] == PlacementKind.VOLUNTARY
        if ruling is None and visitor.is_parent and not voluntary:
            return  # the service would refuse: the ruling must be registered first
        if ruling is not None and not voluntary:
            starts_on = max(starts_on, ruling.decision.decided_on)
        while starts_on.day > 28:  # keep monthly series on the same day every month
            starts_on += timedelta(days=1)
        if starts_on > today:
            return
        words = {"who": who_words(visitor), "child": child.first_name}
        words["Who"] = words["who"][:1].upper() + words["who"][1:]
        if ruling is not None and not voluntary:
            visits, length, unit = ruling.visits, ruling.period_length, ruling.period_unit
            if rng.random() < 0.25:
                visits, length, unit = MORE_THAN_RULED.get(
                    (visits, length, unit), (visits, length, unit)
                )
            hours = Decimal(ruling.min_hours) + (Decimal("0.5") if rng.random() < 0.3 else 0)
            supervision = ruling.supervision
            if supervision == Supervision.NONE and rng.random() < 0.3:
                supervision = Supervision.SUPPORTED
        elif visitor.is_parent:
            visits, length, unit = rng.choice(AGREED_FREQUENCIES)
            hours = rng.choice((Decimal("2"), Decimal("3"), Decimal("4")))
            supervision = rng.choice((Supervision.SUPPORTED, Supervision.NONE))
        else:  # a grandparent: other contact by agreement
            visits, length, unit = rng.choice(((4, 1, "year"), (6, 1, "year")))
            hours, supervision = Decimal("2"), Supervision.NONE
        place_kind, flat = self.place(supervision)
        interpreter = visitor.needs_interpreter
        other_contact = rng.choice(([], [], [OtherContact.PHONE], [OtherContact.PHOTOS]))
        purposes = (
            [Purpose.ATTACHMENT, Purpose.ASSESS]
            if voluntary
            else rng.choice(([Purpose.BONDS], [Purpose.BONDS, Purpose.LOSS], [Purpose.ATTACHMENT]))
        )
        info = _Plan(plan=None, counsellor=counsellor, words=words)
        plan = VisitPlan(
            visitor=visitor,
            starts_on=starts_on,
            evaluate_on=max(starts_on + relativedelta(months=6), today + timedelta(days=21)),
            visits=visits,
            period_length=length,
            period_unit=unit,
            hours=hours,
            place_kind=place_kind,
            flat=flat,
            supervision=supervision,
            counsellor=counsellor,
            participants=f"{words['Who']}, {child.first_name} og familieveilederen"
            + (", tolk" if interpreter else ""),
            purposes=[str(p) for p in purposes],
            transport=self.text(texts.TRANSPORT, info),
            interpreter_needed=interpreter,
            interpreter_language=visitor.interpreter_language if interpreter else "",
            language=visitor.language or "norsk",
            other_contact=[str(c) for c in other_contact],
            other_contact_note=self.text(texts.OTHER_CONTACT_NOTES, info) if other_contact else "",
            agreed_with_parents=voluntary or rng.random() < 0.4,
            child_view=self.text(texts.CHILD_VIEWS, info),
            foster_home_view=self.text(texts.FOSTER_HOME_VIEWS, info),
            parents_view=self.text(texts.PARENTS_VIEWS, info),
        )
        plan, _notices = services.plan_create(
            user=case.caseworker, case=case, plan=plan, based_on=0
        )
        info.plan = plan
        info.ruling = plan.ruling
        self.plans.append(info)
        self.schedule(info)

    def place(self, supervision: str):
        rng = self.rng
        if supervision == Supervision.SUPERVISED:
            kind = rng.choice(
                (VisitPlace.FLAT, VisitPlace.FLAT, VisitPlace.FLAT, VisitPlace.OFFICE)
            )
        elif supervision == Supervision.SUPPORTED:
            kind = rng.choice((VisitPlace.FLAT, VisitPlace.FOSTER_HOME, VisitPlace.ACTIVITY))
        else:
            kind = rng.choice((VisitPlace.PARENT_HOME, VisitPlace.ACTIVITY, VisitPlace.FOSTER_HOME))
        return kind, (rng.choice(self.flats) if kind == VisitPlace.FLAT else None)

    def schedule(self, info: _Plan) -> None:
        """The plan's series from its start to past the current period, at free times."""
        plan, today = info.plan, self.today
        _start, window_end = info.window(today)
        until = max(today + timedelta(weeks=8), window_end - timedelta(days=1))
        recurrence, interval = series_rule(plan.visits, plan.period_length, plan.period_unit)
        clock = self.rng.choice(SLOTS)
        length = timedelta(minutes=int(plan.hours * 60))
        series = []
        for start, _end in rules.occurrences(
            first=plan.starts_on,
            at=clock,
            minutes=int(plan.hours * 60),
            recurrence=recurrence,
            interval=interval,
            until=until,
        ):
            found = self.diary.free_time(
                local_day(start), clock, length, info.counsellor, plan.flat, shifts=(0, 1, 2, 3)
            )
            if found:
                series.append(found)
        if not series:
            return
        created, skipped = services.sessions_generate(
            user=info.counsellor,
            plan=plan,
            series=series,
            counsellor=info.counsellor,
            flat=plan.flat,
            place_kind=plan.place_kind,
        )
        self.skipped += len(skipped)
        for session in created:
            self.diary.add(session)
        info.sessions.extend(created)

    def add_session(self, info: _Plan, day: date, *, shifts) -> VisitSession | None:
        """One more visit of the plan on `day` (or a shifted day) at a free time."""
        plan = info.plan
        length = timedelta(minutes=int(plan.hours * 60))
        found = self.diary.free_time(
            day, self.rng.choice(SLOTS), length, info.counsellor, plan.flat, shifts=shifts
        )
        if found is None:
            return None
        session = services.session_add(
            user=info.counsellor,
            plan=plan,
            session=VisitSession(
                starts_at=found[0],
                ends_at=found[1],
                counsellor=info.counsellor,
                flat=plan.flat,
                place_kind=plan.place_kind,
            ),
        )
        self.diary.add(session)
        info.sessions.append(session)
        if local_day(session.starts_at) < self.today:
            self.hold(info, session)
        return session

    # what happened to past visits

    def settle_past(self) -> None:
        """Past visits are held, cancelled (parent, foster home, service, child) or missed."""
        rng, today = self.rng, self.today
        short = self.pick_short_plan()
        past = [
            (info, s)
            for info in self.plans
            if not info.falls_short
            for s in info.sessions
            if local_day(s.starts_at) < today
        ]
        count = min(len(past), max(9, round(len(past) * 0.15)))
        parties = ["no_show", "no_show", "parent", "parent", "foster_home", "service", "child"]
        parties += rng.choices(
            ["parent", "foster_home", "service", "child"], weights=[5, 3, 2, 1], k=count
        )
        outcomes = dict(zip(rng.sample(range(len(past)), count), parties, strict=False))
        stopped = next((i for i in range(len(past)) if i not in outcomes), None)
        for index, (info, session) in enumerate(past):
            party = outcomes.get(index)
            if party is None:
                self.hold(info, session, stopped=index == stopped)
            elif party == "no_show":
                self.cancel(info, session, Party.PARENT, no_show=True)
            else:
                self.cancel(info, session, party)
                if party != Party.PARENT:  # the service owes the child a new visit
                    day = local_day(session.starts_at) + timedelta(days=rng.randint(5, 9))
                    self.add_session(info, day, shifts=(0, 1, 2))
        if short is not None:
            self.leave_short(short)

    def pick_short_plan(self) -> _Plan | None:
        """A ruled plan with a visit still to come in the current period (which will be lost)."""
        candidates = []
        for info in self.plans:
            if info.ruling is None or info.ruling.period_unit != "month":
                continue
            start, end = info.window(self.today)
            if any(self.today <= local_day(s.starts_at) < end for s in info.sessions):
                candidates.append(info)
        if not candidates:
            return None
        info = self.rng.choice(candidates)
        info.falls_short = True
        return info

    def leave_short(self, info: _Plan) -> None:
        """Cancel every visit of the plan in the current period; no new time is found yet."""
        start, end = info.window(self.today)
        yesterday = at(self.today - timedelta(days=1), time(14))
        for session in info.sessions:
            day = local_day(session.starts_at)
            if day < start:
                self.hold(info, session)
            elif day < self.today:
                self.cancel(info, session, Party.FOSTER_HOME)
            elif day < end:
                reason = texts.SHORTFALL_REASON
                self.cancel(info, session, Party.SERVICE, reason=reason, when=yesterday)

    def hold(self, info: _Plan, session: VisitSession, *, stopped: bool = False) -> None:
        rng = self.rng
        session.prep_parent = self.text(texts.PREP_PARENT, info)
        session.prep_foster_home = self.text(texts.PREP_FOSTER_HOME, info)
        session.language_spoken = info.plan.language or "norsk"
        session.mother_tongue_used = (
            rng.random() < 0.7 if session.language_spoken != "norsk" else None
        )
        session.child_reactions = self.text(texts.CHILD_REACTIONS, info)
        session.parent_contact = self.text(texts.PARENT_CONTACT, info)
        session.stopped = stopped
        session.stop_reason = texts.STOP_REASON.format(**info.words) if stopped else ""
        session.after_parent = self.text(texts.AFTER_PARENT, info)
        session.after_child = self.text(texts.AFTER_CHILD, info)
        session.foster_home_invited = rng.random() < 0.6
        services.session_record(
            user=info.counsellor, session=session, expected_version=session.version
        )

    def cancel(self, info, session, party, *, no_show=False, reason="", when=None) -> None:
        rng = self.rng
        if no_show:
            session.status = SessionStatus.NO_SHOW
            reason = reason or self.text(texts.NO_SHOW_REASONS, info)
            when = when or session.starts_at + timedelta(minutes=30)
        else:
            session.status = SessionStatus.CANCELLED
            reason = reason or self.text(texts.CANCEL_REASONS[party], info)
            when = when or session.starts_at - timedelta(hours=rng.choice((2, 5, 20, 30, 52, 96)))
        session.cancelled_by = party
        session.cancel_reason = reason
        session.cancelled_at = when
        services.session_cancel(
            user=info.counsellor, session=session, expected_version=session.version
        )
        self.diary.remove(session)

    # keeping the minimum, and a full calendar this week

    def keep_minimums(self) -> None:
        """Every ruled plan but the short one can still meet its minimum in the current period."""
        for info in self.plans:
            if info.ruling is None or info.falls_short:
                continue
            for _attempt in range(3):
                status = self.minimum(info)
                if not status.falling_short:
                    break
                last = status.last_day
                first = max(self.today + timedelta(days=1), status.window_start)
                first = min(first, last)
                days = (last - first).days
                shifts = tuple(range(0, days + 1))[:10]
                if self.add_session(info, first, shifts=shifts) is None:
                    break

    def minimum(self, info: _Plan) -> rules.MinimumStatus:
        facts = [
            rules.SessionFact(local_day(s.starts_at), s.status, s.cancelled_by)
            for s in info.sessions
        ]
        ruling = info.ruling
        return rules.minimum_status(
            plan_start=info.plan.starts_on,
            visits=ruling.visits,
            period_length=ruling.period_length,
            period_unit=ruling.period_unit,
            sessions=facts,
            today=self.today,
        )

    def fill_this_week(self) -> None:
        """Each counsellor with a plan has a visit in the calendar's week (Monday to Sunday)."""
        monday = self.today - timedelta(days=self.today.weekday())
        sunday = monday + timedelta(days=6)
        by_counsellor: dict[int, list[_Plan]] = {}
        for info in self.plans:
            by_counsellor.setdefault(info.counsellor.pk, []).append(info)
        for _pk, infos in sorted(by_counsellor.items()):
            busy = any(
                monday <= local_day(s.starts_at) <= sunday and s.status not in CANCELLED
                for info in infos
                for s in info.sessions
            )
            candidates = [i for i in infos if not i.falls_short]
            if busy or not candidates:
                continue
            info = self.rng.choice(candidates)
            days = (sunday - self.today).days
            self.add_session(info, self.today, shifts=tuple(range(0, days + 1)))

    # reports and expenses

    def held(self, info: _Plan) -> list[VisitSession]:
        return sorted(
            (s for s in info.sessions if s.status == SessionStatus.HELD),
            key=lambda s: s.starts_at,
        )

    def reports(self) -> None:
        """One approved period report, one gone through and awaiting approval, one draft."""
        rich = [info for info in self.plans if len(self.held(info)) >= 3]
        chosen = self.rng.sample(rich, min(3, len(rich)))
        for index, info in enumerate(chosen):
            held = self.held(info)
            case = info.plan.case
            if index == 0:  # a period report
                session = None
                period = (info.plan.starts_on, local_day(held[-2].starts_at))
            else:
                session = held[-1]
                period = (local_day(session.starts_at),) * 2
            report = services.report_write(
                user=info.counsellor,
                plan=info.plan,
                report=VisitReport(
                    session=session,
                    period_start=period[0],
                    period_end=period[1],
                    summary=self.text(texts.REPORT_SUMMARIES, info),
                    assessment=self.text(texts.REPORT_ASSESSMENTS, info),
                ),
            )
            self.report_count += 1
            if index == 2:
                continue  # a draft, still to be gone through with the parent
            services.report_review(
                user=info.counsellor,
                report=report,
                reviewed_on=min(period[1] + timedelta(days=3), self.today),
                comments=self.text(texts.PARENT_COMMENTS, info),
                agreement=self.rng.choice((ParentAgreement.AGREES, ParentAgreement.PARTLY)),
                expected_version=report.version,
            )
            if index == 0:
                leader = self.leaders.get(case.section_id)
                approver = leader if leader and may_approve(leader, case) else case.caseworker
                services.report_approve(
                    user=approver, report=report, expected_version=report.version
                )

    def expenses(self) -> None:
        """The service's support to some parents: tickets and food around held visits."""
        held = [
            (info, s) for info in self.plans if info.plan.visitor.is_parent for s in self.held(info)
        ]
        for info, session in self.rng.sample(held, min(6, len(held))):
            kind = self.rng.choice((ExpenseKind.TRAVEL, ExpenseKind.TRAVEL, ExpenseKind.FOOD))
            amount = (
                self.rng.randint(90, 620)
                if kind == ExpenseKind.TRAVEL
                else self.rng.randint(120, 350)
            )
            services.expense_add(
                user=info.counsellor,
                plan=info.plan,
                expense=VisitExpense(
                    kind=kind,
                    amount=Decimal(amount),
                    spent_on=local_day(session.starts_at),
                    note=self.text(texts.EXPENSE_NOTES[kind], info),
                ),
            )
            self.expense_count += 1
