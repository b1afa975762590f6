from django import template

from sammen.cases.models import PlacementKind

register = template.Library()


@register.filter
def placement_kind_label(value: str) -> str:
    """The display name of a placement kind code, e.g. "care_order" → "Care order"."""
    try:
        return PlacementKind(value).label
    except ValueError:
        return ""
