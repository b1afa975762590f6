"""Numbers and counts in words, in the active language.

`number()` writes a number the language's way ("2,5", "10 000" in Norwegian, with a narrow
no-break space as `core.forms.grouped`); `frequency_text()` words a visit frequency ("every
other week", "once a month", "twice a month"), with a numeric fallback for unusual ones.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def tidy(value):
    """A decimal without trailing zeros, so 5.50 (PostgreSQL) and 5.5 (SQLite) read the same."""
    if not isinstance(value, Decimal):
        return value
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def number(value, places: int | None = None) -> str:
    """`value` in the active language with its thousands grouped: 2.5 → "2,5", 10000 →
    "10 000" (U+202F) in bokmål and nynorsk, "2.5" and "10,000" in English. Decimals are
    shown as stored, without trailing zeros, unless `places` fixes them. None → "–"."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and places is None:
        value = Decimal(repr(value))
    text = formats.number_format(tidy(value), decimal_pos=places, force_grouping=True)
    return text.replace("\xa0", "\u202f")


def _every_nth(length: int, unit: str) -> str:
    if length == 2:
        return {
            "week": _("every other week"),
            "month": _("every other month"),
            "year": _("every other year"),
        }[unit]
    return {
        "week": _("every %(n)s weeks"),
        "month": _("every %(n)s months"),
        "year": _("every %(n)s years"),
    }[unit] % {"n": length}


def frequency_text(visits: int, period_length: int, period_unit: str) -> str:
    """A visit frequency in words: 1 per 1 week → "every week", 1 per 2 weeks → "every other
    week", 1 per 1 month → "once a month", 2 per 1 month → "twice a month", 3 per 1 month →
    "3 times a month"; anything else numerically, e.g. 3 per 2 months → "3 times per 2 months".
    """
    if visits == 1 and period_length == 1:
        return {"week": _("every week"), "month": _("once a month"), "year": _("once a year")}[
            period_unit
        ]
    if visits == 1:
        return _every_nth(period_length, period_unit)
    if period_length == 1:
        if visits == 2:
            return {
                "week": _("twice a week"),
                "month": _("twice a month"),
                "year": _("twice a year"),
            }[period_unit]
        return {
            "week": _("%(n)s times a week"),
            "month": _("%(n)s times a month"),
            "year": _("%(n)s times a year"),
        }[period_unit] % {"n": visits}
    return {
        "week": _("%(visits)s times per %(length)s weeks"),
        "month": _("%(visits)s times per %(length)s months"),
        "year": _("%(visits)s times per %(length)s years"),
    }[period_unit] % {"visits": visits, "length": period_length}


def plural_n(value) -> int:
    """The count that picks a plural form for `value`: itself when whole, else 2 ("1,5 hours"
    takes the plural in bokmål, nynorsk and English; gettext wants an integer)."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else 2


def hours_text(value) -> str:
    """A number of hours with its noun: "1 hour", "2,5 hours" ("1 time", "2,5 timer")."""
    return ngettext("%(n)s hour", "%(n)s hours", plural_n(value)) % {"n": number(value)}
