"""Which layout and query path for the store: candidates measured side by side at scale.

Every candidate answers the dashboard's most common store call, the latest values of 5 random
indicators as published on a date, from the synthetic store written in its own layout. Each runs
in a process of its own (``python -m bench.layouts CANDIDATE PATH``), so that its peak resident
memory is its own: time to the first answer (opening, loading), per-request p50/p95, peak memory.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from analysis.store import ROW_GROUP_ROWS, Store, write_parquet_bytes

from .core import PYTHON, Context, Figure, Stats, benchmark, run_command
from .peak import peak_rss_bytes
from .queries import baseline_frame, baseline_latest, indicator_ids
from .synthetic import TABLE_PREFIX

ROW_GROUP_SIZES = (2048, 4096, 8192, 65536, 1 << 20)  # 1 << 20: the store's layout before


# --- The candidates: open(path) -> select(ids, as_of) -> DataFrame of the latest rows -----------------


def store_path(path: Path):
    """The store as built: one parquet file, row groups read by the footer's indicator ranges."""
    store = Store(path)
    return lambda ids, as_of: store.select(ids, as_of)


def baseline(path: Path):
    """Read the whole file with pandas on every request, then filter."""
    return lambda ids, as_of: baseline_latest(_isin(baseline_frame(path), ids), as_of)


def pandas_in_memory(path: Path):
    """Read the whole file into pandas once; filter the frame in memory per request."""
    frame = baseline_frame(path)
    return lambda ids, as_of: baseline_latest(_isin(frame, ids), as_of)


def arrow_in_memory(path: Path):
    """Read the whole file into Arrow once (strings as dictionaries), with a slice per indicator."""
    table = pq.read_table(path, read_dictionary=["table_id", "indicator_id", "unit", "status", "source_id"])
    table = table.combine_chunks()
    column = table["indicator_id"].chunk(0)
    codes = column.indices.to_numpy()
    names = column.dictionary.to_pylist()
    bounds = [0, *((codes[1:] != codes[:-1]).nonzero()[0] + 1).tolist(), len(codes)]
    index = {names[codes[a]]: (a, b - a) for a, b in zip(bounds[:-1], bounds[1:])}
    plain = pa.schema([f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in table.schema])

    def select(ids, as_of):
        parts = [table.slice(*index[i]) for i in ids if i in index]
        rows = pa.concat_tables(parts).cast(plain).to_pandas(date_as_object=False)
        return baseline_latest(rows, as_of)
    return select


def dataset_filter(path: Path):
    """pyarrow.dataset with a filter on indicator_id: Arrow prunes row groups by their statistics."""
    dataset = ds.dataset(path, format="parquet", partitioning="hive" if path.is_dir() else None)

    def select(ids, as_of):
        condition = pc.field("indicator_id").isin(ids)
        if path.is_dir():  # hive partitions by table: name the partitions too
            tables = sorted({TABLE_PREFIX + i.split("_")[0] for i in ids})
            condition = pc.field("table_id").isin(tables) & condition
        return baseline_latest(dataset.to_table(filter=condition).to_pandas(date_as_object=False), as_of)
    return select


CANDIDATES = {
    "store": (store_path, f"rg{ROW_GROUP_ROWS}.parquet"),
    **{f"store, row groups of {n}": (store_path, f"rg{n}.parquet") for n in ROW_GROUP_SIZES if n != ROW_GROUP_ROWS},
    f"pyarrow.dataset filter, row groups of {ROW_GROUP_ROWS}": (dataset_filter, f"rg{ROW_GROUP_ROWS}.parquet"),
    "pyarrow.dataset filter, row groups of 1048576": (dataset_filter, "rg1048576.parquet"),
    "pyarrow.dataset, hive partitions by table": (dataset_filter, "hive"),
    "pandas in memory, filter per request": (pandas_in_memory, f"rg{ROW_GROUP_ROWS}.parquet"),
    "arrow in memory, slice per indicator": (arrow_in_memory, f"rg{ROW_GROUP_ROWS}.parquet"),
    "baseline: read everything per request": (baseline, f"rg{ROW_GROUP_ROWS}.parquet"),
}
QUICK_CANDIDATES = ("store", "pyarrow.dataset, hive partitions by table", "arrow in memory, slice per indicator",
                    "baseline: read everything per request")


def _isin(frame: pd.DataFrame, ids) -> pd.DataFrame:
    return frame[frame["indicator_id"].isin(ids)]


# --- Writing the layouts -------------------------------------------------------------------------------


def write_layouts(source: Path, folder: Path) -> None:
    """The synthetic store's rows in each layout: one file per row-group size, and hive partitions."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {size: folder / f"rg{size}.parquet" for size in ROW_GROUP_SIZES}
    missing = {size: target for size, target in files.items() if not target.exists()}
    hive = folder / "hive"
    if not missing and hive.exists():
        return  # every layout is written: no need to read the table
    table = pq.read_table(source)
    for size, target in missing.items():
        if size == ROW_GROUP_ROWS:  # the store's own writer
            target.write_bytes(write_parquet_bytes(table))
        else:
            pq.write_table(table, target, compression="zstd", compression_level=9, row_group_size=size)
    if not hive.exists():
        ds.write_dataset(table, hive, format="parquet", partitioning=["table_id"],
                         partitioning_flavor="hive", min_rows_per_group=ROW_GROUP_ROWS,
                         max_rows_per_group=ROW_GROUP_ROWS,
                         existing_data_behavior="overwrite_or_ignore")


# --- One candidate in its own process -------------------------------------------------------------------


def probe(name: str, path: Path, ids: list[str], requests: int, as_of: str, seed: int = 8) -> dict:
    rng = random.Random(seed)
    factory, _ = CANDIDATES[name]
    start = time.perf_counter()
    select = factory(path)
    select(rng.sample(ids, 5), as_of)
    first = time.perf_counter() - start
    times = []
    for _ in range(requests):
        draw = rng.sample(ids, 5)
        t = time.perf_counter()
        rows = select(draw, as_of)
        times.append(time.perf_counter() - t)
        assert len(rows) and set(rows["indicator_id"]) <= set(draw), f"{name} answered wrongly"
    return {"first_answer_s": first, "request_s": times, "peak_rss_bytes": peak_rss_bytes()}


def run_probe(name: str, path: Path, ids_file: Path, requests: int, as_of: str) -> dict:
    """``probe`` in a fresh process, so that its peak memory is the candidate's alone."""
    out = ids_file.with_name("probe-result.json")
    run_command([PYTHON, "-m", "bench.layouts", name, str(path), "--ids", str(ids_file),
                 "--requests", str(requests), "--as-of", as_of, "--out", str(out)], timeout=1800)
    result = json.loads(out.read_text())
    out.unlink()
    return result


def ids_file(ctx: Context, store: Store) -> Path:
    """The synthetic store's indicator ids, for probes to draw from without reading the store."""
    path = ctx.work_dir / "synthetic-indicator-ids.json"
    path.write_text(json.dumps(indicator_ids(store.file)))
    return path


@benchmark("layouts.synthetic", "Store layout candidates (synthetic store)")
def layouts(ctx: Context) -> list[Figure]:
    """Candidate layouts and query paths at scale, each in a process of its own."""
    store = Store(ctx.synthetic() / "store")
    folder = ctx.work_dir / "layouts"
    write_layouts(store.file, folder)
    as_of = store.vintages()[0].isoformat()
    ids = ids_file(ctx, store)
    figures = []
    # --quick (the test suite) runs one candidate of each kind; a full run, all of them.
    names = [n for n in CANDIDATES if not ctx.quick or n in QUICK_CANDIDATES]
    for name in names:
        file = CANDIDATES[name][1]
        slow = name.startswith("baseline")
        requests = (2 if slow else 5) if ctx.quick else (3 if slow else 40)
        result = run_probe(name, folder / file, ids, requests, as_of)
        req = Stats(result["request_s"])
        figures += [
            Figure(f"{name}: select 5 indicators as published on {as_of}", "ms", req, scale=1000),
            Figure(f"{name}: first answer (open or load)", "s", Stats([result["first_answer_s"]])),
            Figure(f"{name}: peak memory", "MB", Stats([result["peak_rss_bytes"]]), scale=1e-6),
        ]
        ctx.log(f"    {name}: {req.median * 1000:.1f} ms per request, first answer "
                f"{result['first_answer_s']:.2f} s, peak {result['peak_rss_bytes'] / 1e6:.0f} MB")
    return figures


@benchmark("memory.synthetic", "Resident memory (synthetic store)")
def memory(ctx: Context) -> list[Figure]:
    """Peak resident memory of a process serving requests from the synthetic store, beside the baseline."""
    store = Store(ctx.synthetic() / "store")
    as_of = store.vintages()[0].isoformat()
    ids = ids_file(ctx, store)
    probes, requests = (1, 5) if ctx.quick else (3, 200)
    ours = [run_probe("store", store.file, ids, requests, as_of) for _ in range(probes)]
    base = run_probe("baseline: read everything per request", store.file, ids, 2 if ctx.quick else 3, as_of)
    peak = Stats([r["peak_rss_bytes"] for r in ours])
    ctx.log(f"    peak memory: {peak.median / 1e6:.0f} MB (baseline {base['peak_rss_bytes'] / 1e6:.0f} MB)")
    return [Figure(f"peak memory after {requests} requests (select 5 indicators as published on {as_of})",
                   "MB", peak, scale=1e-6, baseline=Stats([base["peak_rss_bytes"]]),
                   baseline_label="read the whole parquet with pandas per request",
                   target="<= 1500 MB", met=peak.median <= 1.5e9)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layouts", description=__doc__.splitlines()[0])
    parser.add_argument("candidate", choices=list(CANDIDATES))
    parser.add_argument("path", type=Path)
    parser.add_argument("--ids", type=Path, required=True, help="JSON list of indicator ids to draw from")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = probe(args.candidate, args.path, json.loads(args.ids.read_text()), args.requests, args.as_of)
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
