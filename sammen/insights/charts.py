"""Server-side bar charts: geometry for an inline SVG drawn by the template.

Every number the SVG prints is formatted here, once per bar, so that the template only
writes out strings (template filters in a loop cost more than the figures' arithmetic).
"""

from django.utils import formats
from django.utils.text import Truncator

BAR = 26
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 380
LABEL_CHARS = 34  # longer labels are cut with an ellipsis; the table below has them in full


def bars(points: list[tuple[str, float]]) -> dict:
    """Rows of a horizontal bar chart, scaled to the largest value."""
    top = max((float(v) for _, v in points), default=0) or 1
    rows = []
    for i, (label, value) in enumerate(points):
        rows.append(
            {
                "label": Truncator(label).chars(LABEL_CHARS),
                "value": formats.localize(value),
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
