from django import template
from django.utils.dates import WEEKDAYS
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from sammen.core.deadlines import out_of_range
from sammen.followup.models import FollowUp

register = template.Library()


@register.simple_tag
def case_followups(case, overview=None):
    """The case's follow-ups of parents, newest referral first (one query).

    On the case overview, pass the page's `CaseOverview` (`o`): the parents are taken from its
    persons instead of being joined in.
    """
    if not overview:
        return list(
            FollowUp.objects.filter(referral__case=case)
            .select_related("parent", "referral__counsellor")
            .order_by("-referral__referred_on", "parent__relation")
        )
    # Sorted in Python, from the id up: cheaper than an ORDER BY for a case's few rows.
    followups = sorted(
        FollowUp.objects.filter(referral__case=case)
        .select_related("referral__counsellor")
        .order_by(),
        key=lambda f: f.pk,
    )
    people = {p.pk: p for p in overview.persons}
    for followup in followups:
        if followup.parent_id in people:
            followup.parent = people[followup.parent_id]
    followups.sort(key=lambda f: f.parent.relation)
    followups.sort(key=lambda f: f.referral.referred_on, reverse=True)
    return followups


@register.filter
def day_month_year(day) -> str:
    """A date as "dd.mm.yyyy", the same text as `|date:"d.m.Y"` at a fraction of its cost (the
    `date` filter goes through the locale's formats and a format parser on every call), for
    lists that show dozens of dates."""
    if not day:
        return ""
    return f"{day.day:02}.{day.month:02}.{day.year:04}"


@register.filter
def day_month(day) -> str:
    """A date as "dd.mm.", the same text as `|date:"d.m."`; see `day_month_year`."""
    if not day:
        return ""
    return f"{day.day:02}.{day.month:02}."


@register.filter
def weekday_day_month(day) -> str:
    """A date as "Monday 05.01." in the active language, the text of `|date:"l d.m."` (the
    weekday's name is the same translated `WEEKDAYS` entry); see `day_month_year`."""
    if not day:
        return ""
    return f"{WEEKDAYS[day.weekday()]} {day.day:02}.{day.month:02}."


@register.simple_tag
def reminder_rows(reminders, today) -> list[dict]:
    """The reminders as `_reminders.html` lists them, every text made once per list instead of
    by template tags per row: whether each is overdue, its due date, and the note of a deadline
    moved off a weekend or holiday (the text `{% blocktranslate %}` gives, its values escaped).
    """
    moved = gettext("moved from %(day)s, %(why)s")
    invalid = gettext("invalid date (check the dates recorded)")
    return [
        {
            "overdue": r.due < today and not out_of_range(r.due),
            "due": invalid if out_of_range(r.due) else day_month_year(r.due),
            "url": r.url,
            "text": r.text,
            "moved": mark_safe(  # noqa: S308 # nosec B308 B703 # values escaped, as blocktranslate does
                moved % {"day": escape(day_month(r.moved_from)), "why": escape(r.moved_because)}
            )
            if r.moved_from
            else "",
        }
        for r in reminders
    ]
