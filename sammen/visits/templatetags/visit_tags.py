from datetime import datetime, time, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

from sammen.core.wording import number
from sammen.visits import rules
from sammen.visits.choices import OtherContact, Party, Purpose
from sammen.visits.models import VisitPlan, VisitSession
from sammen.visits.ruling_checks import plans_behind_their_ruling
from sammen.visits.selectors import _row, case_plan_rows

register = template.Library()


@register.simple_tag
def case_visit_plans(case, overview=None, today=None):
    """The current plan of each visitor with its minimum count.

    On the case overview, pass the page's `CaseOverview` (`o`): its persons and visitation
    rulings are reused, so the section reads only the plans and the visits of the current
    periods. Without it (e.g. the section rendered on its own) the rows come from
    `case_plan_rows`; both give the same rows. `today`: the page's date (a kept page is keyed
    on it), else the local date now.
    """
    today = today or timezone.localdate()
    if not overview:
        return case_plan_rows(case, today=today)
    return _overview_plan_rows(case, overview.persons, overview.rulings, today)


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _overview_plan_rows(case, persons, rulings, today) -> list:
    """`case_plan_rows` with the page's persons and rulings; visits outside the periods unread.

    `rulings` are every ruling of the case with its decision loaded. Only the visits that can
    fall in the current period of a plan are read, as bare values: the minimum count looks at
    nothing else, so the section's cost does not grow with the case's history.
    """
    # Sorted here, not by the database: compiling an ORDER BY costs more than sorting the
    # case's few plans. Each visitor's newest version first.
    plans = sorted(
        VisitPlan.objects.filter(case=case).order_by(), key=lambda p: (p.visitor_id, -p.number)
    )
    if not plans:
        return []
    people = {p.pk: p for p in persons}
    current = {}
    for plan in plans:
        current.setdefault(plan.visitor_id, plan)
        if plan.visitor_id in people:
            plan.visitor = people[plan.visitor_id]
    windows = []
    for plan in current.values():
        # The terms the minimum is counted on, chosen as `_row` chooses them.
        ruling = rules.effective_ruling(rulings, plan.visitor_id) if plan.ruling_id else None
        terms = ruling or plan
        windows.append(
            rules.window_containing(plan.starts_on, terms.period_length, terms.period_unit, today)
        )
    # A day's margin on each side: the exact local-date test is `minimum_status`'s own.
    sessions = (
        VisitSession.objects.filter(
            plan_id__in=[p.pk for p in plans],
            starts_at__gte=_midnight(min(start for start, _end in windows) - timedelta(days=1)),
            starts_at__lt=_midnight(max(end for _start, end in windows) + timedelta(days=1)),
        )
        .values_list("plan_id", "starts_at", "status", "cancelled_by", named=True)
        .order_by()
    )
    visitor_of = {p.pk: p.visitor_id for p in plans}
    by_visitor = {}
    for session in sessions:
        by_visitor.setdefault(visitor_of[session.plan_id], []).append(session)
    ordered = sorted(current.values(), key=lambda p: (p.visitor.relation, p.visitor_id))
    return [_row(plan, rulings, by_visitor.get(plan.visitor_id, []), today) for plan in ordered]


@register.simple_tag
def plans_behind_ruling(case, overview):
    """The case's current plans checked against an older version of a ruling that no longer
    meet the version in force (visits.ruling_checks). Only a ruling that has changed can leave a
    plan behind, so an overview whose rulings are all at version 1 costs no query."""
    if not any(r.number > 1 for r in overview.rulings):
        return []
    return plans_behind_their_ruling([case.pk])


@register.simple_tag
def plan_labels(plan):
    """The display names of the plan's purposes and other agreed contact."""
    return {
        "purposes": [str(Purpose(p).label) for p in plan.purposes if p in Purpose.values],
        "other_contact": [
            str(OtherContact(c).label) for c in plan.other_contact if c in OtherContact.values
        ],
    }


@register.filter
def party_label(value: str) -> str:
    """The display name of who cancelled, e.g. "foster_home" → "The foster home"."""
    return str(Party(value).label) if value in Party.values else value


# From this many hours' notice on, a cancellation's notice is told in whole days.
NOTICE_IN_DAYS_FROM = 48


@register.filter
def notice(hours, style="short") -> str:
    """How long before the visit it was cancelled: "5 hours before", from two days on in whole
    days ("43 days before", not "1037 hours before"); negative hours: after the start.
    `style` "long" adds "the visit" ("5 hours before the visit")."""
    if hours is None:
        return ""
    long = style == "long"
    if hours < 0:
        n = -hours
        if long:
            text = ngettext(
                "%(n)s hour after the visit started", "%(n)s hours after the visit started", n
            )
        else:
            text = ngettext("%(n)s hour after the start", "%(n)s hours after the start", n)
    elif hours >= NOTICE_IN_DAYS_FROM:
        n = hours // 24
        if long:
            text = ngettext("%(n)s day before the visit", "%(n)s days before the visit", n)
        else:
            text = ngettext("%(n)s day before", "%(n)s days before", n)
    else:
        n = hours
        if long:
            text = ngettext("%(n)s hour before the visit", "%(n)s hours before the visit", n)
        else:
            text = ngettext("%(n)s hour before", "%(n)s hours before", n)
    return text % {"n": number(n)}
