"""The data in view, the callbacks called directly, the Python panel's code executed."""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

import analysis
from dashboard.app import Callbacks, create_app
from dashboard.code import python_code
from dashboard.data import COLUMNS, view_data
from dashboard.settings import Settings
from dashboard.state import ViewState, from_query

from .conftest import TABEL_1, TABEL_1_DATES


@pytest.fixture(scope="module")
def store(bundled_store):  # conftest's bundled store; `catalog` comes from conftest too
    return bundled_store


@pytest.fixture(scope="module")
def callbacks(store, catalog):
    return Callbacks(store, catalog, Settings.from_env(environ={}))


def view(query):
    return from_query(query)[0]


# --- view_data ------------------------------------------------------------------------------------


def test_view_data_is_exactly_the_data_in_view(store, catalog):
    data = view_data(view("?indicators=zeden_voorraad,zeden_aangiftes&from=2023-01-01&to=2025-12-31"), store, catalog)
    assert list(data.columns) == list(COLUMNS)
    assert list(data["indicator_id"]) == ["zeden_voorraad"] * 3 + ["zeden_aangiftes"] * 3
    assert list(data["value"]) == TABEL_1["zeden_voorraad"][1:4] + TABEL_1["zeden_aangiftes"][1:4]
    assert [d.strftime("%Y-%m-%d") for d in data["period_end"][:3]] == TABEL_1_DATES[1:4]
    assert set(data["label"]) == {"Voorraad aantal zedenzaken", "Aantal aangiftes"}
    assert set(data["status"]) == {"definitief"} and set(data["rounded_to"]) == {1}
    assert set(data["vintage"]) == {pd.Timestamp("2026-06-30")}
    english = view_data(view("?indicators=zeden_aangiftes&lang=en"), store, catalog)
    assert set(english["label"]) == {"Reports"}


def test_view_data_of_changes_carries_the_comparison(store, catalog):
    data = view_data(view("?mode=pct_change"), store, catalog)
    last = data.iloc[-1]
    assert last["level"] == 3400 and last["base_value"] == 3156
    assert last["base_period"] == pd.Timestamp("2025-06-02")
    assert last["abs_change"] == 244 and last["value"] == pytest.approx(244 / 3156 * 100)
    assert last["unit"] == "percent" and last["verdict"] in ("increase", "within_noise")


def test_view_data_of_a_ratio_and_of_a_revised_rounded_series(store, catalog):
    ratio = view_data(view("?mode=ratio&ratio=aangiftes_per_zaak"), store, catalog)
    assert list(ratio["numerator"]) == TABEL_1["zeden_aangiftes"]
    assert list(ratio["denominator"]) == TABEL_1["zeden_voorraad"]
    cbs = view_data(view("?table=cbs_geregistreerde_criminaliteit&from=2023"), store, catalog)
    assert list(cbs["value"]) == [816000, 812000]
    assert list(cbs["rounded_to"]) == [1000, 1000] and list(cbs["status"]) == ["herzien", "voorlopig"]
    first = view_data(view("?table=cbs_geregistreerde_criminaliteit&from=2023&asof=2025-01-01"), store, catalog)
    assert list(first["value"]) == [807375] and list(first["status"]) == ["voorlopig"]


def test_an_index_base_that_is_not_there_gives_a_notice(store, catalog):
    data = view_data(view("?mode=index&base=1999"), store, catalog)
    assert data["value"].iloc[0] == 100
    assert [n.text("en") for n in data.attrs["notices"]] == [
        "Base period 1999 is not in the series; the first period was used."]


# --- Callbacks --------------------------------------------------------------------------------------


def test_sync_sets_the_controls_from_a_link_and_reports_bad_parameters(callbacks):
    out = callbacks.sync(None, "?table=cbs_geregistreerde_criminaliteit&mode=pct_change&lang=en&bogus=1", {}, None)
    assert out["view"] == "?table=cbs_geregistreerde_criminaliteit&mode=pct_change&lang=en"
    assert out["value_table"] == "cbs_geregistreerde_criminaliteit"
    assert out["value_indicators"] == ["misdrijven_totaal"]
    assert out["value_mode"] == "pct_change" and out["value_lang"] == "en"
    assert [o["value"] for o in out["options_indicators"]] == ["misdrijven_totaal", "misdrijven_per_1000_inwoners"]
    assert [o["disabled"] for o in out["options_mode"] if o["value"] == "ratio"] == [True]
    assert len(out["link_notices"]) == 1 and "'bogus'" in out["link_notices"][0].children
    assert out["options_asof"][0]["label"] == "latest publication"
    assert "31 December 2024" in [o["label"] for o in out["options_asof"]]


def test_sync_turns_a_control_change_into_a_link(callbacks):
    first = callbacks.sync(None, "", {}, None)
    values = {c.removeprefix("value_"): v for c, v in first.items() if c.startswith("value_")}
    changed = callbacks.sync("options", "", {**values, "options": ["events", "trend"]}, first["view"])
    assert changed["search"] == changed["view"] == "?trend=1"
    assert changed["link_notices"] == []
    # a new table starts from its main indicator and all its periods
    values = {**values, "table": "cbs_geregistreerde_criminaliteit", "from": "2023-06-02"}
    moved = callbacks.sync("table", "?from=2023-06-02", values, "?from=2023-06-02")
    assert moved["view"] == "?table=cbs_geregistreerde_criminaliteit"
    assert moved["value_indicators"] == ["misdrijven_totaal"] and moved["value_from"] is None


def test_render_draws_the_chart_and_the_panels(callbacks, store, catalog):
    out = callbacks.render("?indicators=zeden_voorraad,zeden_aangiftes&lang=en", 900)
    figure = out["figure"]
    assert [list(t["y"]) for t in figure["data"] if t.get("meta")] == [TABEL_1["zeden_voorraad"], TABEL_1["zeden_aangiftes"]]
    assert to_json(figure) == to_json(chart_spec_of("?indicators=zeden_voorraad,zeden_aangiftes&lang=en", store, catalog, 900))
    assert out["config"]["toImageButtonOptions"]["filename"] == "zeden_voorraad+zeden_aangiftes_level_2026-06-02_en"
    assert [c["headerName"] for c in out["columns"]][:3] == ["Indicator", "Period", "Value"]
    assert out["rows"][4]["value"] == "3,400" and out["rows"][4]["period"] == "as at 2 Jun 2026"
    assert "import analysis" in out["code"]
    text = json.dumps(out["sources"], default=lambda c: c.to_plotly_json(), ensure_ascii=False)
    assert "https://zoek.officielebekendmakingen.nl/dossier/29628" in text and "June 2026" in text


def to_json(figure) -> str:
    import plotly.io as pio
    return pio.to_json(figure)


def chart_spec_of(query, store, catalog, width):
    from dashboard.figures import chart_spec
    return chart_spec(view(query), store, catalog, width)


def test_words_gives_the_sentences_and_the_text_alternative(callbacks, store):
    out = callbacks.words("")
    expected = analysis.describe("zeden_voorraad", store=store)
    assert out["text"] == " ".join(expected)
    assert "3.156" in out["text"] and "3.400" in out["text"] and "gestegen" in out["text"]


def test_key_figures_are_honest_about_noise_and_rounding(callbacks):
    text = json.dumps(callbacks.render("?table=cbs_geregistreerde_criminaliteit", 900)["key_figures"],
                      default=lambda c: c.to_plotly_json(), ensure_ascii=False)
    assert "812 duizend" in text and "afgerond op duizendtallen" in text and "voorlopig" in text
    assert "−4 duizend" in text  # 816 -> 812 thousand, not "-4.000"
    default = json.dumps(callbacks.render("", 900)["key_figures"], default=lambda c: c.to_plotly_json(), ensure_ascii=False)
    assert "+244 (+7,7%)" in default and "3.156" in default
    assert "richting onzeker" in default  # five snapshots: the trend's interval includes zero


def test_the_app_answers_a_callback_over_http(store):
    """The real Dash endpoint: the figure survives JSON (dates, numpy arrays) and matches the store."""
    app = create_app(Settings.from_env(environ={}))
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    output = next(key for key in app.callback_map if "chart.figure" in key)
    payload = {"output": output,
               "outputs": [{"id": i, "property": p} for i, p in [
                   ("chart", "figure"), ("chart", "config"), ("view-notices", "children"), ("key-figures", "children"),
                   ("grid", "columnDefs"), ("grid", "rowData"), ("panel-sources", "children"),
                   ("revisions-list", "children"), ("python-code", "children")]],
               "inputs": [{"id": "sized-view", "property": "data", "value": {"query": "?mode=change", "width": 800}}],
               "changedPropIds": ["sized-view.data"], "state": []}
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    figure = response.get_json()["response"]["chart"]["figure"]
    fig = go.Figure(figure)
    assert list(fig.data[0].y[1:]) == [3166 - 3361, 2775 - 3166, 3156 - 2775, 3400 - 3156]


# --- The Python panel ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?table=cbs_geregistreerde_criminaliteit&mode=pct_change&from=2010&lang=en",
                                   "?mode=ratio&trend=1&asof=2026-06-30", "?indicators=zeden_aangiftes,zeden_voorraad&chart=bar"])
def test_python_panel_code_recreates_the_chart(query, store, catalog):
    state = view(query)
    namespace = {}
    exec(compile(python_code(state), "<python panel>", "exec"), namespace)
    fig = namespace["fig"]
    app_fig = go.Figure(Callbacks(store, catalog, Settings.from_env(environ={})).render(query, 960)["figure"])
    assert [list(t.y) for t in fig.data] == [list(t.y) for t in app_fig.data]
    assert [list(t.x) for t in fig.data] == [list(t.x) for t in app_fig.data]
    assert fig.layout.title.text == app_fig.layout.title.text
    assert namespace["data"]["value"].tolist() == view_data(state, store, catalog)["value"].tolist()


def test_python_panel_names_another_store(tmp_path):
    code = python_code(ViewState(trend=True), store_dir=tmp_path)
    assert f"analysis.load({str(tmp_path)!r})" in code and "view = ViewState(trend=True)" in code
