"""The figure functions, called directly: data in the traces, titles, notes, axes, Dutch formats.

Expected numbers are typed in by hand from the published tables (Tabel 1 of the June 2026 letter,
CBS StatLine 83723NED and the CBS press releases), never taken from the functions under test.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import analysis
from dashboard.figures import BLUE, OKABE_ITO, chart, chart_spec
from dashboard.state import ViewState, from_query

from .conftest import TABEL_1, TABEL_1_DATES

SNAPSHOTS = [pd.Timestamp(d) for d in TABEL_1_DATES]


def view(query: str) -> ViewState:
    state, notices = from_query(query)
    assert notices == []
    return state


@pytest.fixture(scope="module")
def store(bundled_store):  # conftest's bundled store; `catalog` comes from conftest too
    return bundled_store


def series_traces(fig):
    return [tr for tr in fig.data if (tr.meta or {}).get("indicator_id")]


def foot(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.text).replace("<br>", " ")


def test_default_chart_plots_tabel_1_with_a_story_title(store, catalog):
    fig = chart(ViewState(), store, catalog)
    assert isinstance(fig, go.Figure)  # validated by plotly
    (trace,) = series_traces(fig)
    assert list(trace.y) == TABEL_1["zeden_voorraad"]
    assert [pd.Timestamp(x) for x in trace.x] == SNAPSHOTS
    assert trace.line.color == BLUE
    title = fig.layout.title.text
    assert analysis.headline("zeden_voorraad", store=store) in title.replace("<br>", " ")
    assert "8%" in title  # the letter: "8% gestegen"
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "Voorraad aantal zedenzaken" in subtitle and "aantal" in subtitle
    assert "stand 2 juni 2022 t/m stand 2 juni 2026" in subtitle
    notes = foot(fig)
    assert "Halfjaarbericht politie juni 2026" in notes and "gepubliceerd juni 2026" in notes
    assert "Minister van Justitie en Veiligheid" in notes
    assert "aangiftebereidheid" in notes  # the catalog's caveat on reporting
    assert "een voorraad op één peildatum" in notes
    # 2.775 .. 3.400: the line zooms in and says so
    assert fig.layout.yaxis.range[0] > 0 and "begint niet bij nul" in notes


def test_dutch_and_english_number_and_date_formats(store, catalog):
    nl = chart(ViewState(), store, catalog)
    en = chart(ViewState(lang="en"), store, catalog)
    assert nl.layout.separators == ",." and en.layout.separators == ".,"
    assert list(nl.layout.xaxis.ticktext) == ["2 jun 2022", "2 jun 2023", "2 jun 2024", "2 jun 2025", "2 jun 2026"]
    assert list(en.layout.xaxis.ticktext) == ["2 Jun 2022", "2 Jun 2023", "2 Jun 2024", "2 Jun 2025", "2 Jun 2026"]
    assert nl.layout.yaxis.tickformat == ",.2~f"  # thousands separator from `separators`: 3.400 / 3,400
    assert "stand 2 juni 2026: 3.400" in series_traces(nl)[0].hovertext[-1]
    assert "as at 2 June 2026: 3,400" in series_traces(en)[0].hovertext[-1]
    assert analysis.headline("zeden_voorraad", lang="en", store=store) in en.layout.title.text.replace("<br>", " ")
    end_labels = [a.text for a in nl.layout.annotations]
    assert "3.400" in end_labels and "3,400" in [a.text for a in en.layout.annotations]
    assert "Source:" in foot(en) and "published June 2026" in foot(en)


def test_bars_of_counts_start_at_zero(store, catalog):
    fig = chart(view("?chart=bar&indicators=zeden_aangiftes"), store, catalog)
    (trace,) = series_traces(fig)
    assert trace.type == "bar" and list(trace.y) == TABEL_1["zeden_aangiftes"]
    assert fig.layout.yaxis.range[0] == 0
    assert "begint niet bij nul" not in foot(fig)


def test_percent_change_against_a_year_earlier_has_a_zero_line(store, catalog):
    fig = chart(view("?mode=pct_change&indicators=zeden_voorraad,zeden_aangiftes"), store, catalog)
    stock, reports = series_traces(fig)
    # 3.156 -> 3.400 and 1.533 -> 1.676, by hand: +7,7% and +9,3% (the letter: 8% and 9%)
    assert stock.y[-1] == pytest.approx((3400 / 3156 - 1) * 100)
    assert reports.y[-1] == pytest.approx((1676 / 1533 - 1) * 100)
    assert np.isnan(stock.y[0])  # no snapshot a year before 2 June 2022
    low, high = fig.layout.yaxis.range
    assert low < 0 < high and fig.layout.yaxis.zeroline and fig.layout.yaxis.ticksuffix == "%"
    assert "+7,7%" in stock.hovertext[-1] and "3.156" in stock.hovertext[-1]
    assert "verandering t.o.v. een jaar eerder" in fig.layout.title.subtitle.text.replace("<br>", " ")


def test_absolute_change_index_and_ratio(store, catalog):
    change = series_traces(chart(view("?mode=change"), store, catalog))[0]
    assert list(change.y[1:]) == [3166 - 3361, 2775 - 3166, 3156 - 2775, 3400 - 3156]
    index = series_traces(chart(view("?mode=index&base=2022-06-02"), store, catalog))[0]
    assert list(index.y) == pytest.approx([v / 3361 * 100 for v in TABEL_1["zeden_voorraad"]])
    ratio_fig = chart(view("?mode=ratio"), store, catalog)
    ratio = series_traces(ratio_fig)[0]
    older, reports = TABEL_1["zeden_aangiftes_ouder_6mnd"], TABEL_1["zeden_aangiftes"]
    assert list(ratio.y) == pytest.approx([o / r * 100 for o, r in zip(older, reports)])
    # the share and what it is made of, in words: 642 of the 1.676 reports (Tabel 1, 2 June 2026)
    assert "38,3%" in ratio.hovertext[-1] and "642 van 1.676" in ratio.hovertext[-1]
    assert "stand 2 juni 2026: index 101,2" in index.hovertext[-1]  # 3.400 / 3.361, not a bare number


def test_provisional_rounded_and_revised_values_look_and_read_differently(store, catalog):
    fig = chart(view("?table=cbs_geregistreerde_criminaliteit&from=2019"), store, catalog)
    (trace,) = series_traces(fig)
    years = [pd.Timestamp(x).year for x in trace.x]
    assert years == [2019, 2020, 2021, 2022, 2023, 2024]
    # StatLine: 2019-2021 exact; 2022 voorlopig; press release 2025: 2023 "816 duizend" (herzien), 2024 812 duizend
    assert list(trace.y) == [821905, 813150, 758065, 809390, 816000, 812000]
    symbols = dict(zip(years, trace.marker.symbol))
    assert symbols[2022] == symbols[2024] == "circle-open" and symbols[2021] == symbols[2023] == "circle"
    hover = dict(zip(years, trace.hovertext))
    assert "816 duizend" in hover[2023] and "afgerond op duizendtallen" in hover[2023] and "herzien" in hover[2023]
    assert "voorlopig" in hover[2024]
    notes = foot(fig)
    assert "Open markering: voorlopig cijfer (2022, 2024)" in notes
    assert "2023, 2024: afgerond op duizendtallen" in notes
    assert "2023 herzien: eerder 807.375 (voorlopig, gepubliceerd 31 december 2024), nu 816 duizend" in notes
    assert "Centraal Bureau voor de Statistiek" in notes


def test_as_published_on_a_date_and_the_earlier_values(store, catalog):
    old = chart(view("?table=cbs_geregistreerde_criminaliteit&from=2019&asof=2024-12-31"), store, catalog)
    (trace,) = series_traces(old)
    assert [pd.Timestamp(x).year for x in trace.x][-1] == 2023 and trace.y[-1] == 807375
    assert "zoals gepubliceerd op 31 december 2024" in old.layout.title.subtitle.text.replace("<br>", " ")
    assert "2023 herzien" not in foot(old)  # the revision came later
    revised = chart(view("?table=cbs_geregistreerde_criminaliteit&from=2019&revisions=1"), store, catalog)
    earlier = [tr for tr in revised.data if tr.marker and tr.marker.symbol == "diamond-open"]
    assert len(earlier) == 1 and list(earlier[0].y) == [807375]
    assert "eerder gepubliceerd: 807.375 (voorlopig)" in earlier[0].hovertext[0]


def test_events_are_labelled_vertical_lines_that_can_be_hidden(store, catalog):
    fig = chart(ViewState(), store, catalog)
    lines = sorted(str(s.x0)[:10] for s in fig.layout.shapes if s.type == "line" and s.yref == "paper")
    assert lines == ["2024-07-01", "2025-12-31"]
    labels = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    assert "Wet seksuele misdrijven in werking (1 jul 2024)" in labels
    assert "Actieplan Ketenaanpak Zedenzaken afgerond" in labels
    hidden = chart(ViewState(events=False), store, catalog)
    assert not [s for s in hidden.layout.shapes if s.yref == "paper"]


def test_trend_line_matches_an_independent_least_squares_fit(store, catalog):
    fig = chart(view("?trend=1"), store, catalog)
    trend = next(tr for tr in fig.data if tr.name and tr.name.endswith(": trend"))
    years = np.array([(d - SNAPSHOTS[0]).days / 365.25 for d in SNAPSHOTS])
    slope, intercept = np.polyfit(years, TABEL_1["zeden_voorraad"], 1)
    assert list(trend.y) == pytest.approx(list(intercept + slope * years))
    band = next(tr for tr in fig.data if tr.fill == "toself")
    assert len(band.x) == 2 * len(SNAPSHOTS)
    notes = foot(fig)
    # the slope to two digits of its 95% interval's half-width (t with 3 degrees of freedom: 3,182)
    residuals = np.array(TABEL_1["zeden_voorraad"]) - (intercept + slope * years)
    centred = years - years.mean()
    half = 3.182446 * np.sqrt(residuals @ residuals / 3 / (centred @ centred))
    step = 10 ** (np.floor(np.log10(half)) - 1)
    assert step == 10 and f"+{round(slope / step) * step:.0f} per jaar" in notes and "op 5 punten" in notes


def test_projection_only_where_the_analysis_allows_it(store, catalog):
    refused = chart(view("?projection=1"), store, catalog)
    assert "Geen projectie (Voorraad zedenzaken): Te kort voor een projectie: 5 waarden" in foot(refused)
    assert not [tr for tr in refused.data if tr.name and "projectie" in tr.name]
    allowed = chart(view("?indicators=misdrijven_per_1000_inwoners&projection=1&from=2015"), store, catalog)
    projection = next(tr for tr in allowed.data if tr.name and tr.name.endswith(": projectie"))
    future = [pd.Timestamp(x) for x in projection.x[1:]]
    assert future and all(x > pd.Timestamp("2024-12-31") for x in future)
    assert "voortzetting van de trend" in foot(allowed) and "geen prognose" in foot(allowed)
    assert "PROJECTIE" in [a.text for a in allowed.layout.annotations]


def test_several_series_differ_in_colour_and_line_style_and_are_labelled_at_their_end(store, catalog):
    fig = chart(view("?indicators=zeden_voorraad,zeden_aangiftes,zeden_verdachten_om"), store, catalog)
    traces = series_traces(fig)
    assert [tr.line.color for tr in traces] == list(OKABE_ITO[:3])
    assert len({tr.line.dash for tr in traces}) == 3
    assert fig.layout.showlegend is False
    labels = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    for text in ("Voorraad zedenzaken 3.400", "Aangiftes 1.676", "Verdachten ingezonden naar OM 1.142"):
        assert text in labels
    for tr, key in zip(traces, ("zeden_voorraad", "zeden_aangiftes", "zeden_verdachten_om")):
        assert list(tr.y) == TABEL_1[key]


def test_log_scale_and_its_refusal_for_changes(store, catalog):
    fig = chart(view("?table=cbs_geregistreerde_criminaliteit&log=1"), store, catalog)
    assert fig.layout.yaxis.type == "log"
    refused = chart(view("?mode=change&log=1"), store, catalog)
    assert refused.layout.yaxis.type != "log"
    assert any("logaritmische schaal" in n for n in refused.layout.meta["notices"])


def test_nothing_published_yet_says_so(store, catalog):
    fig = chart(view("?asof=2020-01-01"), store, catalog)
    assert not fig.data
    assert "Op 1 januari 2020 was nog geen van deze cijfers gepubliceerd." in foot(fig)


def test_spec_is_the_figure_and_sizes_follow_the_width(store, catalog):
    state = view("?indicators=zeden_voorraad,zeden_aangiftes&trend=1")
    spec, fig = chart_spec(state, store, catalog), chart(state, store, catalog)
    assert [list(t["y"]) for t in spec["data"]] == [list(t.y) for t in fig.data]
    phone = chart(state, store, catalog, width=360)
    assert phone.layout.title.font.size < fig.layout.title.font.size
    assert phone.layout.title.text.count("<br>") >= fig.layout.title.text.count("<br>")
    assert fig.layout.font.family.startswith("Liberation Sans")


def test_the_figure_carries_its_data_for_a_letter(store, catalog):
    """Nothing important only in the page: title, subtitle, source, reference date, notes in the figure."""
    fig = chart(view("?table=cbs_seksuele_misdrijven&lang=en"), store, catalog)
    text = fig.layout.title.text + fig.layout.title.subtitle.text + foot(fig)
    text = text.replace("<br>", " ")
    assert "Registered sexual offences" in text and "2013 to 2022" in text
    assert "rounded to hundreds" in text and "Sources: CBS" in text and "published March 2023" in text
    assert "willingness to report" in text
    years = [pd.Timestamp(x).year for x in series_traces(fig)[0].x]
    assert years == [2013, 2015, 2018, 2021, 2022]  # gaps stay gaps
    assert list(series_traces(fig)[0].y) == [8600, 7700, 9100, 8800, 9900]


def test_a_change_between_rounded_figures_is_as_rough_as_they_are(store, catalog):
    fig = chart(view("?table=cbs_geregistreerde_criminaliteit&mode=change&from=2023"), store, catalog)
    (trace,) = series_traces(fig)
    assert list(trace.y) == [816000 - 809390, 812000 - 816000]
    revised, latest = trace.hovertext
    # 809.390 is exact, 816 duizend not: the change is "ca." with its sign inside, never "+ca." or "−4.000"
    assert "2023: ca. +6.610" in revised and "2022: 809.390" in revised
    assert "2024: ca. −4 duizend" in latest and "t.o.v. 2023: 816 duizend" in latest


# --- Texts of a chart of several series, and of half-yearly snapshots ------------------------------

# A December letter as a long CSV: one new half-yearly snapshot, and a revision of June's stock.
DECEMBER_CSV = ("indicator_id,period,value\n"
                "zeden_voorraad,2026-12-02,3500\n"
                "zeden_voorraad,2026-06-02,3410\n"
                "zeden_aangiftes,2026-06-02,1676\n")


@pytest.fixture
def december_store(store_copy, tmp_path):
    from analysis.ingest import commit, prepare

    letter = tmp_path / "halfjaarbericht-december-2026.csv"
    letter.write_text(DECEMBER_CSV)
    commit(prepare(letter, store_copy, vintage=dt.date(2026, 12, 18), title="Halfjaarbericht politie december 2026"),
           store_copy, letter)
    return analysis.load(store_copy.dir)


def test_a_chart_of_several_series_has_a_title_about_all_of_them(store, catalog):
    # The letter: the stock of cases rose 8%, reports (aangiftes) rose 9% on a year earlier.
    fig = chart(view("?indicators=zeden_voorraad,zeden_aangiftes"), store, catalog)
    title = fig.layout.title.text.replace("<br>", " ")
    assert "Voorraad zedenzaken 8% en aangiftes 9% hoger dan een jaar eerder" in title
    en = chart(view("?indicators=zeden_voorraad,zeden_aangiftes&lang=en"), store, catalog)
    assert "Stock of cases 8% and reports 9% higher than a year earlier" in en.layout.title.text.replace("<br>", " ")


def test_the_subtitle_says_each_unit_once(store, catalog):
    def subtitle(query):
        return chart(view(query), store, catalog).layout.title.subtitle.text.replace("<br>", " ")

    per_1000 = subtitle("?table=cbs_geregistreerde_criminaliteit&indicators=misdrijven_per_1000_inwoners")
    assert per_1000.count("per 1 000 inwoners") == 1
    both = subtitle("?indicators=zeden_voorraad,zeden_aangiftes")
    assert both.startswith("Voorraad zedenzaken en aangiftes, aantal ·") and both.count("aantal") == 1
    # different units: each series with its own
    mixed = chart(view("?table=cbs_geregistreerde_criminaliteit&indicators=misdrijven_totaal,misdrijven_per_1000_inwoners"),
                  store, catalog)
    assert mixed.layout.title.subtitle.text.replace("<br>", " ").startswith(
        "Misdrijven (aantal) en misdrijven per 1 000 inwoners ·")


def test_a_count_and_a_rate_are_drawn_in_panels_of_their_own(store, catalog):
    # On one axis from 0 to 1,6 million the rate (45 per 1 000 inhabitants in 2024, CBS press
    # release) is a flat line along zero. Each unit its own panel, its unit above it.
    fig = chart(view("?table=cbs_geregistreerde_criminaliteit&indicators=misdrijven_totaal,misdrijven_per_1000_inwoners"
                     "&from=2015-01-01&trend=1"), store, catalog)
    axis_of = {t.meta["indicator_id"]: t.yaxis or "y" for t in fig.data if t.meta}
    assert axis_of == {"misdrijven_totaal": "y", "misdrijven_per_1000_inwoners": "y2"}
    assert {t.yaxis for t in fig.data if not t.meta} == {None, "y2"}  # each trend line with its series
    low, high = fig.layout.yaxis2.range
    assert 0 <= low < 43 and 58 < high < 100  # the rate 2015-2024: from 58 to 43 at its lowest (StatLine 83723NED)
    assert fig.layout.yaxis.range[0] > 400_000  # the count, 758 065 at its lowest (2021), on an axis of its own
    top, bottom = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert bottom[1] < top[0] and fig.layout.xaxis.anchor == "y2"  # one above the other, time axis below
    units = {a.text for a in fig.layout.annotations if a.yref in ("paper", None) and a.text in ("aantal", "per 1 000 inwoners")}
    assert units == {"aantal", "per 1 000 inwoners"}
    # "per 1 000" is not broken over two lines, in the title or the end labels, at any width
    for width in (375, 600, 960, 1280):
        wrapped = chart(view("?table=cbs_geregistreerde_criminaliteit&indicators=misdrijven_totaal,"
                             "misdrijven_per_1000_inwoners"), store, catalog, width=width)
        texts = [wrapped.layout.title.text, wrapped.layout.title.subtitle.text, *(a.text for a in wrapped.layout.annotations)]
        assert any("1 000" in text for text in texts) and not any("1<br>000" in text for text in texts), width
    # the same unit (a percent change) shares one axis
    pct = chart(view("?table=cbs_geregistreerde_criminaliteit&indicators=misdrijven_totaal,misdrijven_per_1000_inwoners"
                     "&mode=pct_change"), store, catalog)
    assert {t.yaxis for t in pct.data} == {None} and "yaxis2" not in pct.layout.to_plotly_json()


def test_provisional_periods_are_listed_in_time_order(store, catalog):
    # StatLine 83723NED: 2022 and 2023 provisional (*); the press release of 2025: 2024 provisional
    fig = chart(view("?table=cbs_geregistreerde_criminaliteit&indicators=misdrijven_totaal,misdrijven_per_1000_inwoners"),
                store, catalog)
    note = next(n for n in fig.layout.meta["notes"] if n.startswith("Open markering"))
    years = [int(y) for y in note[note.index("(") + 1:note.index(")")].split(", ")]
    assert years == sorted(years) and 2022 in years and 2024 in years


def test_a_revision_note_names_the_indicator_when_there_are_several(december_store, catalog):
    several = chart(view("?indicators=zeden_voorraad,zeden_aangiftes"), december_store, catalog)
    assert "Voorraad aantal zedenzaken, stand 2 juni 2026 herzien: eerder 3.400" in foot(several)
    assert "nu 3.410" in foot(several)
    alone = chart(view("?indicators=zeden_voorraad"), december_store, catalog)
    assert "Stand 2 juni 2026 herzien: eerder 3.400" in foot(alone)
    # no December a year earlier: the title compares with the previous snapshot (3.410 -> 3.500, +2,6%)
    assert "Voorraad zedenzaken 3% hoger dan de vorige stand" in alone.layout.title.text.replace("<br>", " ")


@pytest.mark.parametrize("preset, width", [("letter", None), ("slide", None), (None, 375), (None, 960)])
def test_tick_labels_of_half_yearly_snapshots_do_not_crowd(december_store, catalog, preset, width):
    fig = chart(view("?indicators=zeden_voorraad"), december_store, catalog, width=width, preset=preset)
    layout = fig.layout
    ticks = [pd.Timestamp(x) for x in layout.xaxis.tickvals]
    assert "2 dec 2026" in layout.xaxis.ticktext  # the latest snapshot is labelled
    lo, hi = (pd.Timestamp(x) for x in layout.xaxis.range)
    plot_w = (width or (layout.width or 0) or {"letter": 756, "slide": 1920}[preset]) - layout.margin.l - layout.margin.r
    at = [(x - lo) / (hi - lo) * plot_w for x in ticks]
    font = layout.xaxis.tickfont.size
    for (a, text_a), (b, text_b) in zip(zip(at, layout.xaxis.ticktext), zip(at[1:], layout.xaxis.ticktext[1:])):
        # centred labels of a sans-serif font (at most 0.6 em a character) must leave a gap
        assert b - a >= (len(text_a) + len(text_b)) / 2 * 0.6 * font + 4, (text_a, text_b, b - a)


def test_trend_words_keep_the_sign_of_a_bound_near_zero_and_read_well_in_english(store, catalog):
    # Aangiftes (Tabel 1): slope about +77 a year, 95% interval from just below zero to about +154
    nl = foot(chart(view("?indicators=zeden_aangiftes&trend=1"), store, catalog))
    assert "95%-interval −0,1 tot +154" in nl and "(stand 2 jun 2022 t/m stand 2 jun 2026)" in nl
    en = foot(chart(view("?indicators=zeden_aangiftes&trend=1&lang=en"), store, catalog))
    assert "95% interval −0.1 to +154" in en and "(as at 2 Jun 2022 to 2 Jun 2026)" in en and "to as at" not in en


def test_english_comparisons_name_the_date_compared_with(store, catalog):
    from dashboard import content

    (figure,) = content.key_figures(view("?lang=en"), store, catalog)
    assert figure["change_note"].startswith("compared with 2 June 2025: 3,156")  # Tabel 1: 3.156 on 2 June 2025
    assert "2 Jun 2022 to 2 Jun 2026" in figure["trend_note"] and "to as at" not in figure["trend_note"]
    fig = chart(view("?mode=change&lang=en"), store, catalog)
    assert "compared with 2 June 2025: 3,156" in series_traces(fig)[0].hovertext[-1]


def test_an_interval_names_its_unit_once(store, catalog):
    import re

    note = next(n for n in chart(view("?mode=ratio&trend=1"), store, catalog).layout.meta["notes"] if n.startswith("Trend"))
    assert re.search(r"\(95%-interval −[\d,]+ tot [+−][\d,]+ procentpunt\)", note), note
    assert note.count("procentpunt") == 2  # the slope's and the interval's, not each bound's
