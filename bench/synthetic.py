"""A synthetic store shaped like registered crime by municipality and month, at a hundred times today's size.

    python -m bench.synthetic DIR [--municipalities 350] [--offences 60] [--years 15] [--seed 8]

writes ``DIR/catalog.yml`` (a table per offence type, an indicator per municipality) and
``DIR/store/observations.parquet`` through the store's own write path. Two vintages, as CBS
publishes: the first up to mid-year, the second restating every month with a share of the recent
ones revised and adding the rest of the year. The last twelve months of each vintage are
"voorlopig"; a few small counts are "geheim" (missing). The same arguments give the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.model import COLUMNS
from analysis.sources import SourceRecord
from analysis.files import atomic_write_bytes
from analysis.store import Store

TABLE_PREFIX = "synth_misdrijven_"
FIRST_YEAR = 2011
# Vintage 1 stops this many months before the end; vintage 2 restates and completes it.
MONTHS_HELD_BACK = 7
REVISED_SHARE = 0.1  # of the restated months in the last two years of vintage 1


def generate(folder: str | Path, *, municipalities: int = 350, offences: int = 60, years: int = 15,
             seed: int = 8) -> Store:
    """Write a synthetic catalog and store under ``folder``; returns the store."""
    folder = Path(folder)
    rng = np.random.default_rng(seed)
    gm = [f"gm{i:04d}" for i in range(1, municipalities + 1)]
    soort = [f"soort{j:02d}" for j in range(1, offences + 1)]
    months = pd.date_range(f"{FIRST_YEAR}-01-01", periods=12 * years, freq="MS")
    counts = _counts(rng, municipalities, offences, len(months))

    n1 = len(months) - MONTHS_HELD_BACK
    # Each vintage is published a month after the last month it covers.
    ends = months + pd.offsets.MonthEnd(0)
    sources = [_source(ends[n1 - 1] + pd.Timedelta(days=30), seed), _source(ends[-1] + pd.Timedelta(days=31), seed)]
    first = counts[:, :, :n1]
    second = counts.copy()
    recent = np.zeros(second.shape, bool)
    recent[:, :, max(0, n1 - 24):n1] = True
    revise = recent & (rng.random(second.shape) < REVISED_SHARE)
    second[revise] += rng.integers(1, 4, size=int(revise.sum()))
    frames = [_frame(first, gm, soort, months[:n1], sources[0]),
              _frame(second, gm, soort, months, sources[1])]
    observations = pd.concat(frames, ignore_index=True)

    atomic_write_bytes(folder / "catalog.yml", _catalog(gm, soort).encode("utf-8"))
    store = Store(folder / "store")
    with store.locked():
        store.write(observations, sources)
    return store


def indicator_id(soort: str, gm: str) -> str:
    return f"{soort}_{gm}"


def _counts(rng, municipalities: int, offences: int, months: int) -> np.ndarray:
    """Monthly counts: municipality size x offence rate x a slow trend x season, Poisson noise."""
    size = rng.lognormal(mean=0.0, sigma=1.0, size=(municipalities, 1, 1))
    rate = rng.lognormal(mean=2.0, sigma=1.2, size=(1, offences, 1))
    t = np.arange(months)
    trend = 1.0 - 0.3 * t / months
    season = 1.0 + 0.15 * np.sin(2 * np.pi * (t % 12) / 12)
    return rng.poisson(size * rate * (trend * season)[None, None, :]).astype(float)


def _frame(counts: np.ndarray, gm, soort, months: pd.DatetimeIndex, source: SourceRecord) -> pd.DataFrame:
    """Tidy rows of one vintage: one per municipality, offence type and month."""
    n_gm, n_soort, n_month = counts.shape
    g, s, m = (a.ravel() for a in np.meshgrid(np.arange(n_gm), np.arange(n_soort), np.arange(n_month), indexing="ij"))
    values = counts.ravel().copy()
    status = np.where(m >= n_month - 12, 1, 0)  # 1 = voorlopig
    secret = (values > 0) & (values < 3) & (g % 50 == 7)  # a few tiny counts withheld, as CBS does
    values[secret] = np.nan
    status[secret] = 2
    ids = [indicator_id(so, gmc) for gmc in gm for so in soort]  # in the order of g * n_soort + s
    frame = pd.DataFrame({
        "table_id": pd.Categorical.from_codes(s, [f"{TABLE_PREFIX}{so}" for so in soort]),
        "indicator_id": pd.Categorical.from_codes(g * n_soort + s, ids),
        "period_start": months.values[m],
        "period_end": (months + pd.offsets.MonthEnd(0)).values[m],
        "value": values,
        "unit": pd.Categorical.from_codes(np.zeros(len(values), int), ["count"]),
        "status": pd.Categorical.from_codes(status, ["definitief", "voorlopig", "geheim"]),
        "rounded_to": np.ones(len(values), dtype=np.int64),
        "vintage": np.full(len(values), np.datetime64(source.vintage, "ms")),
        "source_id": pd.Categorical.from_codes(np.zeros(len(values), int), [source.source_id]),
    })
    return frame[list(COLUMNS)]


def _source(vintage: pd.Timestamp, seed: int) -> SourceRecord:
    day = vintage.date()
    source_id = f"synthetisch-{day:%Y-%m}"
    return SourceRecord(
        source_id=source_id, title=f"Synthetische misdrijven per gemeente en maand ({day:%B %Y})",
        publisher="synthetisch (bench)", published=day.isoformat(), vintage=day,
        sha256=hashlib.sha256(f"{source_id}-{seed}".encode()).hexdigest(), file=f"{source_id}.csv",
        reader="csv", note="generated by bench.synthetic; not real data",
    )


def _catalog(gm, soort) -> str:
    """A catalog that validates: one table per offence type, one indicator per municipality in it."""
    tables, indicators = {}, {}
    for so in soort:
        n = so.removeprefix("soort")
        table_id = f"{TABLE_PREFIX}{so}"
        ids = [indicator_id(so, g) for g in gm]
        tables[table_id] = {
            "title": {"nl": f"Geregistreerde misdrijven, soort {n}, per gemeente",
                      "en": f"Registered crime, type {n}, by municipality"},
            "short_title": {"nl": f"Misdrijven soort {n}", "en": f"Crime type {n}"},
            "kind": "flow", "frequency": "year", "publisher": "synthetisch",
            "description": {"nl": "Synthetische gegevens voor benchmarks.", "en": "Synthetic data for benchmarks."},
            "indicators": ids,
        }
        for g, i in zip(gm, ids):
            label = f"Soort {n}, gemeente {g[2:]}"
            indicators[i] = {
                "table": table_id, "unit": "count", "kind": "flow",
                "label": {"nl": label, "en": f"Type {n}, municipality {g[2:]}"},
                "short_label": {"nl": f"gemeente {g[2:]}", "en": f"municipality {g[2:]}"},
                "definition": {"nl": "Synthetisch.", "en": "Synthetic."},
            }
    catalog = {"units": {"count": {"nl": "aantal", "en": "number"}}, "tables": tables, "indicators": indicators}
    header = "# Synthetic catalog written by bench.synthetic for benchmarks; not real data.\n"
    # JSON is YAML too, and writing it is instant; PyYAML's emitter takes close to a minute here.
    return header + json.dumps(catalog, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write catalog.yml and store/ (e.g. under /tmp)")
    parser.add_argument("--municipalities", type=int, default=350)
    parser.add_argument("--offences", type=int, default=60)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    store = generate(args.folder, municipalities=args.municipalities, offences=args.offences,
                     years=args.years, seed=args.seed)
    print(f"wrote {store.file} ({store.file.stat().st_size / 1e6:.1f} MB) and {args.folder / 'catalog.yml'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
