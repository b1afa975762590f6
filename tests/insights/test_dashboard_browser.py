"""A section leader filters the leaders' figures and downloads them, in a real browser."""

from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from sammen.insights import exports
from tests.browser.support import assert_accessible, sign_in

from . import data

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _page_rows(page, key):
    """The table's rows as on the page: first cell text, then the cells' exact values."""
    rows = {}
    for tr in page.locator(f"#table-{key} tbody tr").all():
        label = tr.locator("th").inner_text().strip()
        rows[label] = [
            Decimal(v) if v else None
            for v in tr.locator("td[data-value]").evaluate_all(
                "tds => tds.map(td => td.dataset.value)"
            )
        ]
    return rows


def _sheet_rows(book, key):
    with translation.override("nb"):  # the page's language: siri has chosen none
        sheet = book[exports.sheet_names()[key]]
    width = sum(1 for cell in sheet[3] if cell.value is not None)  # row 3 holds the headers
    return {
        row[0]: [Decimal(str(v)) if v is not None else None for v in row[1:width]]
        for row in sheet.iter_rows(min_row=4, values_only=True)
    }


def test_a_section_leader_filters_the_figures_and_exports_them(
    page, live_server, people, case_a, case_b, place, section_a, tmp_path
):
    data.build(people, case_a, case_b, place)
    sign_in(page, live_server, "siri")
    page.goto(f"{live_server.url}/styring/")
    assert_accessible(page)

    page.select_option("select[name=section]", str(section_a.pk))
    page.fill("input[name=start]", "2025-01-01")
    page.fill("input[name=end]", "2025-06-30")
    with page.expect_navigation():
        page.click("form.app-filters button[type=submit]")
    assert "start=2025-01-01" in page.url
    assert_accessible(page)
    time_on_page = _page_rows(page, "time")
    offers_on_page = _page_rows(page, "offers")
    assert list(time_on_page.values())[-1][0] == Decimal("4.5")  # section A's hours

    with page.expect_download() as download:
        page.click('a[href^="/styring/styringstall.xlsx"]')
    path = tmp_path / "figures.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    assert list(_sheet_rows(book, "time").values()) == list(time_on_page.values())
    assert list(_sheet_rows(book, "offers").values()) == list(offers_on_page.values())
    assert list(_sheet_rows(book, "load").values()) == list(_page_rows(page, "load").values())

    page.click('a[href^="/styring/kostnader/"]')
    page.wait_for_url("**/styring/kostnader/**")
    assert_accessible(page)
    page.click('a[href="/styring/kostnader/satser/"]')
    page.wait_for_url("**/satser/")
    assert_accessible(page)


# Every text of every chart, and the chart, measured in the page's own pixels: a text's box
# (its real glyphs, in the chart's coordinates, scaled as drawn) must lie inside the chart's
# box, and the chart inside the phone's width.
_CHART_OVERFLOW = """() => {
    const out = [];
    for (const svg of document.querySelectorAll("svg.app-chart")) {
        const box = svg.getBoundingClientRect();
        if (box.left < 0 || box.right > window.innerWidth) out.push("chart " + box.right);
        for (const text of svg.querySelectorAll("text")) {
            const r = text.getBoundingClientRect();
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
                out.push(text.textContent + ": " + r.left + "–" + r.right + " in "
                    + box.left + "–" + box.right);
        }
    }
    return out;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_chart_label_is_cut_on_a_phone_or_a_wide_screen(
    browser, live_server, people, case_a, case_b, place, width
):
    f = data.f
    data.build(people, case_a, case_b, place)
    # A counsellor with a long name carries a family: the load chart's longest label.
    long_name = f.make_user(
        "lang",
        f.Role.COUNSELLOR,
        unit=case_a.section.unit,
        first_name="Kari-Anne Margrethe",
        last_name="Østbø-Haugland Kristiansen-Bjørnstad",
    )
    case_a.counsellors.add(long_name)
    parent = f.make_parent(case_a, "father", "Kåre", "Testfar")
    data.followup(data.referral(case_a, long_name, people["kari"]), parent, state="active")
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        sign_in(page, live_server, "pia")
        page.goto(f"{live_server.url}/styring/?start=2025-01-01&end=2025-06-30")
        assert page.locator("svg.app-chart text", has_text="Østbø-Haugland").count() == 1
        assert page.evaluate(_CHART_OVERFLOW) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        # The long name's bar leads to the cases behind it.
        link = page.locator("#table-load tr", has_text="Østbø").locator("td.app-drill a")
        with page.expect_navigation():
            link.click()
        assert page.locator("#drilldown tbody tr").count() == 1
        assert_accessible(page)
    finally:
        context.close()
