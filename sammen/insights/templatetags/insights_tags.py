from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def nok(value, places=0):
    """A number the Norwegian way, e.g. 530495.0 → "530 495", 6.0 with 2 places → "6,00";
    thousands grouped with a narrow no-break space (U+202F), as `core.wording.number`."""
    if value is None or value == "":
        return "–"
    places = int(places)
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return text.replace(",", "\u202f").replace(".", ",")


@register.filter
def tidy(value):
    """A decimal without trailing zeros, so 5.50 (PostgreSQL) and 5.5 (SQLite) read the same."""
    if not isinstance(value, Decimal):
        return value
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal
