"""The noise check for counts: exact small cases by hand, large ones against the normal approximation."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, norm

import analysis
from analysis.noise import MIN_BASE_FOR_PERCENT


def test_exact_small_cases_computed_by_hand():
    # 0 -> 5: given 5 events, all five in the new period has probability 2 * 0.5**5 (two-sided).
    five = analysis.noise_check(0, 5)
    assert five.p_value == pytest.approx(2 * 0.5**5)
    assert five.verdict == "within_noise"
    # 0 -> 7: 2 * 0.5**7 = 0.0156 < 0.05
    seven = analysis.noise_check(0, 7)
    assert seven.p_value == pytest.approx(2 * 0.5**7)
    assert seven.verdict == "increase"
    # 3 -> 3: no change at all
    assert analysis.noise_check(3, 3).verdict == "within_noise"


@pytest.mark.parametrize("old, new", [(3156, 3400), (1533, 1676), (654, 642), (1105565, 807375)])
def test_large_counts_agree_with_the_normal_approximation(old, new):
    z = (new - old) / math.sqrt(old + new)
    check = analysis.noise_check(old, new)
    assert check.z == pytest.approx(z)
    assert check.p_value == pytest.approx(2 * norm.sf(abs(z)), rel=0.1, abs=1e-4)


def test_tabel_1_verdicts_and_what_they_mean():
    stock = analysis.noise_check(3156, 3400)  # 244 against an sd of sqrt(6556) = 81
    assert stock.verdict == "increase" and stock.p_value < 0.01
    assert stock.pct_change == pytest.approx(244 / 3156 * 100)
    older = analysis.noise_check(654, 642)  # 12 against an sd of 36
    assert older.verdict == "within_noise" and older.p_value > 0.5
    assert older.reason["nl"] and older.reason["en"]


def test_rounding_widens_the_uncertainty():
    # 10 000 -> 10 300 exact: z = 300 / sqrt(20 300) = 2.1, beyond chance.
    exact = analysis.noise_check(10_000, 10_300)
    assert exact.verdict == "increase"
    # The same figures rounded to thousands could both be 10 000-ish: +-500 each swallows 300.
    rounded = analysis.noise_check(10_000, 10_300, rounded_to_old=1000, rounded_to_new=1000)
    assert rounded.verdict == "within_noise"
    assert "afronding" in rounded.reason["nl"] and "rounding" in rounded.reason["en"]
    # The percent range is what the rounding allows: (10 300 - 500 - 10 500) / 10 500 ... (10 800 - 9 500) / 9 500.
    low, high = rounded.pct_range
    assert low == pytest.approx((9800 - 10500) / 10500 * 100)
    assert high == pytest.approx((10800 - 9500) / 9500 * 100)


def test_cbs_816_thousand_to_812_thousand_uses_the_least_favourable_values():
    # Least favourable: 815 500 -> 812 500, a fall of 3 000 against an sd of sqrt(1 628 000) = 1 276.
    check = analysis.noise_check(816_000, 812_000, 1000, 1000)
    assert check.z == pytest.approx(-3000 / math.sqrt(815_500 + 812_500))
    assert check.verdict == "decrease"  # CBS: "iets minder dan in 2023"


def test_no_percent_from_a_small_base():
    assert MIN_BASE_FOR_PERCENT == 50
    below = analysis.noise_check(49, 60)
    assert below.pct_allowed is False and math.isnan(below.pct_change)
    assert "50" in below.reason["nl"]
    at = analysis.noise_check(50, 60)
    assert at.pct_allowed is True and at.pct_change == pytest.approx(20.0)
    # "ca. 100" rounded to hundreds could be 50 .. 150: its smallest value still carries a percent,
    # but "ca. 0" or a base that could be 40 does not.
    assert analysis.noise_check(100, 200, rounded_to_old=100).pct_allowed is True
    assert analysis.noise_check(80, 200, rounded_to_old=100).pct_allowed is False


@pytest.mark.parametrize("old, new, message", [(-1, 5, "negative"), (math.nan, 5, "missing"), ("x", 5, "number")])
def test_bad_counts_are_named(old, new, message):
    with pytest.raises(ValueError, match=message):
        analysis.noise_check(old, new)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000))
def test_p_value_equals_scipys_exact_binomial_test(old, new):
    expected = 1.0 if old == new else binomtest(new, old + new, 0.5).pvalue
    assert analysis.noise_check(old, new).p_value == pytest.approx(expected, rel=1e-6, abs=1e-12)
