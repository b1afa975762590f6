"""`manage.py bench`: a national-scale synthetic data set, and how fast the pages and figures are.

Generates (with --children N, default 10 000): N cases with a child, a mother and a father each
(2N parents), a placement, a referral and a follow-up per parent; `--contacts-per-case`
follow-up contacts (default 50 → 500 000), a visitation plan for the mother with
`--sessions-per-case` visit sessions (default 50 → 500 000; together 1 000 000 visits and
sessions), and `--entries-per-case` time entries (default 200 → 2 000 000). Then it measures,
with the Django test client inside one process and the pages requested in turns, the p95
server time and query count of the case overview, a counsellor's week and the leaders'
dashboard against the floor (core:floor), every page computed afresh on every request. It
prints the ratios (docs/PERFORMANCE.md).

Then, on PostgreSQL (or with --load on), the load phase (`_bench_load.py`): gunicorn on
127.0.0.1 and 20, then 50 signed-in staff reading and writing through the real forms at once
for --load-seconds each; requests per second, p50/p95/p99 per page kind against the floor
under the same load, errors, lost writes and optimistic-lock refusals.

Refuses to add data to a database that already has cases, unless --reuse (measure only).
"""

import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from sammen.cases.models import (
    ChildCase,
    Person,
    Placement,
    PlacementPlace,
    TribunalDecision,
    VisitationRuling,
)
from sammen.followup.models import ConsentEvent, Contact, FollowUp, Referral
from sammen.org.models import Role, Section, ServiceUnit, User
from sammen.timelog.models import Activity, TimeEntry
from sammen.visits.models import VisitFlat, VisitPlan, VisitSession

from ._bench_load import LoadPhase, default_workers, parse_levels

BATCH = 20_000
CASES_PER_UNIT = 250
ACTIVITIES = [a.value for a in Activity]
TODAY = date.today()  # noqa: DTZ011 — synthetic data, local date is fine


def p95(samples):
    return (
        statistics.quantiles(samples, n=20, method="inclusive")[18]
        if len(samples) > 1
        else samples[0]
    )


class Command(BaseCommand):
    help = "Generate a national-scale synthetic data set and measure pages and aggregates."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=10_000)
        parser.add_argument("--contacts-per-case", type=int, default=50)
        parser.add_argument("--sessions-per-case", type=int, default=50)
        parser.add_argument("--entries-per-case", type=int, default=200)
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--reuse", action="store_true", help="measure the data already there")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--load",
            choices=["auto", "on", "off"],
            default="auto",
            help="the load phase with gunicorn: auto runs it on PostgreSQL only",
        )
        parser.add_argument("--load-users", default="20,50", help="levels, e.g. 20,50")
        parser.add_argument("--load-seconds", type=float, default=30.0, help="per level")
        parser.add_argument("--load-warmup", type=float, default=5.0, help="seconds, unmeasured")
        parser.add_argument("--load-workers", type=int, default=default_workers())

    def handle(self, *args, **opts):
        self.rng = random.Random(opts["seed"])
        vendor = connection.vendor
        if ChildCase.objects.exists():
            if not opts["reuse"]:
                raise CommandError(
                    "The database already has cases; use a fresh database or --reuse."
                )
        else:
            started = time.perf_counter()
            self.generate(opts)
            self.stdout.write(f"generated on {vendor} in {time.perf_counter() - started:.0f} s")
        self.counts()
        # Pages are measured as production serves them: debug off, so templates name the hashed
        # static files `collectstatic` writes to STATIC_ROOT (the load phase's gunicorn too).
        call_command("collectstatic", interactive=False, verbosity=0)
        with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
            failed = self.measure(opts)
        load_passed = self.load(opts)
        if failed:
            raise CommandError("Some pages failed: " + "; ".join(failed))
        if not load_passed:
            raise CommandError("The load phase had errors or lost writes.")

    def load(self, opts):
        """The load phase; True unless it ran and saw errors or lost writes."""
        if opts["load"] == "off":
            return True
        if opts["load"] == "auto" and connection.vendor != "postgresql":
            self.stdout.write(
                f"load phase skipped on {connection.vendor}: it measures PostgreSQL, the "
                "database many users share (--load on forces it)"
            )
            return True
        try:
            levels = parse_levels(opts["load_users"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        phase = LoadPhase(
            self.stdout,
            levels=levels,
            seconds=opts["load_seconds"],
            warmup=opts["load_warmup"],
            workers=opts["load_workers"],
            seed=opts["seed"],
        )
        return phase.run()

    # --- generation -----------------------------------------------------------------------

    def bulk(self, model, objs):
        for i in range(0, len(objs), BATCH):
            model.objects.bulk_create(objs[i : i + BATCH], batch_size=BATCH // 4)

    def stream(self, model, gen):
        """bulk_create from a generator in batches, so millions of rows never sit in memory."""
        batch = []
        for obj in gen:
            batch.append(obj)
            if len(batch) >= BATCH:
                with transaction.atomic():
                    model.objects.bulk_create(batch, batch_size=BATCH // 4)
                batch = []
        if batch:
            model.objects.bulk_create(batch, batch_size=BATCH // 4)

    def generate(self, opts):
        rng = self.rng
        n = opts["children"]
        n_units = max(1, n // CASES_PER_UNIT)
        with transaction.atomic():
            self.bulk(
                ServiceUnit,
                [
                    ServiceUnit(name=f"Bench-enhet {u}", municipality="Benchby")
                    for u in range(n_units)
                ],
            )
            units = list(ServiceUnit.objects.order_by("pk"))
            self.bulk(
                Section, [Section(unit=u, name=f"Seksjon {s}") for u in units for s in (1, 2)]
            )
            sections = {u.pk: list(Section.objects.filter(unit=u).order_by("pk")) for u in units}
            users = []
            for u in units:
                users.append(
                    User(username=f"pl{u.pk}", role=Role.PROGRAMME_LEAD, unit=u, password="!")
                )
                for s in sections[u.pk]:
                    users.append(
                        User(
                            username=f"sl{s.pk}",
                            role=Role.SECTION_LEADER,
                            unit=u,
                            section=s,
                            password="!",
                        )
                    )
                    users += [
                        User(
                            username=f"cw{s.pk}-{i}",
                            role=Role.CASEWORKER,
                            unit=u,
                            section=s,
                            password="!",
                        )
                        for i in range(5)
                    ]
                users += [
                    User(
                        username=f"fv{u.pk}-{i}",
                        role=Role.COUNSELLOR,
                        unit=u,
                        password="!",
                        first_name="Fv",
                        last_name=str(i),
                    )
                    for i in range(10)
                ]
            self.bulk(User, users)
            staff = {}
            for user in User.objects.filter(unit__in=units):
                staff.setdefault((user.unit_id, user.role, user.section_id), []).append(user)
            self.bulk(
                PlacementPlace,
                [PlacementPlace(unit=u, name="Fosterhjem", kind="foster_home") for u in units],
            )
            places = {p.unit_id: p for p in PlacementPlace.objects.all()}
            cases = []
            for i in range(n):
                unit = units[i % n_units]
                section = sections[unit.pk][i % 2]
                cases.append(
                    ChildCase(
                        reference=f"BN-{i:07d}",
                        section=section,
                        caseworker=rng.choice(staff[(unit.pk, Role.CASEWORKER, section.pk)]),
                        opened_on=TODAY - timedelta(days=rng.randint(30, 1500)),
                    )
                )
            self.bulk(ChildCase, cases)
            cases = list(ChildCase.objects.select_related("section").order_by("pk"))
            counsellor_of = {
                c.pk: rng.choice(staff[(c.section.unit_id, Role.COUNSELLOR, None)]) for c in cases
            }
            through = ChildCase.counsellors.through
            self.bulk(
                through, [through(childcase_id=c.pk, user_id=counsellor_of[c.pk].pk) for c in cases]
            )
            persons = []
            for c in cases:
                persons.append(
                    Person(
                        case=c,
                        relation="child",
                        first_name="Barn",
                        last_name=str(c.pk),
                        date_of_birth=date(2015, 1, 1),
                    )
                )
                persons.append(
                    Person(case=c, relation="mother", first_name="Mor", last_name=str(c.pk))
                )
                persons.append(
                    Person(case=c, relation="father", first_name="Far", last_name=str(c.pk))
                )
            self.bulk(Person, persons)
            self.bulk(
                Placement,
                [
                    Placement(
                        case=c,
                        place=places[c.section.unit_id],
                        kind=rng.choice(["care_order", "care_order", "voluntary"]),
                        start_date=c.opened_on + timedelta(days=10),
                    )
                    for c in cases
                ],
            )
            self.bulk(
                Referral,
                [
                    Referral(
                        case=c,
                        referred_by=c.caseworker,
                        referred_on=c.opened_on + timedelta(days=14),
                        order="guidance",
                        goals="Samvær",
                        counsellor=counsellor_of[c.pk],
                    )
                    for c in cases
                ],
            )
            referral_of = dict(Referral.objects.values_list("case_id", "pk"))
            followups = []
            for parent in Person.objects.exclude(relation="child").only("pk", "case_id"):
                state = rng.choices(["active", "declined", "closed", "assigned"], [6, 1, 2, 1])[0]
                started = (
                    TODAY - timedelta(days=rng.randint(20, 900))
                    if state in ("active", "closed")
                    else None
                )
                followups.append(
                    FollowUp(
                        referral_id=referral_of[parent.case_id],
                        parent_id=parent.pk,
                        state=state,
                        started_on=started,
                        closed_on=started + timedelta(days=rng.randint(10, 300))
                        if state == "closed"
                        else None,
                        contacts_per_month=rng.choice([2, 4, 8]) if started else None,
                        reoffer_on=TODAY + timedelta(days=rng.randint(-60, 60))
                        if state == "declined"
                        else None,
                        # Deadlines for the reminders: reports every 3 or 6 months, a frame review.
                        report_period_months=rng.choice([3, 6]) if state == "active" else None,
                        frame_review_on=TODAY + timedelta(days=rng.randint(-60, 120))
                        if state == "active"
                        else None,
                    )
                )
            self.bulk(FollowUp, followups)
            fus = list(
                FollowUp.objects.values_list(
                    "pk", "state", "referral__case_id", "referral__counsellor_id"
                )
            )
            counsellor = fus[0][3]
            self.bulk(
                ConsentEvent,
                [
                    ConsentEvent(
                        followup_id=pk,
                        kind="declined" if st == "declined" else "given",
                        on=TODAY - timedelta(days=400),
                        recorded_by_id=fv,
                    )
                    for pk, st, _, fv in fus
                    if st != "assigned"
                ],
            )
        per_fu = max(1, opts["contacts_per_case"] // 2)

        def contacts():
            for pk, _st, _case, fv in fus:
                for _ in range(per_fu):
                    yield Contact(
                        followup_id=pk,
                        held_on=TODAY - timedelta(days=rng.randint(-14, 700)),
                        with_whom="parent",
                        place="home",
                        method="conversation",
                        minutes=rng.choice([30, 60, 90]),
                        recorded_by_id=fv or counsellor,
                    )

        self.stream(Contact, contacts())
        self.generate_visits(opts, cases, counsellor_of)
        case_rows = [(c.pk, c.section_id, counsellor_of[c.pk].pk) for c in cases]

        def entries():
            for case_pk, section_pk, fv in case_rows:
                for _ in range(opts["entries_per_case"]):
                    yield TimeEntry(
                        counsellor_id=fv,
                        case_id=case_pk,
                        section_id=section_pk,
                        worked_on=TODAY - timedelta(days=rng.randint(0, 700)),
                        activity=rng.choice(ACTIVITIES),
                        hours=Decimal(rng.choice(["0.5", "1.0", "1.5", "2.0", "3.0"])),
                        km=Decimal(rng.randint(0, 40)),
                    )

        self.stream(TimeEntry, entries())
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                # Statistics and the visibility map (index-only scans), as autovacuum would
                # leave them; table by table, as the owner may not vacuum shared catalogs.
                # (VACUUM cannot run in a transaction, as inside a test; ANALYZE can.)
                for table in connection.introspection.table_names(cursor):
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
            else:
                cursor.execute("ANALYZE")

    def generate_visits(self, opts, cases, counsellor_of):
        """A visitation plan for each mother and its sessions, two years back and a month ahead:
        held mostly, some cancelled or missed, planned when still to come."""
        rng = self.rng
        per_case = opts["sessions_per_case"]
        if per_case <= 0:
            return
        with transaction.atomic():
            self.bulk(
                VisitFlat,
                [
                    VisitFlat(unit_id=unit_id, name="Samværsleiligheten")
                    for unit_id in sorted({c.section.unit_id for c in cases})
                ],
            )
            flats = dict(VisitFlat.objects.values_list("unit_id", "pk"))
            mothers = dict(Person.objects.filter(relation="mother").values_list("case_id", "pk"))
            # The care order whose visitation ruling each plan is checked against.
            self.bulk(
                TribunalDecision,
                [
                    TribunalDecision(
                        case_id=c.pk, decided_on=TODAY - timedelta(days=740), kind="care_order"
                    )
                    for c in cases
                ],
            )
            decisions = dict(TribunalDecision.objects.values_list("case_id", "pk"))
            self.bulk(
                VisitationRuling,
                [
                    VisitationRuling(
                        decision_id=decisions[c.pk],
                        visitor_id=mothers[c.pk],
                        visits=2,
                        period_length=1,
                        period_unit="month",
                        min_hours=Decimal("2.0"),
                        supervision="supervised",
                    )
                    for c in cases
                ],
            )
            rulings = dict(VisitationRuling.objects.values_list("visitor_id", "pk"))
            self.bulk(
                VisitPlan,
                [
                    VisitPlan(
                        case_id=c.pk,
                        visitor_id=mothers[c.pk],
                        ruling_id=rulings[mothers[c.pk]],
                        starts_on=TODAY - timedelta(days=730),
                        evaluate_on=TODAY + timedelta(days=90),
                        visits=2,
                        period_unit="month",
                        hours=Decimal("2.0"),
                        place_kind="flat",
                        flat_id=flats[c.section.unit_id],
                        supervision="supervised",
                        counsellor_id=counsellor_of[c.pk].pk,
                        made_by_id=c.caseworker_id,
                    )
                    for c in cases
                ],
            )
        plans = list(VisitPlan.objects.values_list("pk", "counsellor_id", "flat_id").order_by("pk"))
        now = datetime.now(UTC)

        def sessions():
            for plan_pk, fv, flat_pk in plans:
                for _ in range(per_case):
                    starts = datetime.combine(
                        TODAY - timedelta(days=rng.randint(-30, 700)),
                        dtime(rng.randint(7, 15)),
                        tzinfo=UTC,
                    )
                    status = (
                        "planned"
                        if starts > now
                        else rng.choices(["held", "cancelled", "no_show"], [17, 2, 1])[0]
                    )
                    yield VisitSession(
                        plan_id=plan_pk,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                        counsellor_id=fv,
                        flat_id=flat_pk,
                        place_kind="flat",
                        status=status,
                        cancelled_by="" if status in ("planned", "held") else "parent",
                        recorded_by_id=fv,
                    )

        self.stream(VisitSession, sessions())

    def counts(self):
        contacts, sessions = Contact.objects.count(), VisitSession.objects.count()
        parts = [
            ("children", Person.objects.filter(relation="child").count()),
            ("parents", Person.objects.exclude(relation="child").count()),
            ("follow-ups", FollowUp.objects.count()),
            ("follow-up contacts", contacts),
            ("visit sessions", sessions),
            ("contacts and sessions together", contacts + sessions),
            ("time entries", TimeEntry.objects.count()),
        ]
        self.stdout.write("data: " + ", ".join(f"{n} {label}" for label, n in parts))

    # --- measurement ----------------------------------------------------------------------

    def interleaved(self, fns, opts):
        """p95 of each function, called in turns (a, b, c, a, b, c, …) so that whatever else the
        machine is doing weighs on every one of them alike. A function with a `prepare`
        attribute has it called, untimed, before each timed call."""
        for _ in range(opts["warmup"]):
            for fn in fns:
                getattr(fn, "prepare", lambda: None)()
                fn()
        samples = [[] for _ in fns]
        for _ in range(opts["requests"]):
            for fn, out in zip(fns, samples, strict=True):
                getattr(fn, "prepare", lambda: None)()
                t = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t) * 1000)
        return [p95(out) for out in samples]

    def counted(self, fn):
        """How many queries one call of `fn` makes (a database execute wrapper counts them)."""
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        # CaptureQueriesContext loses queries: request_started resets the query log.
        with connection.execute_wrapper(count):
            fn()
        return len(queries)

    def getter(self, user, url, prepare=None):
        client = Client()
        client.force_login(user)

        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")

        if prepare:
            get.prepare = prepare
        return get

    def measure(self, opts):
        unit = ServiceUnit.objects.order_by("pk").first()
        lead = User.objects.filter(unit=unit, role=Role.PROGRAMME_LEAD).first()
        leader = User.objects.filter(unit=unit, role=Role.SECTION_LEADER).order_by("pk").first()
        counsellor = (
            User.objects.filter(unit=unit, role=Role.COUNSELLOR, assigned_referrals__isnull=False)
            .order_by("pk")
            .first()
        )
        case = ChildCase.objects.filter(section__unit=unit).order_by("pk").first()
        caseworker = case.caseworker
        start = date(TODAY.year, 1, 1)
        in_unit = ChildCase.objects.filter(section__unit=unit).count()
        entries = TimeEntry.objects.filter(section__unit=unit, worked_on__gte=start).count()
        sessions = VisitSession.objects.filter(plan__case__section__unit=unit).count()
        self.stdout.write(
            f"vendor={connection.vendor} unit={unit} cases in unit={in_unit} "
            f"time entries in unit this year={entries} visit sessions in unit={sessions}"
        )
        overview = reverse("cases:overview", args=[case.pk])
        week = reverse("followup:my_week")
        dashboard = reverse("insights:dashboard")
        afresh = f"{dashboard}?naa=1"
        pages = [
            ("floor", caseworker, reverse("core:floor"), None),
            ("case overview", caseworker, overview, None),
            ("counsellor's week", counsellor, week, None),
            ("dashboard afresh", lead, afresh, None),
            ("dashboard afresh (sect.)", leader, afresh, None),
            ("dashboard kept", lead, dashboard, None),
            ("dashboard kept (section)", leader, dashboard, None),
        ]
        # "afresh": every request computes the figures ("?naa=1"); "kept": the aggregates the
        # dashboard keeps for at most five minutes (insights.figures), as a leader who opens
        # it again finds them.
        targets = {
            "case overview": 3,
            "counsellor's week": 3,
            "dashboard afresh": 8,
            "dashboard afresh (sect.)": 8,
            "dashboard kept": 5,
            "dashboard kept (section)": 5,
        }
        getters, queries, failed = [], {}, []
        for label, user, url, prepare in pages:
            get = self.getter(user, url, prepare)
            try:
                get()
                getattr(get, "prepare", lambda: None)()
                queries[label] = self.counted(get)
            except Exception as error:  # noqa: BLE001 — report the page and measure the others
                failed.append(f"{label}: {type(error).__name__}: {error}")
                continue
            getters.append((label, get))
        labels = [label for label, _ in getters]
        ms = self.interleaved([g for _, g in getters], opts)
        times = {label: (m, m / ms[0]) for label, m in zip(labels, ms, strict=True)}
        self.stdout.write(f"{'page':<24}{'p95 ms':>10}{'queries':>9}{'× floor':>9}{'target':>8}")
        for label, (ms, ratio) in times.items():
            target = targets.get(label)
            mark = "" if target is None else (" ok" if ratio <= target else " OVER")
            self.stdout.write(
                f"{label:<24}{ms:>10.2f}{queries[label]:>9}{ratio:>9.2f}"
                f"{('≤ ' + str(target)) if target else '':>8}{mark}"
            )
        for failure in failed:
            self.stdout.write(f"FAILED {failure}")
        return failed
