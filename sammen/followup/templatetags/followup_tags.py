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
    followups = list(
        FollowUp.objects.filter(referral__case=case)
        .select_related("referral__counsellor")
        .order_by("pk")
    )
    people = {p.pk: p for p in overview.persons}
    for followup in followups:
        if followup.parent_id in people:
            followup.parent = people[followup.parent_id]
    followups.sort(key=lambda f: f.parent.relation)
    followups.sort(key=lambda f: f.referral.referred_on, reverse=True)
    return followups
