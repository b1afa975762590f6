"""The cases behind each figure of the dashboard: one list per figure and per row.

Every list is read from the very selectors the figure counts with (`selectors`), for the same
`Scope`, so it holds exactly what the figure counts: a line per parent where the figure counts
parents, per plan where it counts plans, per visit, per follow-up, per overdue reminder; per
family (case) of a counsellor for the load, and per case and activity for the time.

These lists are personal data: they are computed on every request and never kept (unlike the
figures' aggregates in `figures.py`).
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sammen.cases.models import ChildCase, Relation
from sammen.core import wording
from sammen.followup.choices import State
from sammen.followup.selectors import reminders_for
from sammen.timelog.models import Activity
from sammen.visits.choices import SessionStatus

from . import dashboard, selectors
from .selectors import OFFER_STATUSES, Scope

FIGURES = ("load", "duration", "intensity", "offers", "visits", "minimums", "time", "deadlines")


@dataclass
class Item:
    """One line of a drill-down: a thing the figure counts, in its case."""

    case_id: int
    what: str  # what makes it count, in words
    rows: frozenset = field(default_factory=frozenset)  # the figure's rows that count it
    order: tuple = ()


@dataclass
class Line:
    """An item as the page shows it, with its case."""

    case: ChildCase
    what: str


@dataclass
class Drill:
    figure: str
    title: str  # the figure's title
    row_label: str  # the row's label; "" for the whole figure
    lines: list[Line]

    @property
    def case_ids(self) -> list[int]:
        return sorted({line.case.pk for line in self.lines})


def _date(day) -> str:
    return formats.date_format(day, "d.m.Y")


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


# Per figure: (the labels of its rows by row key, the items of the whole figure) ------------


def _load(scope: Scope):
    counsellors = {c.pk: str(c) for c in selectors.load_counsellors(scope)}
    states = dict(State.choices)
    parents: dict[tuple[int, int], list[str]] = {}
    rows = selectors.carried_followups(scope).values_list(
        "referral__counsellor_id",
        "referral__case_id",
        "parent__first_name",
        "parent__last_name",
        "state",
    )
    for counsellor_id, case_id, first, last, state in rows.order_by():
        parents.setdefault((counsellor_id, case_id), []).append(
            f"{_name(first, last)} ({states.get(state, state)})"
        )
    items = [
        Item(
            case_id,
            f"{counsellors[counsellor_id]}: {', '.join(sorted(names))}",
            frozenset({str(counsellor_id)}),
            (counsellors[counsellor_id],),
        )
        for (counsellor_id, case_id), names in parents.items()
    ]
    return {str(pk): name for pk, name in counsellors.items()}, items


def _followups(scope: Scope):
    return selectors.active_followups(scope).values_list(
        "referral__case_id",
        "parent__first_name",
        "parent__last_name",
        "started_on",
        "closed_on",
        "contacts_per_month",
        "n",
    )


def _duration(scope: Scope):
    items = []
    for case_id, first, last, started, closed, _frame, _n in _followups(scope):
        months = wording.number(round(selectors.months_between(started, closed or scope.today), 1))
        values = {"parent": _name(first, last), "start": _date(started), "months": months}
        if closed:
            what = _("%(parent)s: from %(start)s to %(end)s (%(months)s months)") % {
                **values,
                "end": _date(closed),
            }
        else:
            what = _("%(parent)s: since %(start)s, still open (%(months)s months)") % values
        items.append(Item(case_id, what, order=(started,)))
    return {"": _("Follow-ups active in the period")}, items


def _intensity(scope: Scope):
    labels = dashboard.intensity_labels()
    items = []
    for case_id, first, last, started, closed, frame, n in _followups(scope):
        band = selectors.intensity_band(started, closed, frame, n, scope)
        if band is None:
            continue
        key, per_month = band
        what = _(
            "%(parent)s: %(actual)s contacts a month against a frame of %(frame)s (%(band)s)"
        ) % {
            "parent": _name(first, last),
            "actual": wording.number(round(per_month, 1)),
            "frame": wording.number(frame),
            "band": labels[key],
        }
        items.append(Item(case_id, what, frozenset({key})))
    return labels, items


def _offers(scope: Scope):
    labels = dashboard.offer_labels()
    relations = dict(Relation.choices)
    rows = dict(labels)
    for status in OFFER_STATUSES:
        for relation in dashboard.OFFER_RELATIONS:
            rows[f"{status}-{relation.value}"] = f"{labels[status]} – {relation.label}"
    items = [
        Item(
            case_id,
            f"{_name(first, last)} ({relations.get(relation, relation)}): {labels[status]}",
            frozenset({status, f"{status}-{relation}"}),
            (relation,),
        )
        for case_id, first, last, relation, status in selectors.offer_parents(scope)
        .values_list("case_id", "first_name", "last_name", "relation", "status")
        .order_by()
    ]
    return rows, items


def _visits(scope: Scope):
    labels = dict(SessionStatus.choices)
    zone = timezone.get_current_timezone()
    rows = selectors.visit_sessions(scope).values_list(
        "plan__case_id",
        "starts_at",
        "status",
        "plan__visitor__first_name",
        "plan__visitor__last_name",
    )
    items = []
    for case_id, starts_at, status, first, last in rows.order_by():
        try:
            local = starts_at.astimezone(zone)
        except (OverflowError, ValueError):  # a stored moment at the calendar's end
            local = starts_at
        what = _("%(when)s, %(visitor)s: %(status)s") % {
            "when": formats.date_format(local, "d.m.Y H:i"),
            "visitor": _name(first, last),
            "status": labels.get(status, status),
        }
        items.append(Item(case_id, what, frozenset({status}), (local,)))
    return {key: str(label) for key, label in labels.items()}, items


def _minimums(scope: Scope):
    from sammen.visits.models import VisitPlan

    labels = dashboard.minimum_labels()
    plans = selectors.minimum_plans(scope)
    of_plan = {
        pk: (case_id, _name(first, last))
        for pk, case_id, first, last in VisitPlan.objects.filter(
            pk__in=[p.row.plan.pk for p in plans]
        )
        .order_by()
        .values_list("pk", "case_id", "visitor__first_name", "visitor__last_name")
    }
    items = []
    for p in plans:
        case_id, visitor = of_plan[p.row.plan.pk]
        minimum = p.row.minimum
        if p.key == "no_ruling":
            what = _("Plan for %(visitor)s: no ruling sets a minimum") % {"visitor": visitor}
        elif p.behind is not None:
            what = _(
                "Plan for %(visitor)s: made under version %(checked)s of the ruling, which "
                "version %(current)s refuses: %(refusals)s"
            ) % {
                "visitor": visitor,
                "checked": p.behind.checked_number,
                "current": p.behind.current_number,
                "refusals": " ".join(p.behind.refusals),
            }
        else:
            what = _(
                "Plan for %(visitor)s: %(held)s of %(required)s visits held and %(planned)s "
                "planned in the period %(start)s–%(end)s"
            ) % {
                "visitor": visitor,
                "held": minimum.held,
                "required": minimum.required,
                "planned": minimum.planned,
                "start": _date(minimum.window_start),
                "end": _date(minimum.last_day),
            }
        items.append(Item(case_id, what, frozenset({p.key}), (visitor,)))
    return labels, items


def _time(scope: Scope):
    from django.db.models import Sum

    labels = {value: str(label) for value, label in Activity.choices}
    rows = (
        selectors.time_entries(scope)
        .values("case_id", "activity")
        .annotate(hours=Sum("hours"), km=Sum("km"))
        .order_by()
        .values_list("case_id", "activity", "hours", "km")
    )
    items = [
        Item(
            case_id,
            _("%(activity)s: %(hours)s, %(km)s km")
            % {
                "activity": labels.get(activity, activity),
                "hours": wording.hours_text(hours or 0),
                "km": wording.number(km or 0),
            },
            frozenset({activity}),
            (labels.get(activity, activity),),
        )
        for case_id, activity, hours, km in rows
    ]
    return labels, items


def _deadlines(scope: Scope):
    """The overdue reminders `overdue_counts` counts: `reminders_for` gives the same ones
    (`followup.selectors.overdue_counts` says so), so a new kind of reminder shows here too.
    Reminders that carry their `kind` can be listed kind by kind."""
    items = []
    kinds = set()
    for reminder in reminders_for(scope.user, today=scope.today):
        if not reminder.is_overdue(scope.today) or reminder.case_id is None:
            continue
        kind = getattr(reminder, "kind", "")
        kinds.add(kind)
        what = _("%(reminder)s (due %(due)s)") % {
            "reminder": reminder.text,
            "due": _date(reminder.due),
        }
        items.append(
            Item(reminder.case_id, what, frozenset({kind} if kind else ()), (reminder.due,))
        )
    labels = dashboard.overdue_labels()
    return {kind: labels.get(kind, kind) for kind in kinds if kind}, items


READERS = {
    "load": _load,
    "duration": _duration,
    "intensity": _intensity,
    "offers": _offers,
    "visits": _visits,
    "minimums": _minimums,
    "time": _time,
    "deadlines": _deadlines,
}


def titles() -> dict[str, str]:
    """Each figure's title, as the dashboard heads it."""
    return {
        "load": _("Active families per counsellor"),
        "duration": _("Duration of follow-ups"),
        "intensity": _("Intensity against the frame"),
        "offers": _("Equal offer: parents of children placed outside the home"),
        "visits": _("Visits"),
        "minimums": _("Is the decisions' minimum met?"),
        "time": _("Time by activity"),
        "deadlines": _("Overdue deadlines"),
    }


def drill(scope: Scope, figure: str, row: str = "") -> Drill:
    """The lines behind `figure` (its `row`, or the whole figure for ""); 404 for a figure or
    row the dashboard does not have. Two queries for the cases besides the figure's own."""
    if figure not in READERS:
        raise Http404
    rows, items = READERS[figure](scope)
    if row:
        if row not in rows:
            raise Http404
        items = [item for item in items if row in item.rows]
    cases = {
        case.pk: case
        for case in ChildCase.objects.filter(pk__in={item.case_id for item in items})
        .select_related("section", "caseworker")
        .prefetch_related("counsellors")
        .order_by()
    }
    items.sort(key=lambda item: (cases[item.case_id].reference, item.order, item.what))
    lines = [Line(cases[item.case_id], item.what) for item in items]
    return Drill(figure, titles()[figure], rows.get(row, "") if row else "", lines)
