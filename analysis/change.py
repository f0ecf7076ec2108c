"""Change against a year earlier or the previous period, an index to a base period, and ratios.

All functions take a value Series indexed by period end date, as ``Store.series`` returns it, and
keep the caller's index and ``attrs`` (unit, status and rounding per value).

A year earlier: for a snapshot ("stand op 2 juni 2026") the snapshot closest to exactly one year
before, if one lies within ``YEAR_TOLERANCE_DAYS`` (45 days) of that date; for a year total the
total of the previous year (a period of the same length ending a year earlier, within the same
tolerance). When there is no such period, or its value is missing, the change is missing: a change
is never computed against a period that is not the one asked for.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from .catalog import Catalog, load_catalog
from .noise import chance_p_values, percent_allowed, rounding_halfwidth, verdicts

YEAR_TOLERANCE_DAYS = 45
AGAINST = ("year", "previous")


def check_series(series, what: str) -> pd.Series:
    """The series as floats sorted by period end, or a ValueError that says what is wrong."""
    if not isinstance(series, pd.Series):
        raise TypeError(f"{what}: expected a pandas Series indexed by period end, got {type(series).__name__}")
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError(f"{what}: the series {series.name!r} must be indexed by period end dates "
                         f"(a DatetimeIndex), not {type(series.index).__name__}")
    if series.index.hasnans:
        raise ValueError(f"{what}: the series {series.name!r} has a missing period end date")
    if not series.index.is_unique:
        dup = series.index[series.index.duplicated()][0]
        raise ValueError(f"{what}: the series {series.name!r} has period end {dup.date()} more than once")
    try:
        values = series.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: the series {series.name!r} has values that are not numbers") from None
    # Built from arrays, with attrs attached once: pandas deep-copies attrs on every operation,
    # which for the store's per-value dicts costs more than the statistics themselves.
    order = np.argsort(series.index.to_numpy(), kind="stable")
    out = pd.Series(values[order], index=series.index[order], name=series.name)
    out.attrs = series.attrs
    return out


def bare(series: pd.Series) -> pd.Series:
    """The same values without attrs, for cheap pandas operations (see check_series)."""
    return pd.Series(series.to_numpy(), index=series.index, name=series.name)


def _per_value(series: pd.Series, key: str, period, default=None):
    return (series.attrs.get(key) or {}).get(period, default)


def _durations(series: pd.Series) -> np.ndarray:
    """Length of each period in days (0 for a snapshot); all 0 when the series has no period starts."""
    starts = series.attrs.get("period_start") or {}
    return np.array([(p - pd.Timestamp(starts.get(p, p))).days for p in series.index], dtype=float)


def year_earlier_positions(series: pd.Series) -> np.ndarray:
    """For each period, the position of the period a year earlier, or -1 when there is none."""
    ends = series.index
    days = ends.to_numpy().astype("datetime64[D]").astype(np.int64)
    durations = _durations(series)
    targets = (ends - pd.DateOffset(years=1)).to_numpy().astype("datetime64[D]").astype(np.int64)
    found = np.full(len(ends), -1)
    for i, target in enumerate(targets):
        distance = np.abs(days - target)
        # Only earlier periods of about the same length qualify: a year total is never compared
        # with a half-year, nor a snapshot with a period.
        ok = (days < days[i]) & (distance <= YEAR_TOLERANCE_DAYS) & (np.abs(durations - durations[i]) <= YEAR_TOLERANCE_DAYS)
        if ok.any():
            candidates = np.flatnonzero(ok)
            # Closest to exactly a year earlier; a tie goes to the more recent period.
            best = candidates[np.lexsort((-days[candidates], distance[candidates]))[0]]
            found[i] = best
    return found


def change(series: pd.Series, against: str = "year") -> pd.DataFrame:
    """Change of each period against the same period a year earlier or the previous period.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by period end (as ``Store.series`` returns them). ``attrs`` may carry
        ``unit`` and per-value ``rounded_to``; the noise verdict needs ``unit == "count"`` (and
        not an index, see :func:`index`).
    against : {"year", "previous"}, default "year"
        ``"year"``: the snapshot closest to exactly one year earlier (within 45 days), or for a
        year total the previous year's total. ``"previous"``: the period just before in the
        series, whatever its date (``base_period`` says which), even if its value is missing.

    Returns
    -------
    pandas.DataFrame
        Indexed like the series (period end, sorted), with columns ``value``, ``base_period``
        (NaT where there is none), ``base_value``, ``abs_change``, ``pct_change`` (in percent, e.g.
        7.7; NaN when the base is missing, zero or negative, or a count below 50) and ``verdict``
        (``"increase"``, ``"decrease"``, ``"within_noise"``; None where there is no base or no
        change, or the unit is not a count, so no noise model applies). ``attrs`` are the series'
        plus ``against``.

    Raises
    ------
    ValueError
        If ``against`` is unknown or the series is not indexed by unique period end dates.

    Examples
    --------
    >>> import analysis
    >>> c = analysis.change(analysis.load().series("zeden_voorraad"))
    >>> float(round(c["pct_change"].iloc[-1], 1))
    7.7
    """
    if against not in AGAINST:
        raise ValueError(f"change: against must be one of {AGAINST}, got {against!r}")
    s = check_series(series, "change")
    n = len(s)
    if against == "year":
        positions = year_earlier_positions(s)
    else:
        positions = np.arange(n) - 1

    has_base = positions >= 0
    values = s.to_numpy()
    base_value = np.where(has_base, values[np.maximum(positions, 0)], np.nan)
    base_period = pd.DatetimeIndex([s.index[p] if p >= 0 else pd.NaT for p in positions])
    abs_change = values - base_value

    # An index keeps the unit of what it indexes, but its values are not counts: no noise model.
    unit = None if "index_base" in s.attrs else s.attrs.get("unit")
    comparable = has_base & np.isfinite(values) & np.isfinite(base_value)
    rounded = np.array([_per_value(s, "rounded_to", p, 1) for p in s.index], dtype=float)
    base_rounded = np.where(has_base, rounded[np.maximum(positions, 0)], 1.0)
    # A rounded base must carry a percent at the smallest value its rounding allows.
    allowed = comparable & percent_allowed(base_value - rounding_halfwidth(base_rounded), unit)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(allowed, abs_change / base_value * 100, np.nan)
    verdict = np.full(n, None, dtype=object)
    if unit == "count" and comparable.any():
        old, new = np.maximum(base_value[comparable], 0), np.maximum(values[comparable], 0)
        p_value, _, _ = chance_p_values(old, new, base_rounded[comparable], rounded[comparable])
        verdict[comparable] = verdicts(p_value, old, new)

    frame = pd.DataFrame(
        {
            "value": values,
            "base_period": base_period,
            "base_value": base_value,
            "abs_change": abs_change,
            "pct_change": pct,
        },
        index=s.index,
    )
    # object dtype keeps None as None (pandas 3 would infer str and turn None into NaN).
    frame["verdict"] = pd.Series(verdict, index=s.index, dtype=object)
    frame.attrs = {**s.attrs, "against": against}
    return frame


# --- Index ------------------------------------------------------------------------------------


def resolve_period(series: pd.Series, period, what: str = "period") -> pd.Timestamp:
    """The period end in ``series`` that ``period`` names: a date, an ISO date string, or a year.

    A year (``2013`` or ``"2013"``) names the one period that ends in that year.

    Raises
    ------
    ValueError
        If no period matches, or a year matches several periods.
    """
    name = series.name
    if isinstance(period, (int, np.integer)) and not isinstance(period, bool) or (
        isinstance(period, str) and re.fullmatch(r"\s*\d{4}\s*", period)
    ):
        year = int(period)
        matches = series.index[series.index.year == year]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            dates = ", ".join(str(d.date()) for d in matches)
            raise ValueError(f"{what} {year}: several periods of {name!r} end in {year} ({dates}); give the date")
        raise ValueError(f"{what} {year}: no period of {name!r} ends in {year}; "
                         f"the series runs {_span(series)}")
    if isinstance(period, (str, dt.date, np.datetime64, pd.Timestamp)):
        try:
            stamp = pd.Timestamp(period).normalize()
        except (TypeError, ValueError):
            raise ValueError(f"{what} {period!r}: not a date (use an ISO date like 2025-06-02, or a year)") from None
        if stamp in series.index:
            return series.index[series.index.get_loc(stamp)]
        raise ValueError(f"{what} {stamp.date()}: not a period end of {name!r}; the series runs {_span(series)}")
    raise ValueError(f"{what} {period!r}: give a date, an ISO date string or a year")


def _span(series: pd.Series) -> str:
    if series.empty:
        return "nowhere (it is empty)"
    return f"from {series.index.min().date()} to {series.index.max().date()}"


def index(series: pd.Series, base) -> pd.Series:
    """The series as an index: the value of period ``base`` is 100.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by period end.
    base : date, str or int
        The base period: its end date (``"2013-12-31"``, a ``date``) or its year (``2013``,
        ``"2013"``) when exactly one period ends in that year.

    Returns
    -------
    pandas.Series
        ``value / base value * 100``, indexed like the series; ``attrs`` kept, plus ``index_base``
        (the base period end).

    Raises
    ------
    ValueError
        If the base is not a period of the series, or its value is missing, zero or negative.

    Examples
    --------
    >>> import analysis
    >>> s = analysis.load().series("misdrijven_totaal", as_of="2024-12-31")
    >>> float(round(analysis.index(s, 2013).loc["2023-12-31"], 1))
    73.0
    """
    s = check_series(series, "index")
    base_period = resolve_period(s, base, "index base")
    base_value = s[base_period]
    if not math.isfinite(base_value) or base_value <= 0:
        shown = "missing" if not math.isfinite(base_value) else f"{base_value:g}"
        raise ValueError(f"index base {base_period.date()}: the value of {s.name!r} there is {shown}; "
                         "an index needs a positive base value")
    out = s / base_value * 100
    out.attrs = {**s.attrs, "index_base": base_period}
    return out


def catalog_for(store) -> Catalog:
    """The catalog that describes ``store``: ``catalog.yml`` beside its store directory, else the bundled one."""
    beside = store.dir.parent / "catalog.yml" if store is not None else None
    return load_catalog(beside if beside is not None and beside.exists() else None)


# --- Ratios -----------------------------------------------------------------------------------

_PROVISIONAL = ("voorlopig", "nader voorlopig")


def ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """``numerator / denominator * scale`` on the periods both series have.

    Parameters
    ----------
    numerator, denominator : pandas.Series
        Values indexed by period end.
    scale : float, default 1.0
        100 gives a percentage.

    Returns
    -------
    pandas.Series
        Indexed by the common period ends; NaN where the denominator is zero or either value is
        missing. ``attrs``: ``numerator`` and ``denominator`` (indicator ids when known),
        ``scale``, and per value ``status`` (provisional when either part is) and ``vintage``
        (the later of the two).

    Examples
    --------
    >>> import analysis
    >>> store = analysis.load()
    >>> r = analysis.ratio(store.series("zeden_aangiftes_ouder_6mnd"), store.series("zeden_aangiftes"), 100)
    >>> float(round(r.iloc[-1], 1))
    38.3
    """
    num = check_series(numerator, "ratio numerator")
    den = check_series(denominator, "ratio denominator")
    periods = num.index.intersection(den.index).sort_values()
    n, d = num.reindex(periods), den.reindex(periods)
    out = (n / d.where(d != 0)) * scale
    out.name = f"{num.name}/{den.name}"
    out.index.name = "period_end"
    status, vintage = {}, {}
    for p in periods:
        parts = [_per_value(x, "status", p) for x in (num, den)]
        status[p] = next((st for st in parts if st in _PROVISIONAL), parts[0])
        dates = [v for v in (_per_value(x, "vintage", p) for x in (num, den)) if v is not None]
        vintage[p] = max(dates) if dates else None
    out.attrs = {
        "numerator": num.attrs.get("indicator_id", num.name),
        "denominator": den.attrs.get("indicator_id", den.name),
        "scale": scale,
        "status": status,
        "vintage": vintage,
    }
    return out


def ratio_series(store, ratio_id: str, as_of=None, catalog=None) -> pd.Series:
    """A ratio from the catalog (for example the share of reports older than six months).

    Parameters
    ----------
    store : analysis.Store
        The store to read the numerator and denominator from.
    ratio_id : str
        A key of ``ratios`` in the catalog.
    as_of : date or str, optional
        Use the figures as published on this date.
    catalog : analysis.Catalog, optional
        Defaults to the catalog next to the store (``<data>/catalog.yml``), else the bundled one.

    Returns
    -------
    pandas.Series
        As :func:`ratio`, with the catalog's scale; ``attrs`` also hold ``ratio_id``, ``table_id``
        and ``unit``.

    Raises
    ------
    KeyError
        If the catalog has no ratio ``ratio_id`` (the message lists the ones it has).
    """
    catalog = catalog or catalog_for(store)
    if ratio_id not in catalog.ratios:
        raise KeyError(f"unknown ratio {ratio_id!r}; the catalog has {sorted(catalog.ratios)}")
    spec = catalog.ratios[ratio_id]
    out = ratio(store.series(spec.numerator, as_of), store.series(spec.denominator, as_of), spec.scale)
    out.name = ratio_id
    out.attrs.update(ratio_id=ratio_id, table_id=spec.table, unit=spec.unit)
    return out
