"""Every view is a URL: view -> query string -> the same view, and bad links give notices."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import load_catalog
from dashboard.state import (CHARTS, LANGS, MODES, PARAMETERS, ViewState, from_query, normalize, table_ratios,
                             to_query)

CATALOG = load_catalog()


def test_the_default_view_is_the_bare_address():
    assert to_query(ViewState()) == ""
    state, notices = from_query("")
    assert state == ViewState() and notices == []
    assert from_query(None)[0] == ViewState()


def test_only_what_differs_is_written_in_a_fixed_order():
    state = ViewState(lang="en", trend=True, mode="pct_change", table="cbs_geregistreerde_criminaliteit",
                      start=dt.date(2010, 1, 1), events=False)
    assert to_query(state) == ("?table=cbs_geregistreerde_criminaliteit&mode=pct_change&from=2010-01-01"
                               "&trend=1&events=0&lang=en")


def test_a_link_with_every_parameter_restores_every_field():
    query = ("?table=zeden_werkvoorraad&indicators=zeden_aangiftes,zeden_voorraad&mode=index&base=2023-06-02"
             "&chart=bar&from=2023-01-01&to=2026-06-02&trend=1&projection=1&events=0&log=1&revisions=1"
             "&asof=2026-06-30&lang=en&view=presentation")
    state, notices = from_query(query)
    assert notices == []
    assert state == ViewState(
        table="zeden_werkvoorraad", indicators=("zeden_aangiftes", "zeden_voorraad"), mode="index",
        base="2023-06-02", chart="bar", start=dt.date(2023, 1, 1), end=dt.date(2026, 6, 2), trend=True,
        projection=True, events=False, log=True, revisions=True, asof=dt.date(2026, 6, 30), lang="en",
        view="presentation")
    assert to_query(state) == query.replace("table=zeden_werkvoorraad&", "")  # the default table is left out


def test_the_ratio_parameter():
    state, notices = from_query("?mode=ratio&ratio=aangiftes_per_zaak")
    assert (state.mode, state.ratio, notices) == ("ratio", "aangiftes_per_zaak", [])
    # the table's first ratio is its default and is not written
    assert to_query(from_query("?mode=ratio&ratio=aandeel_aangiftes_ouder_6mnd")[0]) == "?mode=ratio"


@pytest.mark.parametrize("query, param", [
    ("?mode=banana", "mode"), ("?chart=pie", "chart"), ("?lang=fr", "lang"), ("?trend=maybe", "trend"),
    ("?log=2", "log"), ("?from=gisteren", "from"), ("?to=2026-13-45", "to"), ("?asof=31-12-2024", "asof"),
    ("?table=nope", "table"), ("?view=poster", "view"), ("?base=1-1-2020", "base"),
    ("?ratio=aandeel_aangiftes_ouder_6mnd&table=cbs_geregistreerde_criminaliteit", "ratio"),
])
def test_a_malformed_value_is_ignored_with_a_notice_naming_the_parameter(query, param):
    state, notices = from_query(query)
    assert len(notices) == 1
    for lang in LANGS:
        assert f"'{param}'" in notices[0].text(lang)
    field = {"from": "start", "to": "end"}.get(param, param)
    assert getattr(state, field) == getattr(normalize(ViewState()), field)


def test_unknown_parameters_and_indicators_are_named():
    state, notices = from_query("?colour=red&indicators=zeden_voorraad,zeden_bananen,misdrijven_totaal")
    texts = [n.text("nl") for n in notices]
    assert any("'colour'" in x for x in texts)
    assert any("'zeden_bananen'" in x for x in texts)
    assert any("'misdrijven_totaal'" in x and "tabel" in x for x in texts)  # another table's indicator
    assert state.indicators == ()  # zeden_voorraad alone is the table's default
    assert [n.text("en") for n in notices][0] == "Unknown parameter 'colour' in the link was ignored."


def test_a_table_without_ratios_falls_back_to_levels_with_a_notice():
    assert table_ratios("cbs_geregistreerde_criminaliteit", CATALOG) == []
    state, notices = from_query("?table=cbs_geregistreerde_criminaliteit&mode=ratio")
    assert state.mode == "level" and len(notices) == 1


def test_repeated_parameters_and_reversed_ranges():
    state, notices = from_query("?lang=en&lang=nl")
    assert state.lang == "nl" and "'lang'" in notices[0].text("en")
    state, notices = from_query("?from=2025-01-01&to=2020-01-01")
    assert (state.start, state.end) == (None, None) and len(notices) == 1


def test_indicators_alone_imply_their_table():
    state, notices = from_query("?indicators=misdrijven_per_1000_inwoners")
    assert (state.table, state.indicators, notices) == ("cbs_geregistreerde_criminaliteit",
                                                          ("misdrijven_per_1000_inwoners",), [])


def test_old_links_keep_working():
    state, notices = from_query("?indicator=zeden_aangiftes&mode=yoy_pct&type=bars&start=2023&vintage=2026-06-30"
                                "&language=EN-GB")
    assert notices == []
    assert state == ViewState(indicators=("zeden_aangiftes",), mode="pct_change", chart="bar",
                              start=dt.date(2023, 1, 1), asof=dt.date(2026, 6, 30), lang="en")


@pytest.mark.parametrize("query", ["?" + "a=1&" * 500, "?%zz=%%%", "?indicators=" + "x," * 2000,
                                   "?mode=\x00\x1b[31m", "?=&&=", "?from=9999-99-99&to=0000-00-00"])
def test_hostile_links_never_raise(query):
    state, notices = from_query(query)
    assert isinstance(state, ViewState)
    assert all(len(n.text("nl")) < 400 for n in notices)


# --- Round trips (hypothesis) ---------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 12, 31))


@st.composite
def views(draw):
    table = draw(st.sampled_from(sorted(CATALOG.tables)))
    indicators = draw(st.lists(st.sampled_from(CATALOG.tables[table].indicators), unique=True, max_size=5))
    ratios = table_ratios(table, CATALOG)
    mode = draw(st.sampled_from([m for m in MODES if m != "ratio" or ratios]))
    start, end = draw(st.one_of(st.none(), dates)), draw(st.one_of(st.none(), dates))
    if start and end and start > end:
        start, end = end, start
    base = draw(st.one_of(st.none(), dates.map(dt.date.isoformat), st.integers(1948, 2030).map(str)))
    return ViewState(
        table=table, indicators=tuple(indicators), mode=mode,
        ratio=draw(st.one_of(st.none(), st.sampled_from(ratios))) if ratios else None,
        base=base, chart=draw(st.sampled_from(CHARTS)), start=start, end=end,
        trend=draw(st.booleans()), projection=draw(st.booleans()), events=draw(st.booleans()),
        log=draw(st.booleans()), revisions=draw(st.booleans()), asof=draw(st.one_of(st.none(), dates)),
        lang=draw(st.sampled_from(LANGS)), view=draw(st.sampled_from(["explore", "presentation"])))


@settings(max_examples=300, deadline=None)
@given(views())
def test_every_view_survives_its_link(state):
    state = normalize(state, CATALOG)
    query = to_query(state)
    back, notices = from_query(query, CATALOG)
    assert notices == []
    assert back == state
    assert to_query(back) == query
    names = [pair.split("=")[0] for pair in query.lstrip("?").split("&") if pair]
    assert names == [p for p in PARAMETERS if p in names]  # the fixed order


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_as_a_query_gives_a_view(text):
    state, notices = from_query(text, CATALOG)
    assert isinstance(state, ViewState)
    assert from_query(to_query(state), CATALOG) == (state, [])
