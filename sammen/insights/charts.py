"""Server-side bar charts: geometry for an inline SVG drawn by the template."""

BAR = 26
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 380


def bars(points: list[tuple[str, float]]) -> dict:
    """Rows of a horizontal bar chart, scaled to the largest value."""
    top = max((float(v) for _, v in points), default=0) or 1
    rows = []
    for i, (label, value) in enumerate(points):
        rows.append(
            {
                "label": label,
                "value": value,
                "y": i * (BAR + GAP),
                "text_y": i * (BAR + GAP) + BAR * 0.68,
                "width": round(float(value) / top * BAR_WIDTH, 1),
            }
        )
    return {
        "rows": rows,
        "height": max(len(points) * (BAR + GAP), BAR),
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH + 10,
        "width": LABEL_WIDTH + BAR_WIDTH + 90,
    }
