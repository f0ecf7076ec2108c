"""Change, index and ratio: checked against the publishers' own reading and plain arithmetic."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis.change import YEAR_TOLERANCE_DAYS
from analysis.noise import MIN_BASE_FOR_PERCENT

from .conftest import TABEL_1, TABEL_1_DATES

JUNE_2025, JUNE_2026 = pd.Timestamp("2025-06-02"), pd.Timestamp("2026-06-02")
# CBS 83723NED as published in the 2024 release (typed from the StatLine copy).
CBS_2013, CBS_2023 = 1105565, 807375


def _snapshots(values, dates, unit="count"):
    s = pd.Series([float(v) for v in values], index=pd.DatetimeIndex(pd.to_datetime(dates), name="period_end"))
    s.attrs = {"unit": unit}
    return s


# --- The letter's reading of Tabel 1 ------------------------------------------------------------


@pytest.mark.parametrize(
    "indicator, old, new, rounded_pct",
    [
        # "de werkvoorraad zedenzaken licht is gestegen (met 8%)"
        ("zeden_voorraad", 3156, 3400, 8),
        # "het aantal aangiftes ... is gestegen (9%)"
        ("zeden_aangiftes", 1533, 1676, 9),
        # "het aantal aangiftes dat langer dan zes maanden in voorraad ligt, gedaald"
        ("zeden_aangiftes_ouder_6mnd", 654, 642, None),
    ],
)
def test_change_against_a_year_earlier_reproduces_the_letter(bundled_store, indicator, old, new, rounded_pct):
    row = analysis.change(bundled_store.series(indicator), against="year").loc[JUNE_2026]
    assert row["base_period"] == JUNE_2025
    assert (row["base_value"], row["value"]) == (old, new)
    assert row["abs_change"] == new - old
    assert row["pct_change"] == pytest.approx((new - old) / old * 100)
    if rounded_pct is not None:
        assert round(row["pct_change"]) == rounded_pct
    assert np.sign(row["abs_change"]) == (1 if new > old else -1)


def test_the_letters_percentages_to_one_decimal(bundled_store):
    by_year = {i: analysis.change(bundled_store.series(i)).loc[JUNE_2026, "pct_change"] for i in TABEL_1}
    assert round(by_year["zeden_voorraad"], 1) == 7.7
    assert round(by_year["zeden_aangiftes"], 1) == 9.3


def test_noise_verdicts_for_tabel_1(bundled_store):
    # 3 156 -> 3 400: sd of a difference of Poisson counts is sqrt(3156 + 3400) = 81, and 244 is 3 sd.
    # 654 -> 642: 12 against an sd of 36 is nothing.
    verdicts = {i: analysis.change(bundled_store.series(i)).loc[JUNE_2026, "verdict"] for i in TABEL_1}
    assert verdicts["zeden_voorraad"] == "increase"
    assert verdicts["zeden_aangiftes"] == "increase"
    assert verdicts["zeden_aangiftes_ouder_6mnd"] == "within_noise"


def test_first_snapshot_has_no_base(bundled_store):
    c = analysis.change(bundled_store.series("zeden_voorraad"))
    first = c.iloc[0]
    assert pd.isna(first["base_period"]) and math.isnan(first["pct_change"]) and first["verdict"] is None
    assert list(c.columns) == ["value", "base_period", "base_value", "abs_change", "pct_change", "verdict"]
    assert [d.strftime("%Y-%m-%d") for d in c.index] == TABEL_1_DATES


def test_previous_period_of_every_tabel_1_row(bundled_store):
    for indicator, values in TABEL_1.items():
        c = analysis.change(bundled_store.series(indicator), against="previous")
        expected = [math.nan] + [(b - a) / a * 100 for a, b in zip(values, values[1:])]
        np.testing.assert_allclose(c["pct_change"].to_numpy(), expected, equal_nan=True)


# --- CBS: registered crime --------------------------------------------------------------------


def test_cbs_registered_crime_2013_to_2023_fell_27_percent(bundled_store):
    s = bundled_store.series("misdrijven_totaal", as_of="2024-12-31")
    idx = analysis.index(s, 2013)
    assert idx.loc["2013-12-31"] == 100
    assert idx.loc["2023-12-31"] == pytest.approx(CBS_2023 / CBS_2013 * 100)
    assert round(100 - idx.loc["2023-12-31"]) == 27


def test_year_totals_compare_with_the_previous_year_and_keep_rounding(bundled_store):
    c = analysis.change(bundled_store.series("misdrijven_totaal"))
    row = c.loc["2023-12-31"]
    # the 2025 release revises 2023 to "816 duizend" (rounded to thousands)
    assert row["value"] == 816_000 and row["base_value"] == 809_390
    assert row["base_period"] == pd.Timestamp("2022-12-31")
    assert c.attrs["rounded_to"][pd.Timestamp("2023-12-31")] == 1000


def test_year_total_with_a_gap_gets_no_base(bundled_store):
    # CBS press releases give sexual offences for 2013, 2015, 2018, 2021 and 2022 only.
    c = analysis.change(bundled_store.series("seksuele_misdrijven"))
    assert c["base_period"].isna().tolist() == [True, True, True, True, False]
    assert c.loc["2022-12-31", "base_period"] == pd.Timestamp("2021-12-31")
    prev = analysis.change(bundled_store.series("seksuele_misdrijven"), against="previous")
    assert prev.loc["2015-12-31", "base_period"] == pd.Timestamp("2013-12-31")


# --- Matching a year earlier ------------------------------------------------------------------


def test_irregular_snapshot_dates_match_within_the_tolerance():
    s = _snapshots([100, 110, 120, 130], ["2023-05-28", "2024-06-20", "2025-03-01", "2026-06-02"])
    c = analysis.change(s)
    assert c.loc["2024-06-20", "base_period"] == pd.Timestamp("2023-05-28")  # 23 days off
    assert pd.isna(c.loc["2025-03-01", "base_period"])  # nearest is 111 days off a year earlier
    assert pd.isna(c.loc["2026-06-02", "base_period"])  # 2025-03-01 is 93 days off


def test_half_year_snapshots_compare_with_the_same_date_a_year_earlier():
    s = _snapshots([100, 105, 110, 120], ["2025-06-02", "2025-12-02", "2026-06-02", "2026-12-02"])
    c = analysis.change(s)
    assert c.loc["2026-12-02", "base_period"] == pd.Timestamp("2025-12-02")
    assert c.loc["2026-06-02", "base_period"] == pd.Timestamp("2025-06-02")
    assert analysis.change(s, "previous").loc["2026-12-02", "base_period"] == pd.Timestamp("2026-06-02")


def test_missing_base_value_gives_missing_change_not_a_neighbour():
    s = _snapshots([100, math.nan, 130], ["2024-06-02", "2025-06-02", "2026-06-02"])
    row = analysis.change(s).loc["2026-06-02"]
    assert row["base_period"] == pd.Timestamp("2025-06-02")
    assert math.isnan(row["base_value"]) and math.isnan(row["abs_change"]) and math.isnan(row["pct_change"])
    assert row["verdict"] is None


def test_no_percent_from_a_small_or_zero_base():
    s = _snapshots([0, 12, 49, 60], ["2023-06-02", "2024-06-02", "2025-06-02", "2026-06-02"])
    c = analysis.change(s, "previous")
    assert c["abs_change"].tolist()[1:] == [12, 37, 11]
    assert c["pct_change"].isna().tolist() == [True, True, True, True]  # bases 0, 12, 49 < 50
    s2 = _snapshots([50, 60], ["2025-06-02", "2026-06-02"])
    assert analysis.change(s2).iloc[-1]["pct_change"] == pytest.approx(20.0)


def test_non_count_units_get_a_percent_but_no_noise_verdict():
    s = _snapshots([46, 45], ["2022-12-31", "2023-12-31"], unit="per_1000_inhabitants")
    row = analysis.change(s).iloc[-1]
    assert row["pct_change"] == pytest.approx(-1 / 46 * 100)
    assert row["verdict"] is None


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="against"):
        analysis.change(_snapshots([1, 2], ["2025-06-02", "2026-06-02"]), against="month")
    with pytest.raises(ValueError, match="DatetimeIndex"):
        analysis.change(pd.Series([1.0, 2.0], name="x"))
    with pytest.raises(ValueError, match="2026-06-02 more than once"):
        analysis.change(pd.Series([1.0, 2.0], index=pd.to_datetime(["2026-06-02", "2026-06-02"])))


# --- Index and ratio --------------------------------------------------------------------------


def test_index_by_date_iso_string_and_year_agree(bundled_store):
    s = bundled_store.series("zeden_voorraad")
    by_year = analysis.index(s, 2022)
    assert by_year.equals(analysis.index(s, "2022-06-02"))
    assert by_year.equals(analysis.index(s, pd.Timestamp("2022-06-02").date()))
    expected = [v / 3361 * 100 for v in TABEL_1["zeden_voorraad"]]
    np.testing.assert_allclose(by_year.to_numpy(), expected)
    assert by_year.attrs["indicator_id"] == "zeden_voorraad"
    assert by_year.attrs["index_base"] == pd.Timestamp("2022-06-02")


def test_an_index_of_counts_gets_no_noise_verdict(bundled_store):
    # 100 -> 107,7 are not counts of 100: the noise check belongs to the counts themselves
    idx = analysis.index(bundled_store.series("zeden_voorraad"), 2025)
    assert analysis.change(idx).loc[JUNE_2026, "verdict"] is None


def test_index_refuses_a_base_that_is_absent_zero_or_missing():
    s = _snapshots([0, 5, math.nan], ["2024-06-02", "2025-06-02", "2026-06-02"])
    with pytest.raises(ValueError, match="no period .* ends in 2019"):
        analysis.index(s, 2019)
    with pytest.raises(ValueError, match="2025-06-03: not a period end"):
        analysis.index(s, "2025-06-03")
    with pytest.raises(ValueError, match="is 0"):
        analysis.index(s, 2024)
    with pytest.raises(ValueError, match="is missing"):
        analysis.index(s, "2026-06-02")
    half_years = _snapshots([1, 2], ["2026-06-02", "2026-12-02"])
    with pytest.raises(ValueError, match="several periods"):
        analysis.index(half_years, 2026)


def test_ratio_share_of_reports_older_than_six_months(bundled_store):
    r = analysis.ratio_series(bundled_store, "aandeel_aangiftes_ouder_6mnd")
    expected = [a / b * 100 for a, b in zip(TABEL_1["zeden_aangiftes_ouder_6mnd"], TABEL_1["zeden_aangiftes"])]
    np.testing.assert_allclose(r.to_numpy(), expected)
    assert round(r.loc["2026-06-02"], 1) == 38.3  # 642 / 1676
    assert r.attrs["unit"] == "percent" and r.attrs["ratio_id"] == "aandeel_aangiftes_ouder_6mnd"
    with pytest.raises(KeyError, match="unknown ratio"):
        analysis.ratio_series(bundled_store, "no_such_ratio")


def test_ratio_aligns_on_common_periods_and_blanks_zero_denominators():
    num = _snapshots([1, 2, 3], ["2024-06-02", "2025-06-02", "2026-06-02"])
    den = _snapshots([4, 0, 6, 8], ["2023-06-02", "2024-06-02", "2025-06-02", "2026-06-02"])
    r = analysis.ratio(num, den, scale=100)
    assert [d.year for d in r.index] == [2024, 2025, 2026]
    assert math.isnan(r.iloc[0])
    assert r.iloc[1:].tolist() == pytest.approx([2 / 6 * 100, 3 / 8 * 100])


# --- Properties on random series --------------------------------------------------------------

values = st.one_of(st.just(0.0), st.just(math.nan), st.integers(0, 100_000).map(float))


@st.composite
def series_with_gaps(draw, min_size=1):
    n = draw(st.integers(min_size, 12))
    offsets = sorted(draw(st.sets(st.integers(0, 15 * 365), min_size=n, max_size=n)))
    dates = pd.Timestamp("2010-01-01") + pd.to_timedelta(offsets, unit="D")
    s = pd.Series([draw(values) for _ in range(n)], index=pd.DatetimeIndex(dates, name="period_end"))
    s.attrs = {"unit": draw(st.sampled_from(["count", "per_1000_inhabitants"]))}
    return s


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series_with_gaps())
def test_change_previous_properties(s):
    c = analysis.change(s, "previous")
    assert c.index.equals(s.index)
    assert pd.isna(c["base_period"].iloc[0])
    assert c["base_period"].iloc[1:].tolist() == list(s.index[:-1])
    for row, base in zip(c.iloc[1:].to_dict("records"), s.iloc[:-1]):
        _check_row(row, base, s.attrs["unit"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series_with_gaps())
def test_change_year_properties(s):
    c = analysis.change(s, "year")
    days = s.index.to_numpy().astype("datetime64[D]").astype(np.int64)
    for i, (end, row) in enumerate(zip(c.index, c.to_dict("records"))):
        target = (end - pd.DateOffset(years=1)).to_datetime64().astype("datetime64[D]").astype(np.int64)
        distance = np.abs(days - target)
        eligible = (distance <= YEAR_TOLERANCE_DAYS) & (days < days[i])
        if not eligible.any():
            assert pd.isna(row["base_period"]) and math.isnan(row["abs_change"]) and row["verdict"] is None
            continue
        base_pos = s.index.get_loc(row["base_period"])
        # the chosen base is eligible and no eligible period is closer to a year earlier
        assert eligible[base_pos] and distance[base_pos] == distance[eligible].min()
        _check_row(row, s.iloc[base_pos], s.attrs["unit"])


def _check_row(row, base, unit):
    value = row["value"]
    if math.isnan(base) or math.isnan(value):
        assert math.isnan(row["abs_change"]) and math.isnan(row["pct_change"]) and row["verdict"] is None
        return
    assert row["abs_change"] == value - base
    small = base <= 0 or (unit == "count" and base < MIN_BASE_FOR_PERCENT)
    if small:
        assert math.isnan(row["pct_change"])
    else:
        assert row["pct_change"] == pytest.approx((value - base) / base * 100)
    if unit == "count":
        assert row["verdict"] in ("increase", "decrease", "within_noise")
        # a verdict never points against the sign of the change
        assert not (row["verdict"] == "increase" and value <= base)
        assert not (row["verdict"] == "decrease" and value >= base)
    else:
        assert row["verdict"] is None


@settings(max_examples=150, deadline=None)
@given(series_with_gaps(min_size=1), st.data())
def test_index_properties(s, data):
    base = data.draw(st.sampled_from(list(s.index)))
    base_value = s[base]
    if math.isnan(base_value) or base_value <= 0:
        with pytest.raises(ValueError, match=str(base.date())):
            analysis.index(s, base)
        return
    idx = analysis.index(s, base)
    assert idx[base] == pytest.approx(100)
    expected = s / base_value * 100
    np.testing.assert_allclose(idx.to_numpy(), expected.to_numpy(), equal_nan=True)
    assert idx.attrs["unit"] == s.attrs["unit"]
