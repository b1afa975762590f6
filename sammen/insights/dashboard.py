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


def offer_labels() -> dict[str, str]:
    return {
        "never": _("Never offered"),
        "offered": _("Offered, no answer yet"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "reoffered": _("Declined and offered again"),
    }


def build(scope: Scope) -> list[Table]:
    """Every figure of the dashboard for `scope`."""
    load = selectors.load(scope)
    followups = selectors.followup_rows(scope)
    duration = selectors.duration_from(followups, today=scope.today)
    intensity = selectors.intensity_from(followups, scope)
    offers = selectors.offer_status_counts(scope)
    time = selectors.time_by_activity(scope)
    overdue = selectors.overdue_count(scope)
    visits = selectors.visit_status_counts(scope)
    minimums = selectors.minimum_counts(scope)
    relations = [r for r in (Relation.MOTHER, Relation.FATHER, Relation.ADOPTIVE_PARENT)]
    labels = offer_labels()
    offer_rows = []
    for status in OFFER_STATUSES:
        per = [offers.get(r, {}).get(status, 0) for r in relations]
        offer_rows.append([labels[status], *per, sum(per)])
    totals = [sum(row[i + 1] for row in offer_rows) for i in range(len(relations) + 1)]
    offer_rows.append([_("All eligible parents"), *totals])
    tables = [
        Table(
            "load",
            _("Active families per counsellor"),
            [_("Family counsellor"), _("Active families")],
            [[row["counsellor"], row["families"]] for row in load],
            note=_("Cases with a follow-up the counsellor carries now (assigned to paused)."),
            chart=[(row["counsellor"], row["families"]) for row in load],
            chart_unit="families",
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
        ),
        Table(
            "intensity",
            _("Intensity against the frame"),
            [_("Figure"), _("Value")],
            [
                [_("Follow-ups with a frame"), intensity["count"]],
                [_("Below the frame"), intensity["below"]],
                [_("Within the frame (up to 1.5 times)"), intensity["within"]],
                [_("More than 1.5 times the frame"), intensity["above"]],
                [_("Mean contacts per month"), intensity["mean_actual"]],
                [_("Mean frame (contacts per month)"), intensity["mean_frame"]],
            ],
            note=_("Contacts held in the period per month active in the period."),
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
        ),
        Table(
            "time",
            _("Time by activity"),
            [_("Activity"), _("Hours"), _("Share of hours (%)"), _("Kilometres")],
            [[r["label"], r["hours"], r["share"], r["km"]] for r in time["rows"]]
            + [[_("Total"), time["hours"], 100 if time["hours"] else 0, time["km"]]],
            chart=[(r["label"], float(r["hours"])) for r in time["rows"]],
            chart_unit="hours",
        ),
        Table(
            "deadlines",
            _("Overdue deadlines"),
            [_("Figure"), _("Value")],
            [[_("Overdue reminders in your follow-up overview"), overdue]],
            note=_(
                "Today's overdue reminders for the cases you lead; period filters do not apply."
            ),
        ),
    ]
    tables[4:4] = [_visits_table(visits), _minimums_table(minimums)]
    return tables


def _visits_table(counts: dict[str, int]) -> Table:
    rows = [[str(label), counts.get(value, 0)] for value, label in SessionStatus.choices]
    return Table(
        "visits",
        _("Visits"),
        [_("Status"), _("Visits")],
        rows + [[_("Total"), sum(counts.values())]],
        note=_("Visits that start in the period."),
        chart=[(row[0], row[1]) for row in rows],
        chart_unit="visits",
    )


def _minimums_table(counts: dict[str, int]) -> Table:
    labels = {
        "met": _("Minimum met"),
        "on_track": _("On track (enough visits planned)"),
        "falling_short": _("Falling short of the decision"),
        "no_ruling": _("No ruling (by agreement)"),
    }
    rows = [[labels[key], counts[key]] for key in labels]
    return Table(
        "minimums",
        _("Is the decisions' minimum met?"),
        [_("Visitation plans"), _("Plans")],
        rows + [[_("Total"), sum(counts.values())]],
        note=_(
            "Current plans, counted in each plan's current ruling period as of today; "
            "period filters do not apply."
        ),
        chart=[(row[0], row[1]) for row in rows],
        chart_unit="plans",
    )
