from django import template
from django.utils import timezone

from sammen.visits.choices import OtherContact, Party, Purpose
from sammen.visits.selectors import case_plan_rows

register = template.Library()


@register.simple_tag
def case_visit_plans(case):
    """The current plan of each visitor with its minimum count (three queries)."""
    return case_plan_rows(case, today=timezone.localdate())


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
