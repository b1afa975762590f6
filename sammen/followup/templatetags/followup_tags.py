from django import template

from sammen.followup.models import FollowUp

register = template.Library()


@register.simple_tag
def case_followups(case):
    """The case's follow-ups of parents, newest referral first (one query)."""
    return list(
        FollowUp.objects.filter(referral__case=case)
        .select_related("parent", "referral__counsellor")
        .order_by("-referral__referred_on", "parent__relation")
    )
