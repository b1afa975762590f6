"""Server-side bar charts: geometry for an inline SVG drawn by the template.

Every number the SVG prints is formatted here, once per bar, so that the template only
writes out strings (template filters in a loop cost more than the figures' arithmetic).
"""

from django.utils.text import Truncator
from django.utils.translation import ngettext

from sammen.core import wording

BAR = 26
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 380
LABEL_CHARS = 34  # longer labels are cut with an ellipsis; the table below has them in full


def count_text(value, unit: str) -> str:
    """A bar's value with its unit, in the plural form the count takes: "1 parent", "2 parents",
    "2,5 hours". `unit` is a `dashboard.Table.chart_unit` key; an unknown one gives the number."""
    n = wording.plural_n(value)
    forms = {
        "families": ngettext("%(n)s family", "%(n)s families", n),
        "parents": ngettext("%(n)s parent", "%(n)s parents", n),
        "hours": ngettext("%(n)s hour", "%(n)s hours", n),
        "visits": ngettext("%(n)s visit", "%(n)s visits", n),
        "plans": ngettext("%(n)s plan", "%(n)s plans", n),
    }
    return forms.get(unit, "%(n)s") % {"n": wording.number(value)}


def bars(points: list[tuple[str, float]], unit: str = "") -> dict:
    """Rows of a horizontal bar chart, scaled to the largest value; each value is written with
    its unit (`count_text`)."""
    top = max((float(v) for _, v in points), default=0) or 1
    rows = []
    for i, (label, value) in enumerate(points):
        rows.append(
            {
                "label": Truncator(label).chars(LABEL_CHARS),
                "value": count_text(value, unit),
                "y": i * (BAR + GAP),
                "text_y": f"{i * (BAR + GAP) + BAR * 0.68:.1f}",
                "width": f"{round(float(value) / top * BAR_WIDTH, 1):.1f}",
            }
        )
    return {
        "rows": rows,
        "height": max(len(points) * (BAR + GAP), BAR),
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH + 10,
        "value_x": LABEL_WIDTH + 15,
        "width": LABEL_WIDTH + BAR_WIDTH + 90,
    }
