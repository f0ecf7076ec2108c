"""Crash safety: an ingest killed at any moment leaves the store as before or after, never between;
readers during writes never see a partial store."""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.store import Store

from .conftest import ROOT
from .test_import import NEW_CSV

KILLS = 20
VINTAGE = "2026-12-18"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingest(document: Path, store_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analysis.ingest", str(document), "--store", str(store_dir),
                             "--vintage", VINTAGE, "--title", "Halfjaarbericht december 2026"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def restore(data: Path, pristine: Path) -> None:
    """Back to the state before the ingest: the store file and the sources folder as they were."""
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(pristine, data)


def wait_for_write(store_dir: Path, sources: Path, known: set, deadline: float) -> bool:
    """Spin until the ingest starts writing (an archived source or the store's temp file appears)."""
    while time.monotonic() < deadline:
        if any(p.name.startswith(".observations.parquet.tmp-") for p in os.scandir(store_dir)):
            return True
        if set(os.listdir(sources)) - known:
            return True
        time.sleep(0.0002)
    return False


def kill_runs(runs: int, document: Path, data: Path, pristine: Path, duration: float,
              before: str, after: str, rows: dict) -> dict:
    """Start the ingest, SIGKILL it, check the store; ``runs`` times on one copy of the data."""
    store_dir, sources = data / "store", data / "sources"
    known_sources = set(os.listdir(pristine / "sources"))
    rng = random.Random(20261218)
    outcomes = {"before": 0, "after": 0, "archived, store before": 0, "temp file left": 0}
    for run in range(runs):
        restore(data, pristine)
        proc = ingest(document, store_dir)
        if run % 2:  # at a random moment of the whole run
            time.sleep(rng.uniform(0, duration))
        else:  # in the middle of writing: the dangerous part
            wait_for_write(store_dir, sources, known_sources, time.monotonic() + 30)
            time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stderr.close()

        state = sha(store_dir / "observations.parquet")
        assert state in (before, after), f"run {run}: the store is neither before nor after"
        outcome = "before" if state == before else "after"
        outcomes[outcome] += 1
        # commit() archives the document before it replaces the store; a kill in between leaves the
        # archive ahead of the store, which the next ingest (or a rebuild) of the same file completes.
        outcomes["archived, store before"] += outcome == "before" and bool(set(os.listdir(sources)) - known_sources)
        # a kill inside atomic_write_bytes leaves its temp file; readers never open it (.gitignore'd)
        outcomes["temp file left"] += any(".tmp-" in name for name in os.listdir(store_dir))
        assert len(Store(store_dir).observations) == rows[outcome]
        if run % 8 == 0:  # and running the ingest again completes the job
            again = ingest(document, store_dir)
            assert again.wait(timeout=60) == 0, again.stderr.read().decode()
            again.stderr.close()
            assert sha(store_dir / "observations.parquet") == after
    return outcomes


@pytest.mark.slow
def test_an_ingest_killed_at_any_moment_leaves_the_store_before_or_after(data_copy, tmp_path):
    document = tmp_path / "december.csv"
    document.write_bytes(NEW_CSV)
    pristine = tmp_path / "pristine"
    shutil.copytree(data_copy, pristine)
    store_file = data_copy / "store" / "observations.parquet"
    before = sha(store_file)

    started = time.monotonic()
    proc = ingest(document, data_copy / "store")
    assert proc.wait(timeout=60) == 0, proc.stderr.read().decode()
    proc.stderr.close()
    duration = time.monotonic() - started
    after = sha(store_file)
    assert after != before
    rows = {"before": pq.read_metadata(pristine / "store" / "observations.parquet").num_rows,
            "after": pq.read_metadata(store_file).num_rows}
    assert rows["after"] == rows["before"] + 3  # the three values of the document

    outcomes = kill_runs(KILLS, document, data_copy, pristine, duration, before, after, rows)
    print(f"\n{KILLS} kills: {outcomes}")  # shown with -s; docs/reliability.md reports a run
    assert outcomes["before"] + outcomes["after"] == KILLS and outcomes["before"] > 0


WRITER = textwrap.dedent("""
    import sys, time
    import pandas as pd
    from analysis.store import Store
    store = Store(sys.argv[1])
    small = store.observations.copy()
    sources = list(store.sources.values())
    extra = small.copy()
    extra["vintage"] = pd.Timestamp("2030-01-01")
    big = pd.concat([small, extra, extra.assign(vintage=pd.Timestamp("2031-01-01"))], ignore_index=True)
    start = time.monotonic()
    writes = 0
    while (time.monotonic() - start < float(sys.argv[2]) or writes < 40) and time.monotonic() - start < 60:
        with store.locked():
            store.write(big if writes % 2 == 0 else small, sources)
        writes += 1
    print(writes)
""")


@pytest.mark.slow
def test_readers_during_writes_never_see_a_partial_store(data_copy):
    store_dir = data_copy / "store"
    file = store_dir / "observations.parquet"
    rows_small = pq.read_metadata(file).num_rows
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store_dir), "2"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    problems, reads = [], {"raw": 0, "store": 0}
    seen_rows = set()
    stop = threading.Event()

    def raw_reader():  # any program that opens the file once (a backup, a notebook reading the bytes)
        while not stop.is_set():
            try:
                with open(file, "rb") as fh:
                    rows = pq.read_table(pa.BufferReader(fh.read())).num_rows
            except Exception as exc:  # noqa: BLE001 - any failure to read is what this test looks for
                problems.append("raw: " + repr(exc))
                continue
            seen_rows.add(rows)
            reads["raw"] += 1

    def store_reader(fresh: bool):
        store = Store(store_dir)  # long-lived, as in a dashboard worker; or a new one per read, as a notebook
        while not stop.is_set():
            try:
                store = Store(store_dir) if fresh else store
                n = len(store.observations)
                store.latest()
            except Exception as exc:  # noqa: BLE001
                problems.append("store: " + repr(exc))
                continue
            seen_rows.add(n)
            reads["store"] += 1

    threads = [threading.Thread(target=raw_reader), threading.Thread(target=store_reader, args=(False,)),
               threading.Thread(target=store_reader, args=(True,))]
    for t in threads:
        t.start()
    out, err = writer.communicate(timeout=60)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert writer.returncode == 0, err
    writes = int(out)
    assert problems == []
    assert seen_rows <= {rows_small, rows_small * 3}
    assert len(seen_rows) == 2, "the readers should have seen both versions"
    assert writes >= 40 and reads["raw"] > 20 and reads["store"] > 20
    print(f"\n{writes} writes, {reads} reads, no partial store")
