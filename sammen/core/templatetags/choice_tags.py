"""The display name of a choice field's value, for lists that show many of them.

`{{ contact.get_place_display }}` translates every choice of the field on each call (Django
builds a hashable copy of all the choices, and hashing a lazy label translates it).
`{{ contact|choice_label:"place" }}` gives the same text and translates only the label shown.
"""

from functools import cache

from django import template
from django.utils.encoding import force_str

register = template.Library()


@cache
def _labels(field) -> dict:
    """The field's choices as {value: label}. The labels stay lazy, so the active language at
    display time decides the text, as with `get_FOO_display`. The fields here have fixed choices.
    """
    return dict(field.flatchoices)


@register.filter
def choice_label(obj, field_name: str):
    """Same as `obj.get_<field_name>_display()`: the label of the value, or the value itself.
    For fields with fixed choices only (the labels are cached per field)."""
    if obj is None or obj == "":
        return ""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return force_str(_labels(field).get(value, value), strings_only=True)
