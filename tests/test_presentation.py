"""The presentation view: the chart card alone at 16:9 with larger type, from its button or a link.

The figure functions are checked directly; the page in a real Chromium (its layout, the buttons
and the link in the address bar).
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.figures import PRESETS, Sizes, chart
from dashboard.state import ViewState, from_query, to_query
from tests.browser import browser_page, chart_layout, chromium, dash_server, screenshot, wait_for_chart  # noqa: F401


def test_presentation_is_a_view_of_the_link():
    state, notices = from_query("?indicators=zeden_voorraad,zeden_aangiftes&view=presentation")
    assert notices == [] and state.view == "presentation"
    assert to_query(state) == "?indicators=zeden_voorraad,zeden_aangiftes&view=presentation"


def test_presentation_chart_is_16_by_9_with_the_slides_type(bundled_store, catalog):
    explore = chart(ViewState(), bundled_store, catalog, width=1280)
    shown = chart(ViewState(view="presentation"), bundled_store, catalog, width=1280)
    assert shown.layout.height == 720  # 1280 x 9 / 16
    assert shown.layout.title.font.size > explore.layout.title.font.size
    assert shown.layout.font.size > explore.layout.font.size
    # the same story and numbers as the explore view
    assert shown.layout.title.text == explore.layout.title.text
    assert list(shown.data[0].y) == list(explore.data[0].y)
    # the slide preset is this view at 1920 px
    slide = Sizes.for_preset("slide")
    assert (slide.width, slide.height) == (1920, 1080) and Sizes.for_presentation(1920) == slide
    assert PRESETS["letter"].width / PRESETS["letter"].height == pytest.approx(756 / 680)


@pytest.mark.browser
def test_presentation_button_shows_the_chart_card_alone(dash_server, browser_page):
    page = browser_page
    page.goto(dash_server.url + "/?indicators=zeden_voorraad,zeden_aangiftes")
    wait_for_chart(page)
    explore_title = page.evaluate("() => document.querySelector('#chart .js-plotly-plot')._fullLayout.title.font.size")
    page.click("#present")
    page.wait_for_function("() => location.search.includes('view=presentation')")
    page.wait_for_function("() => { const gd = document.querySelector('#chart .js-plotly-plot');"
                           " return gd && gd._fullLayout && gd._fullLayout.title.font.size > %s; }" % explore_title)
    wait_for_chart(page)
    for hidden in ("#controls", ".header", ".key-figures", ".tabs", "#publish"):
        assert page.locator(hidden).is_hidden(), hidden
    card = page.locator("#chart-card").bounding_box()
    viewport = page.viewport_size
    assert card["height"] <= viewport["height"] and card["width"] <= viewport["width"]
    size = page.evaluate("() => { const l = document.querySelector('#chart .js-plotly-plot')._fullLayout;"
                         " return [l.width, l.height]; }")
    assert size[1] == pytest.approx(size[0] * 9 / 16, abs=2)  # 16:9
    # both series in the title, as the letter reads Tabel 1 (stock +8%, reports +9%)
    assert "Voorraad zedenzaken 8% en aangiftes 9% hoger dan een jaar eerder" in chart_layout(page)["title"].replace("<br>", " ")
    assert "Bron: Minister van Justitie en Veiligheid" in chart_layout(page)["svgText"]
    screenshot(page, "presentation", 1280)

    page.click("#explore")
    page.wait_for_function("() => !location.search.includes('view=')")
    assert page.locator("#controls").is_visible()
    assert parse_qs(urlparse(page.url).query) == {"indicators": ["zeden_voorraad,zeden_aangiftes"]}


@pytest.mark.browser
def test_a_presentation_link_opens_in_presentation(dash_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(dash_server.url + "/?table=cbs_geregistreerde_criminaliteit&view=presentation&lang=en")
    wait_for_chart(page)
    assert page.locator("#controls").is_hidden()
    width = page.locator("#chart-card").bounding_box()["width"]
    size = page.evaluate("() => { const l = document.querySelector('#chart .js-plotly-plot')._fullLayout;"
                         " return [l.width, l.height, l.title.font.size]; }")
    assert abs(size[0] - width) < 4 and size[1] == pytest.approx(size[0] * 9 / 16, abs=2)
    assert size[2] >= 40  # the slide's title type, at the back of a room
    assert "Sources: Centraal Bureau voor de Statistiek (CBS)" in chart_layout(page)["svgText"]
    screenshot(page, "presentation-cbs-en", 1920)


def test_the_buttons_switch_the_view_and_keep_the_rest(catalog):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    callbacks = create_app(Settings.from_env(environ={}), warm=False).callbacks
    shown = callbacks.sync("present", "?mode=index&lang=en", {}, "?mode=index&lang=en")
    assert shown["view"] == "?mode=index&lang=en&view=presentation"
    assert shown["page_class"] == "page view-presentation"
    back = callbacks.sync("explore", shown["view"], {}, shown["view"])
    assert back["view"] == "?mode=index&lang=en" and back["page_class"] == "page view-explore"
    links = callbacks.publish_links(shown["view"], "slide")
    assert links["export-png-3"] == "/export/png?mode=index&lang=en&view=presentation&preset=slide&scale=3"
    assert links["download-csv"] == "/download/csv?mode=index&lang=en&view=presentation"
    assert [o["label"] for o in links["preset_options"]] == ["Letter (A4, 16 cm wide)", "Slide (16:9)"]
