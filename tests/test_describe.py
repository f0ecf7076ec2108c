"""Generated sentences and titles, checked against what the publishers wrote themselves."""
from __future__ import annotations

import doctest
import importlib
import inspect
import subprocess
import sys

import numpy as np
import pytest

import analysis

from .conftest import ROOT, TABEL_1, TABEL_1_DATES


def first(indicator, lang="nl", **kw):
    return analysis.describe(indicator, lang=lang, **kw)[0]


# --- The letter: "De cijfers in de tabel 1 laten zien dat op 2 juni 2026 de werkvoorraad zedenzaken
# licht is gestegen (met 8%) ten opzichte van dezelfde periode vorig jaar, maar ook het aantal
# aangiftes ... is gestegen (9%). Tegelijkertijd is het aantal aangiftes dat langer dan zes maanden
# in voorraad ligt, gedaald."


def test_stock_sentence_says_what_the_letter_says():
    text = first("zeden_voorraad")
    for part in ("2 juni 2026", "2 juni 2025", "3.156", "3.400", "8% hoger", "+7,7%", "licht gestegen"):
        assert part in text
    assert "gedaald" not in text
    # 244 on counts of 3 000 is more than chance: the sentence says so rather than "binnen de normale schommeling"
    assert "meer dan toeval" in text and "schommeling" not in text


def test_reports_sentence_says_what_the_letter_says():
    text = first("zeden_aangiftes")
    for part in ("1.533", "1.676", "9% hoger", "+9,3%", "gestegen", "2 juni 2026"):
        assert part in text


def test_reports_older_than_six_months_fell_within_normal_variation():
    text = first("zeden_aangiftes_ouder_6mnd")
    for part in ("654", "642", "gedaald", "binnen de normale schommeling", "2 juni 2025"):
        assert part in text
    assert "gestegen" not in text


def test_english_sentences():
    stock = first("zeden_voorraad", "en")
    for part in ("2 June 2026", "2 June 2025", "3,156", "3,400", "8% higher", "+7.7%", "up slightly"):
        assert part in stock
    older = first("zeden_aangiftes_ouder_6mnd", "en")
    assert "down" in older and "within normal variation" in older


def test_direction_never_contradicts_the_table(bundled_store):
    """For every snapshot of Tabel 1 with one a year before, the sentence's direction matches the table."""
    for indicator, values in TABEL_1.items():
        s = bundled_store.series(indicator)
        for i in range(1, len(values)):
            text = analysis.describe(s.iloc[: i + 1], store=bundled_store)[0]
            old, new = values[i - 1], values[i]
            assert ("gestegen" in text) == (new > old) and ("gedaald" in text) == (new < old), text
            assert f"{int(round(abs(new - old) / old * 100))}% {'hoger' if new > old else 'lager'}" in text


def test_trend_sentence_says_how_many_points_it_rests_on():
    sentences = analysis.describe("zeden_voorraad")
    trend = next(s for s in sentences if s.startswith("Lineaire trend"))
    assert "5 standen" in trend and "ruwe schatting" in trend and "vlakke lijn" in trend


def test_caveats_from_the_catalog(catalog):
    sentences = analysis.describe("zeden_voorraad")
    assert catalog.caveats["reporting"]("nl") in sentences
    assert catalog.caveats["reporting"]("en") in analysis.describe("zeden_voorraad", lang="en")


# --- CBS --------------------------------------------------------------------------------------


def test_cbs_2013_to_2023_fell_27_percent_as_published_in_2024():
    sentences = analysis.describe("misdrijven_totaal", as_of="2024-12-31")
    ten_years = next(s for s in sentences if "2013" in s)
    for part in ("1.105.565", "27% lager", "−27,0%"):
        assert part in ten_years
    assert "807.375" in sentences[0] and "ongeveer" not in ten_years


def test_rounded_latest_value_reads_as_rounded_and_mentions_the_revision():
    sentences = analysis.describe("misdrijven_totaal")
    latest = sentences[0]
    # CBS 2025: "812 duizend in totaal. Dit is iets minder dan in 2023, toen waren het er 816 duizend."
    assert "812 duizend" in latest and "816 duizend" in latest and "gedaald" in latest
    assert "ongeveer 0,5% lager" in latest
    assert any("afgerond op duizendtallen" in s for s in sentences)
    assert any("807.375" in s and "816 duizend" in s for s in sentences)  # 2023 revised


# --- Titles -----------------------------------------------------------------------------------


def test_headlines():
    assert analysis.headline("zeden_voorraad") == "Voorraad zedenzaken 8% hoger dan een jaar eerder"
    assert analysis.headline("zeden_voorraad", lang="en") == "Stock of cases 8% higher than a year earlier"
    assert analysis.headline("zeden_aangiftes") == "Aangiftes 9% hoger dan een jaar eerder"
    older = analysis.headline("zeden_aangiftes_ouder_6mnd")
    assert "2% lager" in older and "binnen de normale schommeling" in older
    assert analysis.headline("misdrijven_totaal", as_of="2024-12-31").startswith("Misdrijven in 2023 0,2% lager dan in 2022")


def test_headline_of_a_ratio_uses_percentage_points(bundled_store):
    share = analysis.ratio_series(bundled_store, "aandeel_aangiftes_ouder_6mnd")
    # 642/1676 = 38,3% against 654/1533 = 42,7%: 4,4 points lower
    assert "4,4 procentpunt lager" in analysis.headline(share, store=bundled_store)


def test_describe_accepts_a_series_or_an_id(bundled_store):
    s = bundled_store.series("zeden_voorraad")
    assert analysis.describe(s, store=bundled_store) == analysis.describe("zeden_voorraad", store=bundled_store)


def test_bad_input():
    with pytest.raises(ValueError, match="language"):
        analysis.describe("zeden_voorraad", lang="de")
    with pytest.raises(KeyError, match="no_such"):
        analysis.describe("no_such_indicator")
    with pytest.raises(TypeError):
        analysis.headline(42)


# --- The package as a whole -------------------------------------------------------------------

PUBLIC = ["change", "index", "ratio", "ratio_series", "trend", "project", "noise_check", "describe", "headline"]


def test_public_functions_have_numpydoc_sections():
    for name in PUBLIC:
        doc = inspect.getdoc(getattr(analysis, name))
        for section in ("Parameters\n----------", "Returns\n-------"):
            assert section in doc, f"analysis.{name} lacks a {section.splitlines()[0]} section"


@pytest.mark.parametrize("module", ["analysis.change", "analysis.noise", "analysis.trend", "analysis.describe"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_analysis_never_imports_plotly_or_dash():
    code = ("import sys, analysis; analysis.describe('zeden_voorraad'); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('plotly', 'dash')]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_tabel_1_dates_are_the_snapshots_described(bundled_store):
    # guard against describing a different period than the table's last column
    assert TABEL_1_DATES[-1] == "2026-06-02" and "2 juni 2026" in first("zeden_incidenten")


def test_cbs_press_release_on_sexual_offences():
    # CBS, March 2023: "De politie heeft vorig jaar 9900 seksuele misdrijven geregistreerd, 1100 meer dan in 2021."
    text = first("seksuele_misdrijven")
    # a difference of two figures rounded to hundreds is as rough as they are: "ongeveer 1.100 meer"
    for part in ("in 2022", "ca. 9.900", "ca. 8.800", "ongeveer 1.100 meer", "gestegen", "ongeveer 13%"):
        assert part in text
    assert "+1.100" not in text


def test_a_difference_of_figures_rounded_to_thousands_does_not_look_exact():
    # CBS press release 2025: 2024 "812 duizend", 2023 "816 duizend", both rounded to thousands
    nl, en = first("misdrijven_totaal"), first("misdrijven_totaal", "en")
    assert "812 duizend" in nl and "816 duizend" in nl
    assert "ongeveer 4 duizend minder" in nl and "4.000" not in nl
    assert "about 4 thousand fewer" in en and "4,000" not in en
    f = analysis.formatting
    assert f.format_change(812000 - 816000, "nl", 1000) == "ca. −4 duizend"
    assert f.format_change(9900 - 8800, "en", 100) == "about +1,100"
    assert f.format_change(3400 - 3156, "nl") == "+244"  # exact figures stay exact (the letter: 3.156 -> 3.400)


def test_an_interval_that_straddles_zero_does_not_round_into_starting_at_zero():
    # Aangiftes 1.355, 1.404, 1.355, 1.533, 1.676 (Tabel 1): the slope's 95% interval runs from just
    # below zero (about -0.1) to about +154; "0 tot +154" would hide that it includes zero.
    trend = next(s for s in analysis.describe("zeden_aangiftes") if s.startswith("Lineaire trend"))
    low = analysis.trend(analysis.load().series("zeden_aangiftes")).slope_ci[0]
    assert -1 < low < 0  # the fact the wording must keep
    assert "95%-interval −0,1 tot +154" in trend and "niet te onderscheiden van een vlakke lijn" in trend
    f = analysis.formatting
    assert f.format_signed(-0.1, "nl", 0) == "−0,1" and f.format_signed(0.04, "en", 0) == "+0.04"
    assert f.format_signed(154.4, "nl", 0) == "+154" and f.format_signed(0, "nl", 0) == "0"
    assert f.format_signed(-1e-7, "nl", 0) == "ongeveer 0"


def test_one_headline_for_several_series_says_what_each_did():
    # The letter reads Tabel 1 as: the stock rose 8% on a year earlier, reports (aangiftes) rose 9%.
    assert analysis.headline(["zeden_voorraad", "zeden_aangiftes"]) == \
        "Voorraad zedenzaken 8% en aangiftes 9% hoger dan een jaar eerder"
    assert analysis.headline(["zeden_voorraad", "zeden_aangiftes"], lang="en") == \
        "Stock of cases 8% and reports 9% higher than a year earlier"
    # incidents 6.507 -> 6.228 fell 4%; suspects sent to the OM 1.169 -> 1.142 is within chance
    mixed = analysis.headline(["zeden_voorraad", "zeden_incidenten", "zeden_verdachten_om"])
    assert mixed.startswith("Voorraad zedenzaken 8% hoger en geregistreerde incidenten 4% lager dan een jaar eerder")
    assert "verdachten ingezonden naar OM binnen de normale schommeling" in mixed
    # all five of Tabel 1: voorraad and aangiftes rose, the other three fell
    five = analysis.headline(["zeden_incidenten", "zeden_voorraad", "zeden_aangiftes_ouder_6mnd", "zeden_aangiftes",
                              "zeden_verdachten_om"])
    assert five.startswith("Werkvoorraad zedenzaken: 2 van de 5 cijfers hoger, 3 lager dan een jaar eerder")
    # CBS 2024 against 2023: 812 vs 816 duizend; 45 vs 45 per 1 000 inhabitants
    assert analysis.headline(["misdrijven_totaal", "misdrijven_per_1000_inwoners"]) == \
        "Misdrijven ongeveer 0,5% lager in 2024 dan in 2023; misdrijven per 1 000 inwoners even hoog"


def test_percentages_round_half_up_as_readers_do():
    # +12,5% is "13%" in a Dutch statistical text, not "12%" (Python's and Babel's half-even rounding)
    assert analysis.formatting.format_percent(12.5, "nl", 0) == "13%"
    assert analysis.formatting.format_percent(-0.04, "nl", 1, sign=True) == "0,0%"


def test_a_trend_is_as_precise_as_its_interval_allows():
    # Registered crime 2015-2024 (StatLine 83723NED, 2023 and 2024 as the press releases give them,
    # rounded to thousands): about 15 thousand fewer a year, the 95% interval some 13 thousand each
    # side. "−15.239 per jaar" would claim a precision to the single offence.
    values = [978_945, 930_325, 832_950, 786_420, 821_905, 813_150, 758_065, 809_390, 816_000, 812_000]
    years = np.arange(2015, 2025, dtype=float)
    slope, intercept = np.polyfit(years, values, 1)
    residuals = values - (intercept + slope * years)
    half = 2.306004 * np.sqrt(residuals @ residuals / 8 / ((years - years.mean()) @ (years - years.mean())))
    assert 10_000 <= half < 100_000  # two digits of it: thousands
    expected = [f"{round(v / 1000):d}".replace("-", "−") for v in (slope, slope - half, slope + half)]
    trend = next(s for s in analysis.describe("misdrijven_totaal") if s.startswith("Lineaire trend"))
    assert f"{expected[0]} duizend per jaar (95%-interval {expected[1]} duizend tot {expected[2]} duizend)" in trend
    en = next(s for s in analysis.describe("misdrijven_totaal", lang="en") if s.startswith("Linear trend"))
    assert f"{expected[0]} thousand per year" in en


def test_many_series_say_what_they_were_compared_with():
    # Five series are counted, not named; the count still says against what: the previous
    # snapshot when asked, as the headline of fewer series does, not "a year earlier".
    five = ["zeden_incidenten", "zeden_voorraad", "zeden_aangiftes_ouder_6mnd", "zeden_aangiftes", "zeden_verdachten_om"]
    three = analysis.headline(five[1:4], against="previous")
    assert "dan de vorige stand" in three
    counted = analysis.headline(five, against="previous")
    assert "lager dan de vorige stand" in counted and "jaar eerder" not in counted
    assert "lower than the previous snapshot" in analysis.headline(five, against="previous", lang="en")
