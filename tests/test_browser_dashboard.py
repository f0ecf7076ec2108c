"""The dashboard in a real headless Chromium: every control, the numbers drawn, links, languages.

Expected numbers are typed in by hand from the published tables (see conftest.TABEL_1 and the CBS
figures below), and compared with what plotly drew (``gd._fullData``).
"""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import (browser_page, chart_layout, chromium, dash_server, plotted, screenshot,  # noqa: F401
                           wait_for_chart)

from .conftest import TABEL_1

pytestmark = pytest.mark.browser

# CBS 83723NED (StatLine, 2024) and the CBS press release of 2025, typed in from the sources.
CBS_TOTAL = {2013: 1105565, 2021: 758065, 2022: 809390, 2023: 816000, 2024: 812000}
CBS_TOTAL_AS_PUBLISHED_2024 = {2022: 809390, 2023: 807375}


def wait_for(page, condition, timeout: float = 15.0, what: str = "the view"):
    """Poll ``condition()`` until it holds (the chart is redrawn after a round trip to the server)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except Exception as exc:  # the chart may be mid-redraw
            last = exc
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


def params(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def series(page) -> list[dict]:
    """The indicator traces (not trend, band or projection traces)."""
    return [t for t in plotted(page) if t["meta"] and t["meta"].get("indicator_id")]


def by_year(trace) -> dict:
    return {int(str(x)[:4]): y for x, y in zip(trace["x"], trace["y"])}


def choose(page, dropdown: str, option_text: str):
    page.click(f"#{dropdown}")
    page.locator(".dash-dropdown-option", has_text=option_text).first.click()


def tick(page, control: str, value: str):
    page.click(f"#{control} input[value='{value}']")


def test_default_view_in_dutch_then_english(dash_server, browser_page):
    page = browser_page
    page.goto(dash_server.url + "/")
    wait_for_chart(page)
    (trace,) = series(page)
    assert trace["y"] == TABEL_1["zeden_voorraad"]
    drawn = chart_layout(page)
    assert "8% hoger dan een jaar eerder" in drawn["title"]
    assert drawn["xticks"] == ["2 jun 2022", "2 jun 2023", "2 jun 2024", "2 jun 2025", "2 jun 2026"]
    assert "3.400" in drawn["yticks"] and drawn["separators"] == ",."
    assert "Bron: Minister van Justitie en Veiligheid" in drawn["svgText"]
    assert "Wet seksuele misdrijven" in drawn["svgText"]  # the event, labelled
    assert page.locator("#chart-text").text_content().startswith("Voorraad zedenzaken op 2 juni 2026: 3.400")
    assert "Weergave kiezen" in page.text_content("#controls-title")
    screenshot(page, "default-nl", 1280)
    screenshot(page, "default-nl", 375)
    assert page.evaluate("() => document.querySelector('#chart-card').scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 1280, "height": 900})
    tick(page, "lang", "en")
    wait_for(page, lambda: "higher than a year earlier" in chart_layout(page)["title"], what="English title")
    drawn = chart_layout(page)
    assert drawn["xticks"][-1] == "2 Jun 2026" and "3,400" in drawn["yticks"] and drawn["separators"] == ".,"
    assert params(page) == {"lang": "en"}
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.text_content("#controls-title") == "Choose the view"
    wait_for(page, lambda: page.locator("#chart-text").text_content().startswith("Stock of cases on 2 June 2026"))
    screenshot(page, "default-en", 1280)


def test_every_control_changes_the_chart_and_the_link(dash_server, browser_page):
    page = browser_page
    page.goto(dash_server.url + "/")
    wait_for_chart(page)
    stock, reports = TABEL_1["zeden_voorraad"], TABEL_1["zeden_aangiftes"]

    tick(page, "indicators", "zeden_aangiftes")
    wait_for(page, lambda: [t["y"] for t in series(page)] == [stock, reports], what="two indicators")
    assert params(page) == {"indicators": "zeden_voorraad,zeden_aangiftes"}

    tick(page, "mode", "pct_change")
    wait_for(page, lambda: series(page)[1]["y"][-1] == pytest.approx((1676 / 1533 - 1) * 100), what="percent change")
    tick(page, "chart-type", "bar")
    wait_for(page, lambda: series(page)[0]["type"] == "bar", what="bars")
    tick(page, "mode", "change")
    wait_for(page, lambda: series(page)[0]["y"][1:] == [3166 - 3361, 2775 - 3166, 3156 - 2775, 3400 - 3156],
             what="absolute change")

    tick(page, "mode", "index")
    wait_for(page, lambda: not page.locator("#field-base").is_hidden(), what="the base period control")
    choose(page, "base", "stand 2 jun 2023")
    wait_for(page, lambda: params(page).get("base") == "2023-06-02")
    wait_for(page, lambda: series(page)[0]["y"] == pytest.approx([v / 3166 * 100 for v in stock]), what="index")

    tick(page, "mode", "level")
    tick(page, "chart-type", "line")
    for option in ("trend", "projection", "log", "revisions"):
        tick(page, "options", option)
        wait_for(page, lambda: params(page).get(option) == "1", what=option)
    tick(page, "options", "events")
    wait_for(page, lambda: params(page).get("events") == "0", what="events off")
    wait_for(page, lambda: "Wet seksuele misdrijven" not in chart_layout(page)["svgText"], what="no events")
    assert sum(t["name"].endswith(": trend") for t in plotted(page)) == 2
    assert page.evaluate("() => document.querySelector('#chart .js-plotly-plot')._fullLayout.yaxis.type") == "log"
    assert "Geen projectie (Voorraad zedenzaken)" in chart_layout(page)["svgText"]

    choose(page, "from", "stand 2 jun 2023")
    choose(page, "to", "stand 2 jun 2025")
    wait_for(page, lambda: series(page)[0]["y"] == stock[1:4], what="2023-2025")

    tick(page, "mode", "ratio")
    wait_for(page, lambda: not page.locator("#field-ratio").is_hidden(), what="the ratio control")
    choose(page, "ratio", "Aangiftes als percentage")
    wait_for(page, lambda: params(page).get("ratio") == "aangiftes_per_zaak")
    expected = [a / v * 100 for a, v in zip(reports[1:4], stock[1:4])]
    wait_for(page, lambda: series(page)[0]["y"] == pytest.approx(expected), what="reports per case")

    # the link restores exactly this view, in a new page
    link = page.url
    drawn = chart_layout(page)
    other = page.context.new_page()
    other.goto(link)
    wait_for_chart(other)
    assert other.url == link
    assert [t["y"] for t in series(other)] == [t["y"] for t in series(page)]
    assert chart_layout(other)["title"] == drawn["title"]
    assert other.locator("#mode input[value='ratio']").is_checked()
    assert other.locator("#options input[value='trend']").is_checked()
    other.close()

    # another table, as published on an earlier date: the figure before its revision
    choose(page, "table", "Geregistreerde criminaliteit")
    wait_for(page, lambda: params(page) == {"table": "cbs_geregistreerde_criminaliteit", "trend": "1",
                                            "projection": "1", "events": "0", "log": "1", "revisions": "1"})
    wait_for(page, lambda: {y: by_year(series(page)[0])[y] for y in CBS_TOTAL} == CBS_TOTAL, what="CBS totals")
    choose(page, "asof", "31 december 2024")
    wait_for(page, lambda: params(page).get("asof") == "2024-12-31")
    wait_for(page, lambda: by_year(series(page)[0]).get(2023) == CBS_TOTAL_AS_PUBLISHED_2024[2023],
             what="2023 as first published")
    assert 2024 not in by_year(series(page)[0])


def test_tabs_keyboard_and_a_bad_link(dash_server, browser_page):
    page = browser_page
    page.goto(dash_server.url + "/?table=cbs_geregistreerde_criminaliteit&mode=banana&colour=red&from=2019")
    wait_for_chart(page)
    notices = page.locator("#link-notices li").all_text_contents()
    assert any("'mode'" in n for n in notices) and any("'colour'" in n for n in notices)
    assert params(page) == {"table": "cbs_geregistreerde_criminaliteit", "from": "2019-01-01"}  # cleaned link

    page.click("#tab-data")
    page.wait_for_selector("#panel-data:not([hidden]) .ag-row")
    cells = page.locator("#panel-data .ag-row").first.text_content()
    assert "2019" in cells and "821.905" in cells
    assert "816 duizend" in page.locator("#panel-data").text_content()
    page.click("#tab-sources")
    assert page.locator("#panel-sources a[href='https://www.cbs.nl/nl-nl/cijfers/detail/83723NED']").count() == 1
    page.click("#tab-revisions")
    assert "807.375" in page.locator("#panel-revisions").text_content()
    page.click("#tab-python")
    assert "table='cbs_geregistreerde_criminaliteit'" in page.locator("#python-code").text_content()
    page.click("#tab-sentences")
    assert page.locator("#panel-sentences").is_visible() and page.locator("#panel-python").is_hidden()
    assert page.get_attribute("#tab-sentences", "aria-selected") == "true"

    # keyboard only: focus the trend checkbox and press Space
    page.focus("#options input[value='trend']")
    page.keyboard.press("Space")
    wait_for(page, lambda: params(page).get("trend") == "1", what="trend by keyboard")
    assert page.locator("#link-notices li").count() == 0  # notices were about the link
    screenshot(page, "cbs-trend", 1280)
    screenshot(page, "cbs-trend", 375)
