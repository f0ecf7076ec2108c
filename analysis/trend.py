"""A linear trend per year with its uncertainty, and a projection only where the data carry one.

The trend is an ordinary least squares line (statsmodels OLS) of the values on time in years since
the first period end, measured from the actual dates (days / 365.25), so snapshots that are not
evenly spaced get their true distance. Missing values are left out of the fit.

A projection extends that line with its 95% prediction interval. It is refused, with a reason in
Dutch and English, when:

- the series has fewer than ``MIN_POINTS_FOR_PROJECTION`` (8) values: with five yearly snapshots a
  line can be drawn, but its prediction interval rests on three degrees of freedom and a handful
  of points says nothing about whether a straight line is the right shape;
- the periods are not evenly spaced (gaps, or intervals differing by more than 10%) or a value in
  the range is missing: a projection step has no meaning then;
- the straight line misses the shape of the series: the residuals run in long stretches above and
  below the line (Durbin-Watson below ``MIN_DURBIN_WATSON``, 1.0), as for registered crime
  2014-2024, which fell until 2018 and then levelled off;
- it would reach further ahead than half the span the data cover.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .change import bare, check_series
from .formatting import format_date, format_number

DAYS_PER_YEAR = 365.25
MIN_POINTS_FOR_TREND = 3
MIN_POINTS_FOR_PROJECTION = 8
MAX_SPACING_SPREAD = 0.10  # intervals may differ by 10% (a leap year, 181 vs 184 days a half-year)
MAX_HORIZON_SHARE = 0.5  # of the span the data cover
MIN_DURBIN_WATSON = 1.0  # below: strong runs in the residuals, the line is the wrong shape


@dataclass(frozen=True, eq=False)
class Trend:
    """A fitted linear trend (see :func:`trend`).

    Attributes
    ----------
    slope_per_year : float
        Change per year, in the unit of the series.
    slope_ci : tuple of float
        95% confidence interval of the slope (low, high).
    p_value : float
        Two-sided p-value for "no trend" (slope zero).
    n : int
        Number of values the fit rests on.
    r_squared : float
        Share of the variation the line explains.
    fitted : pandas.Series
        The line at every period end of the series (also where a value is missing).
    band : pandas.DataFrame
        Indexed like the series: ``conf_low``, ``conf_high`` (95% interval of the line) and
        ``pred_low``, ``pred_high`` (95% interval for a single new value).
    years : float
        The span the fitted values cover, in years.
    start, end : pandas.Timestamp
        First and last period end with a value (time is counted in years from ``start``).
    results : statsmodels RegressionResults
        The fit itself, for anything not listed here.
    """

    slope_per_year: float
    slope_ci: tuple[float, float]
    p_value: float
    n: int
    r_squared: float
    fitted: pd.Series
    band: pd.DataFrame
    years: float
    start: pd.Timestamp
    end: pd.Timestamp
    results: object = field(repr=False, default=None)

    def at(self, dates) -> pd.DataFrame:
        """The line and its bands at other dates: ``mean``, ``conf_low/high``, ``pred_low/high``."""
        return _predict(self.results, self.start, pd.DatetimeIndex(dates, name="period_end"))


def _years_since(dates: pd.DatetimeIndex, origin: pd.Timestamp) -> np.ndarray:
    return ((dates - origin) / pd.Timedelta(days=1)).to_numpy(dtype=float) / DAYS_PER_YEAR


def _design(dates: pd.DatetimeIndex, origin: pd.Timestamp) -> np.ndarray:
    """Columns: a constant, and years since ``origin``."""
    years = _years_since(dates, origin)
    return np.column_stack([np.ones_like(years), years])


def _predict(results, origin: pd.Timestamp, dates: pd.DatetimeIndex) -> pd.DataFrame:
    frame = results.get_prediction(_design(dates, origin)).summary_frame(alpha=0.05)
    frame.index = dates
    return frame.rename(columns={"mean_ci_lower": "conf_low", "mean_ci_upper": "conf_high",
                                 "obs_ci_lower": "pred_low", "obs_ci_upper": "pred_high"})[
        ["mean", "conf_low", "conf_high", "pred_low", "pred_high"]]


def residual_runs(t: Trend) -> float:
    """The Durbin-Watson statistic of the fit: near 2 for scattered residuals, near 0 for long runs."""
    from statsmodels.stats.stattools import durbin_watson

    return float(durbin_watson(t.results.resid))


def trend(series: pd.Series) -> Trend:
    """Fit a straight line to the series against time in years.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by period end; missing values are left out of the fit.

    Returns
    -------
    Trend
        Slope per year with its 95% interval and p-value, n, R², the fitted line and its
        confidence and prediction bands at every period end of the series.

    Raises
    ------
    ValueError
        If fewer than three values are present (a line through two points has no uncertainty).

    Examples
    --------
    >>> import analysis
    >>> t = analysis.trend(analysis.load().series("zeden_voorraad"))
    >>> t.n
    5
    """
    s = bare(check_series(series, "trend"))
    present = s.dropna()
    if len(present) < MIN_POINTS_FOR_TREND:
        raise ValueError(f"trend: {s.name!r} has {len(present)} values; a trend needs at least {MIN_POINTS_FOR_TREND}")
    # statsmodels is imported here, not at the top: it costs seconds that `import analysis` should not.
    import statsmodels.api as sm

    origin = present.index[0]
    results = sm.OLS(present.to_numpy(), _design(present.index, origin)).fit()
    low, high = results.conf_int(alpha=0.05)[1]
    at = _predict(results, origin, pd.DatetimeIndex(s.index, name=s.index.name))
    return Trend(
        slope_per_year=float(results.params[1]),
        slope_ci=(float(low), float(high)),
        p_value=float(results.pvalues[1]),
        n=len(present),
        r_squared=float(results.rsquared),
        fitted=at["mean"].rename(s.name),
        band=at[["conf_low", "conf_high", "pred_low", "pred_high"]],
        years=float(_years_since(present.index[-1:], origin)[0]),
        start=origin,
        end=present.index[-1],
        results=results,
    )


# --- Projection -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Projection:
    """A projection of the linear trend, or the reason there is none (see :func:`project`).

    Attributes
    ----------
    refused : dict or None
        None when projected; otherwise why not, ``{"nl": ..., "en": ...}``.
    frame : pandas.DataFrame or None
        Indexed by future period end dates: ``mean`` (the line), ``pred_low`` and ``pred_high``
        (95% prediction interval for a single value).
    trend : Trend or None
        The fitted trend the projection extends (None when the series is too short for one).
    label : dict
        What to call it on a chart, in Dutch and English: a projection of the trend, not a forecast.
    """

    refused: dict | None
    frame: pd.DataFrame | None = None
    trend: Trend | None = None
    label: dict = field(default_factory=lambda: {
        "nl": "Projectie van de lineaire trend (geen voorspelling), met 95%-voorspellingsinterval",
        "en": "Projection of the linear trend (not a forecast), with 95% prediction interval",
    })


def _step(dates: pd.DatetimeIndex) -> pd.DateOffset:
    """The regular step between period ends, in whole months where it is one (keeps 2 June, 31 Dec)."""
    median_days = float(np.median(np.diff(dates.to_numpy()).astype("timedelta64[D]").astype(float)))
    months = round(median_days / (DAYS_PER_YEAR / 12))
    return pd.DateOffset(months=months) if months >= 1 else pd.DateOffset(days=round(median_days))


def _irregularity(s: pd.Series, present: pd.Series) -> dict | None:
    if present.index[0] != s.index[0] or present.index[-1] != s.index[-1] or len(present) != len(s):
        missing = [format_date(d, "nl") for d in s.index[s.isna()]]
        missing_en = [format_date(d, "en") for d in s.index[s.isna()]]
        return {"nl": f"Er ontbreken waarden in de reeks ({', '.join(missing)}).",
                "en": f"The series has missing values ({', '.join(missing_en)})."}
    gaps = np.diff(present.index.to_numpy()).astype("timedelta64[D]").astype(float)
    if gaps.max() > gaps.min() * (1 + MAX_SPACING_SPREAD):
        lo, hi = gaps.min() / DAYS_PER_YEAR, gaps.max() / DAYS_PER_YEAR
        return {"nl": f"De perioden liggen ongelijk verdeeld ({format_number(lo, 'nl', 1)} tot "
                      f"{format_number(hi, 'nl', 1)} jaar uit elkaar); een projectie veronderstelt een vaste stap.",
                "en": f"The periods are unevenly spaced ({format_number(lo, 'en', 1)} to "
                      f"{format_number(hi, 'en', 1)} years apart); a projection assumes a regular step."}
    return None


def project(series: pd.Series, until) -> Projection:
    """Extend the linear trend to ``until`` with a 95% prediction interval, where the data allow.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by period end.
    until : date or str
        The last period end to project to; the projected periods continue the series' own step
        (every 2 June, every 31 December ...).

    Returns
    -------
    Projection
        ``refused`` is None and ``frame`` holds ``mean``, ``pred_low``, ``pred_high`` per future
        period end; or ``refused`` says why not in Dutch and English (too short: fewer than 8
        values; irregular spacing or missing values; a straight line that misses the shape;
        further ahead than half the span covered; no whole step before ``until``).

    Raises
    ------
    ValueError
        If ``until`` is not a date, or is not after the last period of the series.

    Examples
    --------
    >>> import analysis
    >>> p = analysis.project(analysis.load().series("zeden_voorraad"), "2028-06-02")
    >>> p.refused["en"][:20]
    'Too short to project'
    """
    s = bare(check_series(series, "project"))
    try:
        until = pd.Timestamp(until).normalize()
    except (TypeError, ValueError):
        raise ValueError(f"project: until {until!r} is not a date") from None
    if s.empty or until <= s.index[-1]:
        last = "it is empty" if s.empty else f"its last period ends {s.index[-1].date()}"
        raise ValueError(f"project: until {until.date()} must be after the series' last period ({last})")

    present = s.dropna()
    n = len(present)
    fitted = trend(s) if n >= MIN_POINTS_FOR_TREND else None
    if n < MIN_POINTS_FOR_PROJECTION:
        return Projection(refused={
            "nl": f"Te kort voor een projectie: {n} waarden. Een trendlijn kan, maar een projectie vraagt "
                  f"er minstens {MIN_POINTS_FOR_PROJECTION}: met zo weinig punten is niet te zien of een "
                  "rechte lijn de goede vorm is.",
            "en": f"Too short to project: {n} values. A trend line can be drawn, but a projection needs at "
                  f"least {MIN_POINTS_FOR_PROJECTION}: with so few points one cannot tell whether a straight "
                  "line is the right shape.",
        }, trend=fitted)
    irregular = _irregularity(s, present)
    if irregular:
        return Projection(refused=irregular, trend=fitted)

    dw = residual_runs(fitted)
    if dw < MIN_DURBIN_WATSON:
        return Projection(refused={
            "nl": "Een rechte lijn past niet bij het verloop: de waarden liggen lange stukken boven en dan "
                  f"onder de lijn (Durbin-Watson {format_number(dw, 'nl', 2)}). Kies een kortere periode "
                  "waarin de reeks recht verloopt.",
            "en": "A straight line does not fit the course of the series: the values lie above and then below "
                  f"the line for long stretches (Durbin-Watson {format_number(dw, 'en', 2)}). Choose a shorter "
                  "period over which the series runs straight.",
        }, trend=fitted)

    span_years = fitted.years
    ahead_years = (until - present.index[-1]).days / DAYS_PER_YEAR
    if ahead_years > span_years * MAX_HORIZON_SHARE:
        limit = format_number(span_years * MAX_HORIZON_SHARE, "nl", 1), format_number(span_years * MAX_HORIZON_SHARE, "en", 1)
        return Projection(refused={
            "nl": f"Te ver vooruit: de gegevens beslaan {format_number(span_years, 'nl', 1)} jaar; verder dan "
                  f"{limit[0]} jaar na de laatste periode projecteren we niet.",
            "en": f"Too far ahead: the data cover {format_number(span_years, 'en', 1)} years; we do not project "
                  f"more than {limit[1]} years past the last period.",
        }, trend=fitted)

    step = _step(present.index)
    future, k = [], 1
    while (date := present.index[-1] + k * step) <= until:
        future.append(date)
        k += 1
    if not future:
        return Projection(refused={
            "nl": f"Voor {format_date(until, 'nl')} valt geen volgende periode (de volgende is "
                  f"{format_date(present.index[-1] + step, 'nl')}).",
            "en": f"No next period falls before {format_date(until, 'en')} (the next is "
                  f"{format_date(present.index[-1] + step, 'en')}).",
        }, trend=fitted)
    frame = fitted.at(pd.DatetimeIndex(future, name="period_end"))[["mean", "pred_low", "pred_high"]]
    return Projection(refused=None, frame=frame, trend=fitted)


def is_clear(t: Trend) -> bool:
    """Whether the 95% interval of the slope excludes zero."""
    low, high = t.slope_ci
    return math.isfinite(low) and (low > 0 or high < 0)
