"""No chart label is ever cut: every label is written in full, in lines that fit the chart."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from sammen.insights import charts
from sammen.insights.dashboard import Table

LONG_NAME = "Kari-Anne Margrethe Østbø-Haugland Kristiansen-Bjørnstad"
LONGEST_WORD = "Barneverntjenesteomsorgsovertakelsesforberedelsesmøtereferatskriverassistent"
LABELS = [
    LONG_NAME,
    "Avslått og tilbudt på nytt etter at foreldrene flyttet til en annen kommune",
    LONGEST_WORD,
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "Ola",
    "",
]


def test_every_label_is_kept_whole_and_every_line_fits_the_chart():
    chart = charts.bars([(label, 1234567) for label in LABELS], unit="families")
    for label, row in zip(LABELS, chart["rows"], strict=True):
        lines = [line["text"] for line in row["lines"]]
        assert "…" not in "".join(lines)
        # Nothing dropped: the lines give the label back (a broken word without its space).
        assert "".join(lines).replace(" ", "") == label.replace(" ", "")
        for line in lines:
            assert charts.PAD + charts.text_width(line) <= chart["width"] - charts.PAD, line
        assert row["label"] == label  # in full, for the bar's <title>


def test_a_long_norwegian_name_is_written_in_full_within_its_width_budget():
    """The name is written from the left edge, broken at its space where it would pass the
    chart's 480 units by an upper bound of the glyphs' widths at 14 px: two whole lines."""
    chart = charts.bars([(LONG_NAME, 3), ("Per", 1)], unit="families")
    first = [line["text"] for line in chart["rows"][0]["lines"]]
    assert first == ["Kari-Anne Margrethe Østbø-Haugland", "Kristiansen-Bjørnstad"]
    assert all(charts.text_width(line) <= charts.WIDTH - 2 * charts.PAD for line in first)
    # The bound is generous: every glyph is taken as at least 0.64 em but the narrow ones.
    narrow = sum(1 for c in LONG_NAME if c in "iIjl.,:;'|!()[]{} ")
    assert charts.text_width(LONG_NAME) >= 14 * (0.64 * (len(LONG_NAME) - narrow) + 0.34 * narrow)
    # The next bar starts below the name's second line.
    assert float(chart["rows"][1]["lines"][0]["y"]) - charts.FONT_SIZE > float(
        chart["rows"][0]["y"]
    )


def test_each_value_fits_after_its_bar():
    values = [("A", 1), ("B", 1_000_000), ("C", 0.5), ("D", 0)]
    with translation.override("nb"):
        chart = charts.bars(values, unit="hours")
    for row in chart["rows"]:
        end = float(row["value_x"]) + charts.text_width(row["value"])
        assert end <= chart["width"] - charts.PAD, row
        assert float(row["width"]) + charts.VALUE_GAP <= float(row["value_x"]) + 0.01 or (
            end <= chart["width"]
        )


def test_rows_do_not_overlap():
    chart = charts.bars([(label, 5) for label in LABELS])
    bottom = 0.0
    for row in chart["rows"]:
        first_line = float(row["lines"][0]["y"]) - charts.FONT_SIZE
        assert first_line >= bottom - 0.01
        bottom = float(row["y"]) + charts.BAR
    assert chart["height"] >= bottom


@pytest.mark.parametrize("label", LABELS)
def test_the_svg_scales_in_its_container_and_titles_each_bar_in_full(label):
    table = Table("load", "Aktive familier", ["Familieveileder", "Familier"], [[label, 2]])
    table.svg = charts.bars([(label, 2)], unit="families", links=["/styring/tall/load/1/"])
    table.page_rows = []
    table.drill_url = "/styring/tall/load/"
    html = render_to_string("insights/_figures.html", {"tables": [table]})
    assert f'viewBox="0 0 {charts.WIDTH} ' in html
    assert 'class="app-chart"' in html  # scaled to its container by static/sammen/csp.css
    css = (settings.BASE_DIR / "static" / "sammen" / "csp.css").read_text()
    assert ".app-chart { max-width: 100%; height: auto; }" in css
    assert f"<title>{label}: 2 " in html.replace("&#x27;", "'")
    assert f'<text x="{charts.PAD}"' in html  # labels start at the left edge, never left of it
