"""Store queries as the dashboard makes them, on the bundled and the synthetic store, beside a plain
baseline in the same run: read the whole parquet file with pandas and filter, per request.

Each operation is first checked to give the baseline's answer, so a fast wrong answer fails
loudly instead of looking good. Indicators are drawn at random (seeded) for every run, so that a
run does not just find the previous run's row groups in the cache.
"""
from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from analysis.store import Store

from .core import Context, Figure, benchmark, paired

SERIES_KEY = ["indicator_id", "period_start", "period_end"]


# --- The baseline: the whole file into pandas on every request ------------------------------------


def baseline_frame(file: Path) -> pd.DataFrame:
    # Dates as datetime64, as the store gives them (pandas would otherwise make Python objects).
    return pd.read_parquet(file, to_pandas_kwargs={"date_as_object": False})


def baseline_latest(rows: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Newest vintage per indicator and period, computed by sorting, as the definition says."""
    if as_of is not None:
        rows = rows[rows["vintage"] <= pd.Timestamp(as_of)]
    rows = rows.sort_values([*SERIES_KEY, "vintage", "source_id"]).drop_duplicates(SERIES_KEY, keep="last")
    return rows.sort_values(["indicator_id", "period_end"]).reset_index(drop=True)


def baseline_select(file: Path, ids, as_of=None) -> pd.DataFrame:
    frame = baseline_frame(file)
    return baseline_latest(frame[frame["indicator_id"].isin(ids)], as_of)


def baseline_revisions(frame: pd.DataFrame, ids) -> pd.DataFrame:
    rows = frame[frame["indicator_id"].isin(ids)]
    counts = rows.groupby(SERIES_KEY)["value"].transform("nunique", dropna=False)
    return rows[counts > 1].sort_values([*SERIES_KEY, "vintage"]).reset_index(drop=True)


def baseline_request(file: Path, ids, as_of) -> int:
    """What one dashboard callback needs, from one read of the whole file."""
    frame = baseline_frame(file)
    sorted(frame["vintage"].unique())
    rows = frame[frame["indicator_id"].isin(ids)]
    baseline_latest(rows, as_of)
    for i in ids:
        baseline_latest(rows[rows["indicator_id"] == i], as_of)
    return len(baseline_revisions(rows, ids))


def store_request(store: Store, ids, as_of) -> int:
    """The same through the store's API: vintages, select, series of each, revisions."""
    store.vintages()
    store.select(ids, as_of)
    for i in ids:
        try:
            store.series(i, as_of)
        except KeyError:  # not yet published on that date, as the dashboard allows
            pass
    return len(store.revisions(ids))


# --- The operations --------------------------------------------------------------------------------


def operations(file: Path, as_of):
    """(name, store call, baseline call, how many indicators) for each operation timed."""
    return [
        ("vintages()", lambda s, ids: s.vintages(), lambda ids: sorted(baseline_frame(file)["vintage"].unique()), 0),
        ("select 1 indicator, latest", lambda s, ids: s.select(ids), lambda ids: baseline_select(file, ids), 1),
        ("select 5 indicators, latest", lambda s, ids: s.select(ids), lambda ids: baseline_select(file, ids), 5),
        (f"select 5 indicators, as published on {as_of}", lambda s, ids: s.select(ids, as_of),
         lambda ids: baseline_select(file, ids, as_of), 5),
        ("series of 1 indicator", lambda s, ids: s.series(ids[0]),
         lambda ids: baseline_select(file, ids).set_index("period_end")["value"], 1),
        ("revisions of 1 indicator", lambda s, ids: s.revisions(ids),
         lambda ids: baseline_revisions(baseline_frame(file), ids), 1),
        (f"request: vintages, select, series and revisions of 3 indicators as published on {as_of}",
         lambda s, ids: store_request(s, ids, as_of), lambda ids: baseline_request(file, ids, as_of), 3),
    ]


def check_same_answer(store: Store, file: Path, ids, as_of) -> None:
    """The store must give what the baseline gives (values, periods, vintages, statuses)."""
    cols = ["indicator_id", "period_start", "period_end", "value", "status", "vintage", "source_id"]
    frame = baseline_frame(file)  # read once: the check is not timed
    rows = frame[frame["indicator_id"].isin(ids)]
    for when in (None, as_of):
        got = store.select(ids, when)[cols].reset_index(drop=True)
        want = baseline_latest(rows, when)[cols].reset_index(drop=True)  # baseline_select, from the frame read
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    got = store.revisions(ids)[cols].reset_index(drop=True)
    want = baseline_revisions(frame, ids)[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert store.vintages() == [d.date() for d in sorted(frame["vintage"].unique())]


def indicator_ids(file: Path) -> list[str]:
    column = pq.read_table(file, columns=["indicator_id"])["indicator_id"]
    return sorted(set(column.unique().to_pylist()))


def time_queries(ctx: Context, store_dir: Path, label: str, runs: int, baseline_runs: int,
                 target_ms: float) -> list[Figure]:
    store = Store(store_dir)
    file = store.file
    ids = indicator_ids(file)
    vintages = store.vintages()
    as_of = vintages[-2] if len(vintages) > 1 else vintages[0]
    rng = random.Random(8)
    check_same_answer(store, file, rng.sample(ids, min(5, len(ids))), as_of)
    figures = []
    for name, call, base, n in operations(file, as_of):
        draw = lambda: rng.sample(ids, min(max(n, 1), len(ids)))  # noqa: E731
        a, b = paired(lambda: call(store, draw()), lambda: base(draw()), runs, baseline_runs)
        is_request = name.startswith("request")
        figures.append(Figure(
            f"{label}: {name}", "ms", a, scale=1000, baseline=b,
            baseline_label="read the whole parquet with pandas, then filter",
            target=f"p95 <= {target_ms:g} ms, >= 5x baseline" if is_request else None,
            met=(a.p95 * 1000 <= target_ms and b.median >= 5 * a.median) if is_request else None,
        ))
        ctx.log(f"    {figures[-1].name}: {a.median * 1000:.2f} ms (baseline {b.median * 1000:.1f} ms)")
    figures.append(_open_figure(store_dir, label, runs))
    return figures


def _open_figure(store_dir: Path, label: str, runs: int) -> Figure:
    """First query on a Store just made: opening the file and reading its footer."""
    from .core import repeat

    stats = repeat(lambda: Store(store_dir).vintages(), runs)
    return Figure(f"{label}: open the store (footer, provenance, vintages)", "ms", stats, scale=1000)


@benchmark("queries.bundled", "Store queries")
def bundled_queries(ctx: Context) -> list[Figure]:
    """Store queries on the bundled store, beside the read-everything baseline."""
    runs = 20 if ctx.quick else 200
    return time_queries(ctx, ctx.data_dir / "store", "bundled", runs, runs, target_ms=50)


@benchmark("queries.synthetic", "Store queries")
def synthetic_queries(ctx: Context) -> list[Figure]:
    """Store queries on the synthetic store (millions of rows), beside the read-everything baseline."""
    runs, baseline_runs = (10, 2) if ctx.quick else (60, 3)
    return time_queries(ctx, ctx.synthetic() / "store", "synthetic", runs, baseline_runs, target_ms=150)
