"""Rebuild the store from ``data/`` alone: ``python -m analysis.build [--data DIR] [--store DIR]``.

Every provenance record in ``data/sources`` is read, oldest vintage first, and the store is written
in one atomic step. The same sources give the same bytes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .catalog import DATA_DIR, load_catalog
from .errors import DataError
from .sources import read_manifests
from .store import Store
from .documents import read_source


def build(data_dir: Path = DATA_DIR, store_dir: Path | None = None, catalog_path: Path | None = None) -> Store:
    """Read every source in ``data_dir/sources`` and write the store; returns it."""
    catalog = load_catalog(catalog_path or (data_dir / "catalog.yml"))
    sources_dir = data_dir / "sources"
    frames, sources = [], []
    for record in read_manifests(sources_dir):
        doc = read_source(record, sources_dir / record.file, catalog)
        frames.append(doc.observations)
        sources += doc.sources
    if not frames:
        raise DataError("no sources to build from", file=sources_dir)
    observations = pd.concat(frames, ignore_index=True)
    check_consistent(observations)
    store = Store(store_dir or data_dir / "store")
    with store.locked():
        store.write(observations, sources)
    return store


def check_consistent(observations: pd.DataFrame, indicators=None) -> None:
    """Two sources of the same vintage must not disagree on a value.

    ``indicators``: check only these (the ones a new document brings: rows of other indicators
    cannot clash with it, and were checked when they were written).
    """
    key = ["indicator_id", "period_start", "period_end", "vintage"]
    if indicators is not None:
        observations = observations[observations["indicator_id"].isin(list(indicators))]
    values = observations.groupby(key, observed=True)["value"].nunique(dropna=False)
    clash = values[values > 1]
    if not clash.empty:
        ind, _, end, vintage = clash.index[0]
        raise DataError(
            f"sources of the same vintage {vintage:%Y-%m-%d} disagree on {ind} for {end:%Y-%m-%d}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.build", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="data folder with catalog.yml and sources/")
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: DATA/store)")
    args = parser.parse_args(argv)
    try:
        store = build(args.data, args.store)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    frame = store.observations
    print(f"built {store.file}: {len(frame)} values, {frame['indicator_id'].nunique()} indicators, "
          f"{len(store.sources)} sources, vintages {', '.join(str(v) for v in store.vintages())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
