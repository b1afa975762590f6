"""Numbers, counts and frequencies for templates, in the active language.

`{{ entry.hours|number }}` → "2,5"; `{{ total|number }}` → "10 000" (U+202F) in Norwegian;
`{{ plan|frequency }}` → "every other week" (a plan or ruling: visits per period_length
period_unit).
"""

from django import template

from sammen.core import wording

register = template.Library()


@register.filter
def number(value, places=None):
    """A number with decimal comma and grouped thousands in Norwegian; None → "–"."""
    return wording.number(value, None if places in (None, "") else int(places))


@register.filter
def frequency(terms) -> str:
    """The frequency of a visitation plan or ruling in words ("once a month")."""
    if terms is None:
        return ""
    return wording.frequency_text(terms.visits, terms.period_length, terms.period_unit)


@register.filter
def hours(value) -> str:
    """A number of hours with the noun in the right form: "1 time", "2,5 timer"."""
    if value is None or value == "":
        return "–"
    return wording.hours_text(value)
