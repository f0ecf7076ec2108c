"""Trend and projection, checked against least squares done by hand with numpy."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t as student_t

import analysis

from .conftest import TABEL_1, TABEL_1_DATES


def _by_hand(dates, values):
    """Slope, intercept, slope CI, and the confidence and prediction half-widths at each date."""
    x = (pd.to_datetime(dates) - pd.Timestamp(dates[0])).days.to_numpy() / 365.25
    y = np.asarray(values, dtype=float)
    design = np.column_stack([np.ones_like(x), x])
    (intercept, slope), *_ = np.linalg.lstsq(design, y, rcond=None)
    n = len(x)
    residuals = y - (intercept + slope * x)
    s2 = residuals @ residuals / (n - 2)
    sxx = ((x - x.mean()) ** 2).sum()
    q = student_t.ppf(0.975, n - 2)
    se_slope = math.sqrt(s2 / sxx)
    conf = q * np.sqrt(s2 * (1 / n + (x - x.mean()) ** 2 / sxx))
    pred = q * np.sqrt(s2 * (1 + 1 / n + (x - x.mean()) ** 2 / sxx))
    r2 = 1 - residuals @ residuals / ((y - y.mean()) ** 2).sum()
    return dict(slope=slope, intercept=intercept, ci=(slope - q * se_slope, slope + q * se_slope),
                fitted=intercept + slope * x, conf=conf, pred=pred, r2=r2, x=x, s2=s2, sxx=sxx, q=q)


def test_trend_of_the_stock_matches_least_squares_by_hand(bundled_store):
    t = analysis.trend(bundled_store.series("zeden_voorraad"))
    hand = _by_hand(TABEL_1_DATES, TABEL_1["zeden_voorraad"])
    assert t.n == 5
    assert t.slope_per_year == pytest.approx(hand["slope"])
    assert t.slope_ci == pytest.approx(hand["ci"])
    assert t.r_squared == pytest.approx(hand["r2"])
    np.testing.assert_allclose(t.fitted.to_numpy(), hand["fitted"])
    np.testing.assert_allclose((t.band["conf_high"] - t.fitted).to_numpy(), hand["conf"])
    np.testing.assert_allclose((t.fitted - t.band["pred_low"]).to_numpy(), hand["pred"])
    assert t.years == pytest.approx(hand["x"][-1])
    # five snapshots that go down, down, up, up: no trend to speak of
    assert t.p_value > 0.5 and t.slope_ci[0] < 0 < t.slope_ci[1]


def test_irregular_dates_use_the_real_distance():
    # A snapshot that came three months late sits 1.25 years after the previous one, not 1.
    dates = ["2022-06-02", "2023-06-02", "2024-09-02", "2025-06-02", "2026-06-02"]
    values = [100, 110, 135, 140, 150]
    s = pd.Series(values, index=pd.to_datetime(dates), dtype=float)
    t = analysis.trend(s)
    assert t.slope_per_year == pytest.approx(_by_hand(dates, values)["slope"])
    equally_spaced = np.polyfit(np.arange(5), values, 1)[0]
    assert t.slope_per_year != pytest.approx(equally_spaced)


def test_missing_values_are_left_out_of_the_fit_but_get_a_fitted_value():
    dates = ["2020-12-31", "2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31"]
    s = pd.Series([10, 12, np.nan, 16, 18], index=pd.to_datetime(dates), dtype=float)
    t = analysis.trend(s)
    hand = _by_hand([d for d, v in zip(dates, s) if not np.isnan(v)], s.dropna())
    assert t.n == 4
    assert t.slope_per_year == pytest.approx(hand["slope"])
    assert t.fitted.index.equals(s.index) and not t.fitted.isna().any()


def test_trend_needs_three_values():
    s = pd.Series([1.0, 2.0], index=pd.to_datetime(["2025-06-02", "2026-06-02"]))
    with pytest.raises(ValueError, match="at least 3"):
        analysis.trend(s)


# --- Projection -------------------------------------------------------------------------------


def test_five_snapshots_are_refused_a_projection(bundled_store):
    p = analysis.project(bundled_store.series("zeden_voorraad"), "2028-06-02")
    assert p.refused is not None and p.frame is None
    assert "5" in p.refused["nl"] and "8" in p.refused["nl"] and "5" in p.refused["en"]
    assert p.trend is not None and p.trend.n == 5  # the line itself is still there to draw


def test_gappy_press_release_series_is_refused(bundled_store):
    s = bundled_store.series("seksuele_misdrijven")  # 2013, 2015, 2018, 2021, 2022
    assert analysis.project(s, "2025-12-31").refused is not None


def test_uneven_spacing_is_refused():
    dates = pd.to_datetime([f"{y}-12-31" for y in (2010, 2011, 2012, 2013, 2015, 2016, 2017, 2018, 2019)])
    s = pd.Series(np.arange(9.0) * 3 + 100, index=dates)
    p = analysis.project(s, "2021-12-31")
    assert p.refused is not None and "ongelijk" in p.refused["nl"] and "unevenly" in p.refused["en"]


def test_a_bent_series_is_refused(bundled_store):
    # Registered crime fell until 2018 and then levelled off: a straight line is the wrong shape.
    s = bundled_store.series("misdrijven_totaal")
    s = s[s.index.year >= 2014]
    p = analysis.project(s, "2026-12-31")
    assert p.refused is not None and "Durbin-Watson" in p.refused["en"]


def test_projection_extends_the_line_with_a_prediction_interval():
    rng = np.random.default_rng(7)
    dates = pd.to_datetime([f"{y}-06-02" for y in range(2012, 2027)])
    values = 2000 + 50 * np.arange(15) + rng.normal(0, 40, 15)
    s = pd.Series(values, index=dates)
    p = analysis.project(s, "2029-06-02")
    assert p.refused is None
    assert list(p.frame.index) == list(pd.to_datetime(["2027-06-02", "2028-06-02", "2029-06-02"]))
    hand = _by_hand(list(dates), values)
    x_future = (p.frame.index - dates[0]).days.to_numpy() / 365.25
    np.testing.assert_allclose(p.frame["mean"].to_numpy(), hand["intercept"] + hand["slope"] * x_future)
    half = hand["q"] * np.sqrt(hand["s2"] * (1 + 1 / 15 + (x_future - hand["x"].mean()) ** 2 / hand["sxx"]))
    np.testing.assert_allclose((p.frame["pred_high"] - p.frame["mean"]).to_numpy(), half)
    assert p.label["nl"].startswith("Projectie") and "not a forecast" in p.label["en"]


def test_projection_too_far_ahead_is_refused_and_past_until_is_an_error():
    dates = pd.to_datetime([f"{y}-12-31" for y in range(2015, 2025)])
    s = pd.Series(100 + 5 * np.arange(10.0) + np.tile([1, -1], 5), index=dates)
    # 9 years covered: at most 4.5 years ahead
    assert analysis.project(s, "2028-12-31").refused is None
    far = analysis.project(s, "2029-12-31")
    assert far.refused is not None and "ver vooruit" in far.refused["nl"]
    with pytest.raises(ValueError, match="must be after"):
        analysis.project(s, "2024-12-31")
