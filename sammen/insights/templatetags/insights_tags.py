from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def nok(value, places=0):
    """A number the Norwegian way, e.g. 530495.0 → "530 495", 6.0 with 2 places → "6,00"."""
    if value is None or value == "":
        return "–"
    places = int(places)
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return text.replace(",", "\u00a0").replace(".", ",")
