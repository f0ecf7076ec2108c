"""The page around the chart in a real Chromium: the language switch, the hidden data grid, 404s."""
from __future__ import annotations

import pytest

from tests.browser import browser_page, chromium, dash_server, screenshot, wait_for_chart  # noqa: F401

pytestmark = pytest.mark.browser

LANG_STYLE = """() => Array.from(document.querySelectorAll('#lang label')).map(l => {
    const s = getComputedStyle(l);
    return {lang: l.querySelector('input').value, selected: l.getAttribute('aria-selected'),
            background: s.backgroundColor, color: s.color, outline: s.outlineStyle,
            mark: getComputedStyle(l.querySelector('.dash-options-list-option-text'), '::before').content};
})"""


def test_the_language_switch_shows_which_language_is_active_and_works_by_keyboard(dash_server, browser_page):
    page = browser_page
    page.goto(dash_server.url + "/")
    wait_for_chart(page)
    nl, en = page.evaluate(LANG_STYLE)
    assert nl["selected"] == "true" and en["selected"] == "false"
    # the active language is white on the blue header, with a check mark; the other is not filled
    assert nl["background"] == "rgb(255, 255, 255)" and en["background"] in ("rgba(0, 0, 0, 0)", "transparent")
    assert nl["color"] != en["color"] and "✓" in nl["mark"] and "✓" not in en["mark"]
    assert page.locator("#lang input[type=radio]").count() == 2  # radio semantics kept

    page.focus("#lang input[value=nl]")
    page.keyboard.press("ArrowRight")  # a radio group: the arrow keys choose
    page.wait_for_function("() => location.search.includes('lang=en')")
    wait_for_chart(page)
    page.wait_for_function("() => document.querySelector('#lang label[aria-selected=true] input').value === 'en'")
    nl, en = page.evaluate(LANG_STYLE)
    assert en["background"] == "rgb(255, 255, 255)" and "✓" in en["mark"]
    assert en["outline"] == "solid"  # keyboard focus is visible on the toggle
    assert "Choose the view" in page.text_content("#controls-title")
    screenshot(page, "language-switch-en", 375)


def test_the_data_grid_keeps_a_width_while_its_tab_is_hidden(dash_server, browser_page):
    # AG Grid sizes its columns when the data change and warns (#29) when the grid has no width;
    # browser_page fails a test on any AG Grid warning.
    page = browser_page
    page.goto(dash_server.url + "/?table=cbs_geregistreerde_criminaliteit")
    wait_for_chart(page)
    assert page.locator("#panel-data").is_hidden()
    assert page.evaluate("() => document.querySelector('#grid').clientWidth") > 0
    page.check("#indicators input[value=misdrijven_per_1000_inwoners]")  # new rows while hidden
    wait_for_chart(page)
    page.wait_for_timeout(500)
    page.click("#tab-data")
    page.wait_for_selector("#panel-data:not([hidden]) .ag-row")
    assert page.locator("#panel-data").is_visible()
    box = page.locator("#panel-data").bounding_box()
    assert box["x"] >= 0 and box["width"] > 300  # back in the page, not off-screen


CUT_CELLS = """() => Array.from(document.querySelectorAll('#grid .ag-cell, #grid .ag-header-cell-text'))
    .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"""


def test_the_data_table_shows_every_text_in_full(dash_server, browser_page):
    # Sized while hidden, every column stayed 200 px wide: "Stock of sexual-offence …", and the
    # date compared with cut off. Sized when shown, and again when new rows arrive while shown.
    page = browser_page
    page.goto(dash_server.url + "/?indicators=zeden_voorraad,zeden_aangiftes&mode=pct_change&lang=en")
    wait_for_chart(page)
    page.click("#tab-data")
    page.wait_for_selector("#panel-data:not([hidden]) .ag-row")
    page.wait_for_timeout(300)
    assert "Stock of sexual-offence cases" in page.text_content("#grid")
    assert page.evaluate(CUT_CELLS) == []
    page.check("#indicators input[value=zeden_aangiftes_ouder_6mnd]")  # a longer name, while shown
    page.wait_for_function("() => document.querySelector('#grid').textContent.includes('more than 6 months')")
    page.wait_for_timeout(300)
    assert page.evaluate(CUT_CELLS) == []


def test_an_unknown_path_shows_the_friendly_404(dash_server, chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    response = page.goto(dash_server.url + "/nope?lang=en")
    assert response.status == 404
    assert "This page does not exist" in page.text_content("body")
    page.click("text=Back to the dashboard")
    wait_for_chart(page)
    context.close()


def test_a_legend_of_five_series_on_a_phone_clears_the_subtitle(dash_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(dash_server.url + "/?indicators=zeden_incidenten,zeden_voorraad,zeden_aangiftes_ouder_6mnd,"
                                "zeden_aangiftes,zeden_verdachten_om&chart=bar")
    wait_for_chart(page)
    boxes = page.evaluate("""() => {
        const r = e => e.getBoundingClientRect();
        const subtitle = Array.from(document.querySelectorAll('#chart .gtitle-subtitle, #chart .g-gtitle text'))
            .map(r).reduce((a, b) => (b.bottom > a.bottom ? b : a));
        return {subtitle: subtitle.bottom, legend: r(document.querySelector('#chart .legend')).top,
                plot: r(document.querySelector('#chart .nsewdrag')).top,
                events: Math.min(...Array.from(document.querySelectorAll('#chart .annotation'))
                    .filter(a => a.textContent.includes('Actieplan')).map(a => r(a).top)),
                legendBottom: r(document.querySelector('#chart .legend')).bottom};
    }""")
    assert boxes["legend"] >= boxes["subtitle"], boxes
    assert boxes["legendBottom"] <= min(boxes["plot"], boxes["events"]), boxes
    screenshot(page, "legend-five-bars", 375)
