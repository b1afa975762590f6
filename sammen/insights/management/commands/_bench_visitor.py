"""One signed-in staff member of the load phase: what they do in a loop, and what they saw.

Reads are the pages users open most; writes go through the real forms (the form is fetched,
every field sent back as rendered, a few changed), so CSRF, the hidden `expected_version` and
the form's validation all take part. A write the server confirmed (a redirect after the POST)
is written down with the value sent, to be looked up in the database afterwards.
"""

import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from sammen.timelog.models import Activity

from ._bench_http import form_with

# The message of core.models.ConcurrentEditError, shown on the form when a save is refused.
CONFLICT = "Someone else changed this while you were editing. Your changes were not saved."
KIND_ORDER = (
    "floor",
    "case list",
    "case overview",
    "counsellor's week",
    "dashboard",
    "person form",
    "person save",
    "contact form",
    "contact save",
    "time form",
    "time save",
)
ACTIONS = {
    "caseworker": {"floor": 2, "case list": 2, "overview": 4, "person": 2},
    "counsellor": {"floor": 2, "week": 3, "overview": 2, "contact": 1, "time": 1, "person": 1},
    "leader": {"floor": 2, "dashboard": 3, "case list": 2, "overview": 2},
}


def conflict_messages():
    with translation.override(settings.LANGUAGE_CODE):
        return {CONFLICT, str(translation.gettext(CONFLICT))}


@dataclass
class Paths:
    floor: str
    case_list: str
    week: str
    dashboard: str
    time_entry: str

    @classmethod
    def resolve(cls):
        return cls(
            reverse("core:floor"),
            reverse("cases:list"),
            reverse("followup:my_week"),
            reverse("insights:dashboard"),
            reverse("timelog:add"),
        )


@dataclass
class Tally:
    """What one user saw during one level (merged across users by the load phase)."""

    ms: dict = field(default_factory=dict)  # kind -> [milliseconds]
    server_errors: int = 0  # 5xx
    failures: int = 0  # no answer (connection refused or reset, timeout)
    wrong: int = 0  # other wrong answers (a page refused, a form not saved for another reason)
    notes: list = field(default_factory=list)  # the first few problems, described
    refusals: int = 0  # optimistic-lock refusals (fine)
    writes: list = field(default_factory=list)  # confirmed writes, to look up afterwards

    def merge(self, other):
        for kind, samples in other.ms.items():
            self.ms.setdefault(kind, []).extend(samples)
        self.server_errors += other.server_errors
        self.failures += other.failures
        self.wrong += other.wrong
        self.notes += other.notes[: max(0, 20 - len(self.notes))]
        self.refusals += other.refusals
        self.writes += other.writes

    @property
    def requests(self):
        return sum(len(samples) for samples in self.ms.values())

    @property
    def errors(self):
        return self.server_errors + self.failures + self.wrong


class Visitor:
    def __init__(self, staff, browser, paths, seed):
        self.staff, self.browser, self.paths = staff, browser, paths
        self.rng = random.Random(seed)
        self.conflicts = conflict_messages()
        self.tally = Tally()
        actions = ACTIONS[staff.kind]
        self.actions, self.weights = list(actions), list(actions.values())

    # --- requests ---------------------------------------------------------------------

    def call(self, kind, method, path, fields=None):
        """One request, timed under `kind`; None when the server gave no answer."""
        try:
            answer = self.browser.request(method, path, fields)
        except OSError as error:
            self.tally.failures += 1
            self.note(f"{kind} {path}: no answer ({type(error).__name__})", wrong=False)
            return None
        self.tally.ms.setdefault(kind, []).append(answer.ms)
        if answer.status >= 500:
            self.tally.server_errors += 1
            self.note(f"{kind} {path}: {answer.status}", wrong=False)
        return answer

    def note(self, what, wrong=True):
        self.tally.wrong += wrong
        if len(self.tally.notes) < 20:
            self.tally.notes.append(what)

    def read(self, kind, path):
        answer = self.call(kind, "GET", path)
        if answer is not None and answer.status != 200:
            if answer.status < 500:
                self.note(f"{kind} {path}: {answer.status} {answer.location}")
            return None
        return answer

    def submit(self, name, path, field, changes, remember):
        """Fetch the form at `path`, change some fields, post it back."""
        page = self.read(f"{name} form", path)
        if page is None:
            return
        fields = form_with(page.body, field)
        if fields is None:
            self.note(f"{name} form {path}: no form with {field}")
            return
        fields.update({key: [str(value)] for key, value in changes.items()})
        answer = self.call(f"{name} save", "POST", path, fields)
        if answer is None or answer.status >= 500:
            return
        if answer.status == 302:
            self.tally.writes.append(remember(fields))
        elif answer.status == 200 and any(m in answer.text() for m in self.conflicts):
            self.tally.refusals += 1
        else:
            self.note(f"{name} save {path}: {answer.status} {answer.location}".strip())

    # --- what users do ------------------------------------------------------------------

    def marker(self):
        return f"bench {secrets.token_hex(8)}"

    def edit_person(self):
        phone = self.marker()
        self.submit(
            "person",
            self.staff.person_path,
            "expected_version",
            {"phone": phone},
            lambda fields: (
                "person",
                self.staff.person_id,
                int(fields["expected_version"][0] or 0) + 1,
                phone,
            ),
        )

    def add_contact(self):
        notes, minutes = self.marker(), self.rng.choice([30, 45, 60, 90])
        changes = {
            "held_on": timezone.localdate().isoformat(),
            "with_whom": "parent",
            "place": "home",
            "method": "conversation",
            "minutes": minutes,
            "notes": notes,
        }
        self.submit(
            "contact",
            self.staff.contact_path,
            "minutes",
            changes,
            lambda _: ("contact", notes, self.staff.followup_id, minutes),
        )

    def log_time(self):
        note, hours = self.marker(), self.rng.choice(["0.5", "1.0", "1.5", "2.0"])
        changes = {
            "case": self.staff.case_id,
            "worked_on": timezone.localdate().isoformat(),
            "activity": self.rng.choice([a.value for a in Activity]),
            "hours": hours,
            "km": "0",
            "note": note,
        }
        self.submit(
            "time",
            self.paths.time_entry,
            "hours",
            changes,
            lambda _: ("time", note, self.staff.case_id, hours),
        )

    def act(self, action):
        if action == "floor":
            self.read("floor", self.paths.floor)
        elif action == "case list":
            self.read("case list", self.paths.case_list)
        elif action == "overview" and self.staff.overview_paths:
            self.read("case overview", self.rng.choice(self.staff.overview_paths))
        elif action == "week":
            self.read("counsellor's week", self.paths.week)
        elif action == "dashboard":
            self.read("dashboard", self.paths.dashboard)
        elif action == "person":
            self.edit_person()
        elif action == "contact":
            self.add_contact()
        elif action == "time":
            self.log_time()

    def run(self, deadline, max_actions, clock):
        """Act until `deadline` (by `clock`) or `max_actions`, whichever comes first."""
        for _ in range(max_actions):
            if clock() >= deadline:
                return
            self.act(self.rng.choices(self.actions, self.weights)[0])
