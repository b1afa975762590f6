"""Server-side bar charts: geometry for an inline SVG drawn by the template.

Every number the SVG prints is formatted here, once per bar, so that the template only
writes out strings (template filters in a loop cost more than the figures' arithmetic).

No label is ever cut. Each bar's label is written in full on its own line(s) above the bar,
starting at the left edge and wrapped at word breaks (a word wider than the chart is broken)
so that every line fits `WIDTH` by a generous estimate of its width (`text_width`); the value
follows the bar, and the longest bar leaves room for the widest value. The SVG has a
`viewBox` and scales down with its container (`.app-chart` in static/sammen/csp.css), text
and all, so on a phone 390 px wide everything stays inside it. Each bar also carries its
label and value as a `<title>`, and the table under the chart has the same rows.
"""

import math

from django.utils.translation import ngettext

from sammen.core import wording

WIDTH = 480  # the chart's own coordinate width; it is drawn at most this wide and scales down
PAD = 4  # on each side: a glyph's ink may reach a little past its advance (a "T" at x=0 did)
FONT_SIZE = 14
LINE_HEIGHT = 18  # a label line
BAR = 22
GAP = 12  # below each bar
VALUE_GAP = 6  # between a bar's end and its value

# Upper bounds of glyph widths in em for the sans-serif faces the page may use (Designsystemet's
# Inter, or the system's): wider than the actual glyphs, so that a line estimated to fit does.
_NARROW = set("iIjl.,:;'|!()[]{} ")
_WIDE = set("MWmwÆŒæœ@%")


def char_width(c: str) -> float:
    """An upper bound of the width of `c` in em."""
    if c in _NARROW:
        return 0.34
    if c in _WIDE:
        return 1.0
    if c.isupper():
        return 0.78
    return 0.64


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """An upper bound of the width of `text` in pixels at `size` px."""
    return sum(char_width(c) for c in text) * size


def wrap(text: str, width: float = WIDTH - 2 * PAD) -> list[str]:
    """`text` in lines no wider than `width` (by `text_width`), broken at spaces; a word wider
    than a line is broken inside. Nothing is dropped: the lines joined with spaces give `text`
    back (less its runs of spaces)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while text_width(word) > width:  # a word longer than the line: break it
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1]) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


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


def bars(points: list[tuple[str, float]], unit: str = "", links: list[str] | None = None) -> dict:
    """Rows of a horizontal bar chart, scaled to the largest value, each label in full above
    its bar and each value written with its unit (`count_text`) after it. `links`: the address
    each bar leads to (the cases behind it), by position; "" for none."""
    top = max((float(v) for _, v in points), default=0) or 1
    values = [count_text(value, unit) for _, value in points]
    widest_value = max((text_width(v) for v in values), default=0)
    bar_room = max(WIDTH - 2 * PAD - VALUE_GAP - widest_value, WIDTH / 4)
    rows = []
    y = 0
    for i, ((label, value), text) in enumerate(zip(points, values, strict=True)):
        lines = wrap(str(label))
        label_lines = [
            {"text": line, "y": f"{y + (n + 1) * LINE_HEIGHT - 4:.1f}"}
            for n, line in enumerate(lines)
        ]
        bar_y = y + len(lines) * LINE_HEIGHT + 2
        width = math.floor(float(value) / top * bar_room * 10) / 10
        # A value wider than the room left after its bar (only when the values are so wide
        # that bars keep a quarter of the chart) is written inside the chart's right edge.
        value_x = min(PAD + width + VALUE_GAP, WIDTH - PAD - text_width(text))
        rows.append(
            {
                "label": str(label),
                "lines": label_lines,
                "value": text,
                "y": f"{bar_y:.1f}",
                "text_y": f"{bar_y + BAR * 0.72:.1f}",
                "width": f"{width:.1f}",
                "value_x": f"{math.floor(max(value_x, 0) * 10) / 10:.1f}",  # never rounded up
                "href": (links[i] if links and i < len(links) else "") or "",
            }
        )
        y = bar_y + BAR + GAP
    return {"rows": rows, "height": max(y, BAR), "width": WIDTH, "bar": BAR, "x": PAD}
