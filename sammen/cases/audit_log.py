"""The access log as people read it: "Barnesak BV-2022-0001", "Samværsplan, versjon 2",
actions and reasons in the reader's language.

The log itself stores codes (`object_type` "visits.VisitPlan", reason "approved"), so it stays
the same whatever language wrote it; this module turns a page of rows into text. Objects are
looked up with one query per kind of record on the page, never one per row.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class LogRow:
    event: object
    record: str
    reason: str


def _plan(plan) -> str:
    return _("version %(number)s") % {"number": plan.number}


def _period(report) -> str:
    return f"{report.period_start:%d.%m.%Y}–{report.period_end:%d.%m.%Y}"


# What names a record within its kind, beside the kind's name. Kinds not listed show only
# their name: the case's own page links to the record itself.
NAMES = {
    "cases.ChildCase": lambda case: case.reference,
    "cases.Person": lambda person: person.full_name,
    "visits.VisitPlan": _plan,
    "visits.VisitReport": _period,
    "followup.FollowUpReport": _period,
    "followup.FollowUp": lambda followup: followup.parent.full_name,
    "visits.VisitSession": lambda session: f"{session.starts_at:%d.%m.%Y %H:%M}",
}
SELECT = {"followup.FollowUp": ("parent",)}

REASONS = {
    "approved": lambda: _("approved"),
    "returned": lambda: _("returned to the caseworker"),
    "assigned": lambda: _("assigned to a family counsellor"),
    "resubmitted": lambda: _("sent again"),
    "reviewed with parent": lambda: _("gone through with the parent"),
    "held": lambda: _("recorded as held"),
    "moved": lambda: _("moved"),
    "team": lambda: _("team changed"),
    "calendar address renewed": lambda: _("calendar address renewed"),
}


def _choice_label(label: str, field: str, value: str) -> str:
    try:
        choices = dict(apps.get_model(label)._meta.get_field(field).flatchoices)
    except LookupError:
        return value
    return str(choices.get(value, value))


def readable_reason(reason: str) -> str:
    """A reason code of the services in words; free text (an access grant's reason) as typed."""
    if reason in REASONS:
        return REASONS[reason]()
    if reason in ("cancelled", "no_show"):
        return _choice_label("visits.VisitSession", "status", reason)
    if match := re.fullmatch(r"closed: (\w+)", reason):
        label = _choice_label("followup.FollowUp", "closure_reason", match[1])
        return _("closed: %(reason)s") % {"reason": label}
    if match := re.fullmatch(r"version (\d+)", reason):
        return _("version %(number)s") % {"number": match[1]}
    if match := re.fullmatch(r"scheduled (\d+) visits", reason):
        n = int(match[1])
        return ngettext("%(n)s visit scheduled", "%(n)s visits scheduled", n) % {"n": n}
    if match := re.fullmatch(r"plan for (\w+)", reason):
        recipient = _recipient(match[1])
        return _("plan for: %(recipient)s") % {"recipient": recipient}
    return reason


def _recipient(code: str) -> str:
    from sammen.visits.choices import Recipient  # visits builds on cases: imported when used

    return str(dict(Recipient.choices).get(code, code))


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _records(events) -> dict[tuple[str, str], object]:
    wanted = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id.isdigit():
            wanted[event.object_type].add(int(event.object_id))
    found = {}
    for label, ids in wanted.items():
        model = _model(label)
        if model is None:
            continue
        rows = model._base_manager.select_related(*SELECT.get(label, ())).in_bulk(ids)
        found.update({(label, str(pk)): obj for pk, obj in rows.items()})
    return found


def describe(events) -> list[LogRow]:
    """The rows of one page of the log, each with its record and reason in words."""
    events = list(events)
    records = _records(events)
    rows = []
    for event in events:
        rows.append(LogRow(event, _record_text(event, records), readable_reason(event.reason)))
    return rows


def _record_text(event, records) -> str:
    if not event.object_type:
        return ""
    model = _model(event.object_type)
    if model is None:
        return event.object_type
    kind = capfirst(str(model._meta.verbose_name))
    obj = records.get((event.object_type, event.object_id))
    if obj is None:
        return _("%(kind)s (deleted)") % {"kind": kind}
    name = NAMES.get(event.object_type)
    if name is None:
        return kind
    if event.object_type == "visits.VisitPlan":
        return f"{kind}, {name(obj)}"
    return f"{kind} {name(obj)}"
