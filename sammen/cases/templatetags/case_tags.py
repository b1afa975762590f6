from django import template

from sammen.cases.models import PlacementKind
from sammen.core.templatetags.choice_tags import choice_label

register = template.Library()


@register.filter
def placement_kind_label(value: str) -> str:
    """The display name of a placement kind code, e.g. "care_order" → "Care order"."""
    try:
        return PlacementKind(value).label
    except ValueError:
        return ""


@register.filter
def relation_label(person) -> str:
    """`person.relation_label` at a fraction of its cost: the relation's label through
    `choice_label` (which translates only the label shown), with the detail if any."""
    label = choice_label(person, "relation")
    return f"{label} ({person.relation_detail})" if person.relation_detail else label
