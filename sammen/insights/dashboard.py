"""The dashboard's figures as named tables: the page, its charts and the exports show the same."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sammen.cases.models import Relation
from sammen.visits.choices import SessionStatus

from . import selectors
from .selectors import OFFER_STATUSES, Scope


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    note: str = ""
    chart: list[tuple[str, float]] | None = None  # (label, value) for the bar chart
    chart_unit: str = ""  # a key of `charts.count_text`: "families", "parents", "hours", …
    # Per row: the drill-down it links to, as (row, number of lines the list has), the row ""
    # for the whole figure (`drilldown.drill`); None for a row that counts no cases.
    drills: list[tuple[str, int | None] | None] | None = None
    # Per (row index, cell index) of a cell that links to a drill-down of its own.
    cell_drills: dict[tuple[int, int], tuple[str, int]] | None = None


OFFER_RELATIONS = (Relation.MOTHER, Relation.FATHER, Relation.ADOPTIVE_PARENT)


def offer_labels() -> dict[str, str]:
    return {
        "never": _("Never offered"),
        "offered": _("Offered, no answer yet"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "reoffered": _("Declined and offered again"),
    }


def minimum_labels() -> dict[str, str]:
    return {
        "met": _("Minimum met"),
        "on_track": _("On track (enough visits planned)"),
        "falling_short": _("Falling short of the decision"),
        "no_ruling": _("No ruling (by agreement)"),
    }


def intensity_labels() -> dict[str, str]:
    return {
        "": _("Follow-ups with a frame"),
        "below": _("Below the frame"),
        "within": _("Within the frame (up to 1.5 times)"),
        "above": _("More than 1.5 times the frame"),
    }


def overdue_labels() -> dict[str, str]:
    """The kinds of overdue reminder (`followup.selectors.OVERDUE_KINDS`), in words."""
    return {
        "first_conversation": _("Conversation after the placement"),
        "reoffer": _("Offer of follow-up again"),
        "report": _("Reports"),
        "frame_review": _("Review of the frame"),
        "aftercare": _("End of aftercare"),
        "after_lifting": _("Follow-up after a care order is lifted"),
        "emergency_petition": _("Care-order petition after an emergency placement"),
        "final_care_plan": _("Final care plan"),
    }


def build(scope: Scope) -> list[Table]:
    """Every figure of the dashboard for `scope`."""
    load = selectors.load(scope)
    followups = selectors.followup_rows(scope)
    duration = selectors.duration_from(followups, today=scope.today)
    intensity = selectors.intensity_from(followups, scope)
    offers = selectors.offer_status_counts(scope)
    time = selectors.time_by_activity(scope)
    overdue = selectors.overdue_by_kind(scope)
    visits = selectors.visit_status_counts(scope)
    minimums = selectors.minimum_counts(scope)
    relations = list(OFFER_RELATIONS)
    labels = offer_labels()
    offer_rows = []
    offer_cells = {}
    for i, status in enumerate(OFFER_STATUSES):
        per = [offers.get(r, {}).get(status, 0) for r in relations]
        offer_rows.append([labels[status], *per, sum(per)])
        for j, (relation, n) in enumerate(zip(relations, per, strict=True)):
            if n:
                offer_cells[i, j] = (f"{status}-{relation.value}", n)
    totals = [sum(row[i + 1] for row in offer_rows) for i in range(len(relations) + 1)]
    offer_rows.append([_("All eligible parents"), *totals])
    with_frame = intensity_labels()
    tables = [
        Table(
            "load",
            _("Active families per counsellor"),
            [_("Family counsellor"), _("Active families")],
            [[row["counsellor"], row["families"]] for row in load],
            note=_("Cases with a follow-up the counsellor carries now (assigned to paused)."),
            chart=[(row["counsellor"], row["families"]) for row in load],
            chart_unit="families",
            drills=[(str(row["pk"]), row["families"]) for row in load],
        ),
        Table(
            "duration",
            _("Duration of follow-ups"),
            [_("Figure"), _("Value")],
            [
                [_("Follow-ups active in the period"), duration["count"]],
                [_("Median duration (months)"), duration["median"]],
                [_("Mean duration (months)"), duration["mean"]],
            ],
            note=_("From start to closure, or to today if still open; a month is 30.44 days."),
            drills=[("", duration["count"]), None, None],
        ),
        Table(
            "intensity",
            _("Intensity against the frame"),
            [_("Figure"), _("Value")],
            [
                [with_frame[""], intensity["count"]],
                [with_frame["below"], intensity["below"]],
                [with_frame["within"], intensity["within"]],
                [with_frame["above"], intensity["above"]],
                [_("Mean contacts per month"), intensity["mean_actual"]],
                [_("Mean frame (contacts per month)"), intensity["mean_frame"]],
            ],
            note=_("Contacts held in the period per month active in the period."),
            drills=[
                ("", intensity["count"]),
                *[(band, intensity[band]) for band in ("below", "within", "above")],
                None,
                None,
            ],
        ),
        Table(
            "offers",
            _("Equal offer: parents of children placed outside the home"),
            [_("Offer"), *[str(r.label) for r in relations], _("Total")],
            offer_rows,
            note=_(
                "Parents in open cases with a placement today or heading for the tribunal; "
                "status today. The counsellor filter does not apply."
            ),
            chart=[(row[0], row[-1]) for row in offer_rows[:-1]],
            chart_unit="parents",
            drills=[(status, offer_rows[i][-1]) for i, status in enumerate(OFFER_STATUSES)]
            + [("", offer_rows[-1][-1])],
            cell_drills=offer_cells,
        ),
        Table(
            "time",
            _("Time by activity"),
            [_("Activity"), _("Hours"), _("Share of hours (%)"), _("Kilometres")],
            [[r["label"], r["hours"], r["share"], r["km"]] for r in time["rows"]]
            + [[_("Total"), time["hours"], 100 if time["hours"] else 0, time["km"]]],
            chart=[(r["label"], float(r["hours"])) for r in time["rows"]],
            chart_unit="hours",
            drills=[(r["activity"], r["cases"]) for r in time["rows"]] + [("", None)],
        ),
        Table(
            "deadlines",
            _("Overdue deadlines"),
            [_("Deadline"), _("Overdue")],
            [[label, overdue.get(kind, 0)] for kind, label in overdue_labels().items()]
            + [[_("Overdue reminders in your follow-up overview"), sum(overdue.values())]],
            note=_(
                "Today's overdue reminders for the cases you lead; period filters do not apply."
            ),
            drills=[
                (kind, overdue[kind]) if overdue.get(kind) else None for kind in overdue_labels()
            ]
            + [("", sum(overdue.values()))],
        ),
    ]
    tables[4:4] = [_visits_table(visits), _minimums_table(minimums)]
    return tables


def _visits_table(counts: dict[str, int]) -> Table:
    rows = [[str(label), counts.get(value, 0)] for value, label in SessionStatus.choices]
    total = sum(counts.values())
    return Table(
        "visits",
        _("Visits"),
        [_("Status"), _("Visits")],
        rows + [[_("Total"), total]],
        note=_("Visits that start in the period."),
        chart=[(row[0], row[1]) for row in rows],
        chart_unit="visits",
        drills=[(value, counts.get(value, 0)) for value in SessionStatus.values] + [("", total)],
    )


def _minimums_table(counts: dict[str, int]) -> Table:
    labels = minimum_labels()
    rows = [[labels[key], counts[key]] for key in labels]
    total = sum(counts.values())
    return Table(
        "minimums",
        _("Is the decisions' minimum met?"),
        [_("Visitation plans"), _("Plans")],
        rows + [[_("Total"), total]],
        note=_(
            "Current plans, counted in each plan's current ruling period as of today; "
            "period filters do not apply."
        ),
        chart=[(row[0], row[1]) for row in rows],
        chart_unit="plans",
        drills=[(key, counts[key]) for key in labels] + [("", total)],
    )
