"""The load phase of `manage.py bench`: many signed-in staff on a real WSGI server at once.

gunicorn serves the database being measured on 127.0.0.1; one thread per staff member signs
in through the login form and then reads and writes in a loop (`_bench_visitor.py`) for a
bounded time, level by level (e.g. 20 users, then 50). After each level every write the server
confirmed is looked up in the database; a missing one, or one with another value, is a lost
write. The floor page is part of the mix, so its times are the floor under the same load.
"""

import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.db import connection
from django.urls import reverse

from sammen.cases.models import Person
from sammen.followup.models import Contact
from sammen.timelog.models import TimeEntry

from ._bench_http import Browser
from ._bench_server import gunicorn
from ._bench_staff import choose_staff, give_password
from ._bench_visitor import KIND_ORDER, Paths, Tally, Visitor

TARGET_USERS = 20
TARGET_RATIO = 5
TARGET_RATE = 40
ACTIONS_PER_SECOND_CAP = 100  # per user: a bound on every loop besides the clock
JOIN_GRACE_SECONDS = 150


def default_workers():
    return 2 * (os.cpu_count() or 1)


def percentile(samples, q):
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def chunks(values, size=500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def lost_writes(writes):
    """Confirmed writes that the database does not hold with the value written."""
    lost = []
    by_kind = {}
    for write in writes:
        by_kind.setdefault(write[0], []).append(write[1:])
    contacts, entries = {}, {}
    for part in chunks(marker for marker, *_ in by_kind.get("contact", [])):
        for row in Contact.objects.filter(notes__in=part).values("notes", "followup_id", "minutes"):
            contacts.setdefault(row["notes"], []).append((row["followup_id"], row["minutes"]))
    for marker, followup_id, minutes in by_kind.get("contact", []):
        if contacts.get(marker) != [(followup_id, minutes)]:
            lost.append(f"contact {marker}: {contacts.get(marker)}")
    for part in chunks(marker for marker, *_ in by_kind.get("time", [])):
        for row in TimeEntry.objects.filter(note__in=part).values("note", "case_id", "hours"):
            entries.setdefault(row["note"], []).append((row["case_id"], row["hours"]))
    for marker, case_id, hours in by_kind.get("time", []):
        if entries.get(marker) != [(case_id, Decimal(hours))]:
            lost.append(f"time entry {marker}: {entries.get(marker)}")
    lost += lost_person_edits(by_kind.get("person", []))
    return lost


def lost_person_edits(edits):
    """Each confirmed save claimed its own version; the row holds the latest one's value."""
    lost, latest, claimed = [], {}, {}
    for person_id, version, phone in edits:
        key = (person_id, version)
        claimed[key] = claimed.get(key, 0) + 1
        if claimed[key] > 1:
            lost.append(f"person {person_id}: version {version} confirmed twice")
        if version > latest.get(person_id, (0, ""))[0]:
            latest[person_id] = (version, phone)
    rows = Person.objects.filter(pk__in=list(latest)).values_list("pk", "version", "phone")
    held = {pk: (version, phone) for pk, version, phone in rows}
    for person_id, confirmed in latest.items():
        if held.get(person_id) != confirmed:
            lost.append(
                f"person {person_id}: confirmed {confirmed}, database {held.get(person_id)}"
            )
    return lost


class LoadPhase:
    def __init__(self, stdout, levels, seconds, warmup, workers, seed):
        self.stdout, self.levels, self.seconds = stdout, levels, seconds
        self.warmup, self.workers, self.seed = warmup, workers, seed
        self.passed = True

    def write(self, line):
        self.stdout.write(line)

    def run(self):
        staff = choose_staff(max(self.levels))
        password = give_password(staff)
        paths = Paths.resolve()
        login = reverse("login")
        self.write(
            f"load: gunicorn, {self.workers} workers, 127.0.0.1, {connection.vendor}, "
            f"levels {', '.join(map(str, self.levels))} users × {self.seconds:g} s"
        )
        with gunicorn(connection.settings_dict, self.workers, login) as server:
            visitors = self.sign_in(server, staff, password, paths, login)
            if self.warmup > 0:
                tally, elapsed = self.level(visitors, self.warmup)
                lost = lost_writes(tally.writes)
                self.write(
                    f"warm-up: {tally.requests} requests in {elapsed:.1f} s, "
                    f"errors {tally.errors}, lost writes {len(lost)} (not counted)"
                )
            for users in self.levels:
                tally, elapsed = self.level(visitors[:users], self.seconds)
                self.report(users, tally, elapsed, lost_writes(tally.writes), server)
        return self.passed

    def sign_in(self, server, staff, password, paths, login):
        def one(i):
            browser = Browser(server.port)
            if not browser.sign_in(login, staff[i].username, password):
                raise RuntimeError(f"{staff[i].username} could not sign in")
            return Visitor(staff[i], browser, paths, seed=self.seed * 1000 + i)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            visitors = list(pool.map(one, range(len(staff))))
        kinds = {k: sum(s.kind == k for s in staff) for k in ("caseworker", "counsellor", "leader")}
        self.write(
            f"signed in {len(staff)} staff through the login form in "
            f"{time.perf_counter() - started:.1f} s ("
            + ", ".join(f"{n} {k}s" for k, n in kinds.items())
            + ")"
        )
        return visitors

    def level(self, visitors, seconds):
        """Every visitor acting at once for `seconds`; their tallies merged, and the wall time."""
        for visitor in visitors:
            visitor.tally = Tally()
        started = time.monotonic()
        deadline = started + seconds
        cap = int(seconds * ACTIONS_PER_SECOND_CAP) + 1
        threads = [
            threading.Thread(target=v.run, args=(deadline, cap, time.monotonic), daemon=True)
            for v in visitors
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline + JOIN_GRACE_SECONDS - time.monotonic()))
        elapsed = time.monotonic() - started
        merged = Tally()
        for visitor in visitors:
            merged.merge(visitor.tally)
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            merged.failures += stuck
            merged.notes.append(f"{stuck} users still waiting for an answer at the end")
        return merged, elapsed

    def report(self, users, tally, elapsed, lost, server):
        rate = tally.requests / elapsed if elapsed else 0.0
        targeted = users == TARGET_USERS
        self.write(
            f"load {users} users: {tally.requests} requests in {elapsed:.1f} s = {rate:.1f} req/s; "
            f"5xx {tally.server_errors}, no answer {tally.failures}, "
            f"other wrong answers {tally.wrong}; "
            f"writes confirmed {len(tally.writes)}, lost {len(lost)}; "
            f"optimistic-lock refusals {tally.refusals}"
        )
        floor = tally.ms.get("floor")
        floor_p95 = percentile(floor, 95) if floor else None
        self.write(
            f"  {'page kind':<20}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'× floor p95':>13}{'target':>8}"
        )
        over = []
        for kind in KIND_ORDER:
            samples = tally.ms.get(kind)
            if not samples:
                continue
            p95 = percentile(samples, 95)
            ratio = p95 / floor_p95 if floor_p95 else float("nan")
            mark = ""
            if targeted and kind != "floor":
                mark = " ok" if ratio <= TARGET_RATIO else " OVER"
                if ratio > TARGET_RATIO:
                    over.append(kind)
            self.write(
                f"  {kind:<20}{len(samples):>6}{percentile(samples, 50):>9.1f}{p95:>9.1f}"
                f"{percentile(samples, 99):>9.1f}{ratio:>13.2f}"
                f"{('≤ ' + str(TARGET_RATIO)) if targeted and kind != 'floor' else '':>8}{mark}"
            )
        for what in tally.notes[:5] + lost[:5]:
            self.write(f"  ! {what}")
        if tally.server_errors:
            self.write("  server log (end):\n" + server.log_tail(1500))
        if targeted:
            self.targets(tally, rate, lost, over)

    def targets(self, tally, rate, lost, over):
        checks = [
            (f"every page kind's p95 ≤ {TARGET_RATIO}× the floor's p95", not over),
            (f"≥ {TARGET_RATE} req/s", rate >= TARGET_RATE),
            ("0 errors", tally.errors == 0),
            ("0 lost writes", not lost),
        ]
        for label, met in checks:
            self.write(f"  target {label}: {'ok' if met else 'OVER'}")
        self.passed = self.passed and tally.errors == 0 and not lost


def parse_levels(text):
    """'20,50' → [20, 50]."""
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or min(levels) < 1:
        raise ValueError(f"--load-users needs positive numbers, got {text!r}")
    return levels
