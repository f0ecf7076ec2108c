"""Exactly the data in view, as a tidy frame: what the chart draws, the data tab lists, the downloads
write and the Python panel recreates. Imports no plotly or dash.

The statistics (change against a year earlier, index, ratio) come from ``analysis``; this module
only picks the series a view asks for (as published on ``asof``, within ``from``/``to``) and lays
the results out one row per indicator and period.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import analysis
from analysis.catalog import Catalog
from analysis.change import catalog_for
from analysis.sources import SourceRecord
from analysis.store import PerValue, Store

from .cache import per_store, per_view
from .state import CHANGE_MODES, Notice, ViewState, indicator_ids, ratio_id

# The catalog the app serves each store with (``serve_with``); otherwise the one analysis uses:
# ``catalog.yml`` beside the store's folder, else the bundled one.
_CATALOGS: dict[str, Catalog] = {}


def serve_with(store: Store, catalog: Catalog) -> None:
    """Describe ``store`` with ``catalog`` in the remembered results below (labels, ratios)."""
    _CATALOGS[str(store.file)] = catalog


def catalog_of(store: Store) -> Catalog:
    """The catalog ``store`` is served with (see ``serve_with``)."""
    return _CATALOGS.get(str(store.file)) or catalog_for(store)

# Columns every view has, in this order; a mode adds its own after them.
COLUMNS = ("indicator_id", "label", "period_start", "period_end", "value", "unit", "status",
           "rounded_to", "vintage", "source_id")
MODE_COLUMNS = {
    "level": (),
    "change": ("level", "base_period", "base_value", "base_rounded_to", "abs_change", "pct_change", "verdict"),
    "pct_change": ("level", "base_period", "base_value", "base_rounded_to", "abs_change", "pct_change", "verdict"),
    "index": ("level", "base_period", "base_value"),
    "ratio": ("numerator", "denominator"),
}
INDEX_UNIT = "index"  # not a unit of the catalog: an index has none (base = 100)
PROVISIONAL = ("voorlopig", "nader voorlopig")


def source_series(state: ViewState, store: Store, catalog: Catalog) -> dict[str, pd.Series]:
    """The series behind a view, as published on ``state.asof``, not yet cut to ``from``/``to``.

    Levels of each indicator in view, or in ``mode=ratio`` the one ratio series. An indicator
    with no values (as published on that date) is left out.
    """
    if state.mode == "ratio":
        rid = ratio_id(state, catalog)
        found = {rid: stored_series(store, rid, state.asof)} if rid else {}
    else:
        found = {iid: stored_series(store, iid, state.asof) for iid in indicator_ids(state, catalog)}
    return {k: s for k, s in found.items() if s is not None}


@per_store
def stored_series(store: Store, key: str, asof=None) -> pd.Series | None:
    """An indicator's (or a catalog ratio's) series as published on ``asof``; None if it has none.

    Remembered per store version: shared between requests, so never modify the result.
    """
    try:
        catalog = catalog_of(store)
        if key in catalog.ratios:
            return analysis.ratio_series(store, key, as_of=asof, catalog=catalog)
        return store.series(key, as_of=asof)
    except KeyError:
        return None


@per_store
def _earlier_values(store: Store, ids: tuple, asof, start, end, lang) -> pd.DataFrame:
    view = ViewState(indicators=ids, asof=asof, start=start, end=end, lang=lang)
    return _find_earlier_values(view, store, catalog_of(store))


@per_store
def change_against_year(store: Store, key: str, asof=None) -> pd.DataFrame:
    """``analysis.change(series, "year")`` of a stored series (it tests every change for noise:
    slow on long series, so remembered per store version). Without the series' ``attrs``, which
    pandas would deep-copy on every column read."""
    frame = analysis.change(stored_series(store, key, asof), against="year")
    frame.attrs = {}
    return frame


def _range_mask(index, state: ViewState):
    keep = np.ones(len(index), dtype=bool)
    if state.start:
        keep &= index >= pd.Timestamp(state.start)
    if state.end:
        keep &= index <= pd.Timestamp(state.end)
    return keep


def in_range(frame, state: ViewState):
    """Rows (of a Series or DataFrame indexed by period end) within the view's from/to."""
    keep = _range_mask(frame.index, state)
    return cut(frame, keep) if isinstance(frame, pd.Series) else frame[keep]


def records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, column by column: on the small frames of a view a few times faster
    (pandas boxes every row into a Series on the way)."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


def present(series: pd.Series) -> pd.Series:
    """The values that are there (not missing), metadata cut to match (see ``cut``)."""
    return cut(series, ~pd.isna(series.to_numpy()))


def cut(series: pd.Series, keep) -> pd.Series:
    """The values of a store series where ``keep`` is True, with ``attrs`` cut to match.

    pandas deep-copies ``attrs`` on every operation; with per-value metadata for all periods that
    costs more than the operation, so a cut series carries only its own periods' metadata.
    """
    out = pd.Series(series.to_numpy()[keep], index=series.index[keep], name=series.name)
    periods = set(out.index)
    out.attrs = {k: (PerValue((p, v) for p, v in a.items() if p in periods) if isinstance(a, dict) else a)
                 for k, a in series.attrs.items()}
    return out


def view_series(state: ViewState, store: Store, catalog: Catalog) -> dict[str, pd.Series]:
    """The level (or ratio) series in view, cut to from/to, with the store's ``attrs``."""
    return {k: in_range(s, state) for k, s in source_series(state, store, catalog).items()}


def view_data(state: ViewState, store: Store, catalog: Catalog) -> pd.DataFrame:
    """Exactly the data in view: one row per indicator and period, the value as charted.

    Columns: ``COLUMNS`` (``value`` is the charted number: the level, the change, the percent
    change, the index or the ratio; ``unit`` its unit, ``"index"`` for an index), then the mode's
    own (``MODE_COLUMNS``): ``level`` (the published value), ``base_period``, ``base_value``,
    ``abs_change``, ``pct_change`` (in percent) and ``verdict`` for changes; ``base_period`` and
    ``base_value`` for an index; ``numerator`` and ``denominator`` for a ratio.

    ``.attrs["notices"]`` lists what the view could not do as asked (e.g. an index base that is
    not in the series), as ``state.Notice`` objects.
    """
    serve_with(store, catalog)
    # Remembered per store version and the fields the data depend on (not chart type, overlays,
    # width, ...): the chart, the table, the downloads and the export of a view share it.
    data = _view_data(store, data_state(state))
    return data.copy(deep=False)  # with copy-on-write, the caller's to change


def view_sources(data: pd.DataFrame, store: Store) -> list[SourceRecord]:
    """The sources of the values in ``data`` (``view_data``), each once, in order of first use.

    A value's ``source_id`` may name several sources, separated by ``;``; an id the store has no
    record of is left out.
    """
    ids = [s.strip() for sid in data["source_id"].dropna() for s in str(sid).split(";")]
    return [store.sources[s] for s in dict.fromkeys(ids) if s in store.sources]


def data_state(state: ViewState) -> ViewState:
    """The view with only the fields its data depend on (the rest at their defaults)."""
    return ViewState(table=state.table, indicators=state.indicators, mode=state.mode, ratio=state.ratio,
                     base=state.base, start=state.start, end=state.end, asof=state.asof, lang=state.lang)


@per_view
def _view_data(store: Store, state: ViewState) -> pd.DataFrame:
    catalog = catalog_of(store)
    notices: list[Notice] = []
    frames = []
    for key, series in source_series(state, store, catalog).items():
        frame = _mode_frame(key, series, state, store, catalog, notices)
        frame = in_range(frame, state)
        if frame.empty:
            continue
        frame.insert(0, "indicator_id", key)
        frame.insert(1, "label", _label(key, catalog, state.lang))
        frames.append(frame)
    columns = [*COLUMNS, *MODE_COLUMNS[state.mode]]
    if not frames:
        data = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    else:
        data = pd.concat(frames).reset_index(names="period_end")[columns].reset_index(drop=True)
    data.attrs["notices"] = notices
    return data


def _label(key: str, catalog: Catalog, lang: str) -> str:
    item = catalog.indicators.get(key) or catalog.ratios[key]
    return item.label(lang)


def _meta(series: pd.Series) -> dict[str, list]:
    """The per-value metadata a store series carries in ``attrs``, as columns."""
    a = series.attrs
    idx = series.index
    return {
        "period_start": [a["period_start"].get(d, d) for d in idx],
        "status": [a["status"].get(d) for d in idx],
        "rounded_to": [a["rounded_to"].get(d, 1) for d in idx],
        "vintage": [a["vintage"].get(d) for d in idx],
        "source_id": [a["source_id"].get(d) for d in idx],
    }


def _mode_frame(key, series, state, store, catalog, notices) -> pd.DataFrame:
    if state.mode == "ratio":
        return _ratio_frame(catalog.ratios[key], series, state, store)
    levels = series.to_numpy(dtype=float)
    frame = pd.DataFrame({"value": levels, "unit": series.attrs["unit"], **_meta(series)}, index=series.index)
    if state.mode in CHANGE_MODES:
        change = change_against_year(store, key, state.asof)
        frame["level"] = levels
        for col in ("base_period", "base_value", "abs_change", "pct_change", "verdict"):
            frame[col] = change[col].to_numpy()
        frame["value"] = change["abs_change" if state.mode == "change" else "pct_change"].to_numpy(dtype=float)
        if state.mode == "pct_change":
            frame["unit"] = "percent"
        # rounded_to stays the rounding of this period's published value; a change is as rough as
        # the rougher of the two values compared (see ``change_rounding``).
        frame["base_rounded_to"] = [int(series.attrs["rounded_to"].get(b, 1) or 1) if pd.notna(b) else 1
                                    for b in change["base_period"]]
    elif state.mode == "index":
        base = _index_base(series, state, notices)
        indexed = analysis.index(series, base)
        frame["level"] = levels
        frame["value"] = indexed.to_numpy(dtype=float)
        frame["unit"] = INDEX_UNIT
        frame["base_period"] = pd.Timestamp(base)
        frame["base_value"] = float(series[pd.Timestamp(base)])
    return frame


def change_rounding(row) -> int:
    """How rough a change is: the rounding of the rougher of the two values compared."""
    return max(int(row.get("rounded_to") or 1), int(row.get("base_rounded_to") or 1))


def _index_base(series: pd.Series, state: ViewState, notices) -> pd.Timestamp:
    """The chosen base period if the series has it, else the first period in view.

    An index rests on a positive value: periods whose value is zero (a month without a single
    case, in a small municipality) or missing cannot be its base, so the first period in view
    with a positive value is used, with a notice when it was the one chosen.
    """
    values = series.to_numpy(dtype=float)
    present = series.index[~np.isnan(values)]
    usable = series.index[values > 0]
    if not len(usable):
        usable = present
    shown = usable[_range_mask(usable, state)]
    first = shown[0] if len(shown) else usable[0]
    if not state.base:
        return first
    wanted = str(state.base)

    def chosen(periods):
        return [d for d in periods if d.strftime("%Y-%m-%d") == wanted or (len(wanted) == 4 and d.year == int(wanted))]

    matches = chosen(usable)
    if matches:
        return matches[-1]
    notice = Notice("notice_base_not_positive" if chosen(present) else "notice_base_missing", {"base": wanted})
    if notice not in notices:
        notices.append(notice)
    return first


def _ratio_frame(ratio, series, state, store) -> pd.DataFrame:
    """A ratio's values with the metadata of its parts: provisional or rounded if either part is."""
    num = store.series(ratio.numerator, as_of=state.asof)
    den = store.series(ratio.denominator, as_of=state.asof)
    nmeta, dmeta = (pd.DataFrame(_meta(s), index=s.index) for s in (num, den))
    idx = series.index
    frame = pd.DataFrame({"value": series.to_numpy(dtype=float), "unit": ratio.unit}, index=idx)
    frame["period_start"] = nmeta["period_start"].reindex(idx)
    frame["status"] = [_worse_status(nmeta["status"].get(d), dmeta["status"].get(d)) for d in idx]
    frame["rounded_to"] = [int(max(nmeta["rounded_to"].get(d, 1), dmeta["rounded_to"].get(d, 1))) for d in idx]
    frame["vintage"] = [max(nmeta["vintage"].get(d), dmeta["vintage"].get(d)) for d in idx]
    frame["source_id"] = ["; ".join(dict.fromkeys([nmeta["source_id"].get(d), dmeta["source_id"].get(d)])) for d in idx]
    frame["numerator"] = [float(num.get(d, np.nan)) for d in idx]
    frame["denominator"] = [float(den.get(d, np.nan)) for d in idx]
    return frame


def _worse_status(a, b):
    for status in ("voorlopig", "nader voorlopig", "herzien"):
        if status in (a, b):
            return status
    return a or b


def earlier_values(state: ViewState, store: Store, catalog: Catalog) -> pd.DataFrame:
    """Values of the indicators in view that a later publication (up to ``asof``) changed.

    Remembered per store version; never modify the result.

    One row per earlier publication of a revised period within from/to: indicator_id, label,
    period_start, period_end, value (as published then), status, rounded_to, vintage,
    source_id, and ``current_value`` / ``current_rounded_to`` (the value in view).
    """
    ids = () if state.mode == "ratio" else tuple(indicator_ids(state, catalog))
    return _earlier_values(store, ids, state.asof, state.start, state.end, state.lang)


def _find_earlier_values(state: ViewState, store: Store, catalog: Catalog) -> pd.DataFrame:
    columns = ["indicator_id", "label", "period_start", "period_end", "value", "status", "rounded_to",
               "vintage", "source_id", "current_value", "current_rounded_to"]
    ids = list(state.indicators)
    rows = store.history(ids, state.asof)  # only the row groups of these indicators
    key = ["indicator_id", "period_start", "period_end"]
    # Only a period published more than once can have been revised; those rows are few, so the
    # rest is plain Python (pandas costs a millisecond per step on frames this small).
    repeated = rows[rows.duplicated(key, keep=False)].sort_values([*key, "vintage"]).to_dict("records")
    current = {}
    for r in repeated:
        current[(r["indicator_id"], r["period_start"], r["period_end"])] = r  # the newest comes last
    keep = _range_mask(pd.DatetimeIndex([r["period_end"] for r in repeated]), state) if repeated else []
    out = []
    for r, shown in zip(repeated, keep):
        now = current[(r["indicator_id"], r["period_start"], r["period_end"])]
        if shown and r["value"] != now["value"] and not (pd.isna(r["value"]) and pd.isna(now["value"])):
            out.append({**r, "label": _label(r["indicator_id"], catalog, state.lang),
                        "current_value": now["value"], "current_rounded_to": now["rounded_to"]})
    return pd.DataFrame(out, columns=columns)
