"""The benchmark code runs (on a tiny synthetic store) and reports what it measured.

Benchmarks are not tests: nothing here checks a speed. It checks that every benchmark runs, that
the figures it reports are measurements (positive, as many as the runs), that the synthetic
store has the shape asked for, and that the report keeps what was written by hand.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from analysis.catalog import load_catalog
from analysis.store import Store
from bench.__main__ import run
from bench.core import Context, Stats
from bench.report import BEGIN, END, write_json, write_markdown
from bench.synthetic import generate
from tests.browser import CHROMIUM


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """3 municipalities x 2 offence types x 2 years of months, two vintages."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, municipalities=3, offences=2, years=2)
    return folder


def test_synthetic_store_has_the_shape_asked_for(tiny, tmp_path):
    store = Store(tiny / "store")
    obs = store.observations
    # 24 months; the first vintage holds back the last 7, the second restates all 24.
    assert len(obs) == 3 * 2 * (24 - 7) + 3 * 2 * 24
    # Each vintage is dated a month after the last month it covers: May 2012 and December 2012.
    assert store.vintages() == [dt.date(2012, 6, 30), dt.date(2013, 1, 31)]
    assert obs["period_start"].min() == dt.datetime(2011, 1, 1)
    assert (obs["period_end"] == obs["period_start"] + pd_month_end()).all()
    assert set(obs["status"]) <= {"definitief", "voorlopig", "geheim"}
    catalog = load_catalog(tiny / "catalog.yml")
    assert len(catalog.tables) == 2 and len(catalog.indicators) == 6
    assert set(obs["indicator_id"]) == set(catalog.indicators)
    # Seeded: the same arguments give the same bytes.
    again = generate(tmp_path / "again", municipalities=3, offences=2, years=2)
    assert again.file.read_bytes() == store.file.read_bytes()


def pd_month_end():
    import pandas as pd

    return pd.offsets.MonthEnd(0)


def test_p95_is_the_nearest_rank():
    assert Stats([float(x) for x in range(1, 21)]).p95 == 19.0  # 95% of 20 runs: the 19th
    assert Stats([float(x) for x in range(100, 0, -1)]).p95 == 95.0
    assert Stats([3.0]).p95 == 3.0


@pytest.mark.slow
def test_every_benchmark_runs_on_a_tiny_store(tiny, tmp_path):
    ctx = Context(quick=True, work_dir=tmp_path / "work", synthetic_dir=tiny, log=lambda msg: None)
    ctx.work_dir.mkdir()
    results = run(ctx, [])
    by_name = {b["name"]: b for b in results["benchmarks"]}
    ran = ["startup.bundled", "startup.synthetic", "ingest.letter", "ingest.synthetic", "build.bundled",
           "catalog.synthetic", "callbacks.latency", "queries.bundled", "queries.synthetic", "layouts.synthetic",
           "memory.synthetic"]
    if Path(CHROMIUM).exists():
        ran += ["browser.first_chart", "export.image"]
    for name in ran:
        assert by_name[name]["status"] == "ok", by_name[name].get("reason")
        for figure in by_name[name]["figures"]:
            assert figure["runs"] >= 1 and 0 < figure["min"] <= figure["median"] <= figure["max"]
    callbacks = {f["name"] for f in by_name["callbacks.latency"]["figures"]}
    for interaction in ("choose indicators", "switch mode", "trend on", "language switch", "change the vintage"):
        assert any(n.startswith(f"{interaction}: sync + render + words") for n in callbacks)
        assert f"{interaction}: response bytes (three callbacks)" in callbacks
    queries = {f["name"]: f for f in by_name["queries.bundled"]["figures"]}
    request = next(f for n, f in queries.items() if n.startswith("bundled: request"))
    assert request["baseline"]["runs"] >= 1 and request["speedup"] > 0
    assert results["machine"]["cores"] >= 1 and results["machine"]["python"]

    json_path, md_path = tmp_path / "latest.json", tmp_path / "performance.md"
    md_path.write_text(f"# Performance\n\nWhy, by hand.\n\n{BEGIN}\nold figures\n{END}\n\nMore by hand.\n")
    write_json(results, json_path)
    write_markdown(results, md_path)
    assert json.loads(json_path.read_text())["benchmarks"][0]["name"] == results["benchmarks"][0]["name"]
    text = md_path.read_text()
    assert "Why, by hand." in text and "More by hand." in text and "old figures" not in text
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    for name in by_name:
        assert f"`{name}`" in text
