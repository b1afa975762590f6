from django import template

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
