"""Whole commands as a user runs them: start-up of the dashboard, ingest of the letter, build.

Each is timed from start to exit (start-up: until the app answers on its port), with its peak
memory, beside the yardstick (starting Python and importing pandas and pyarrow) in the same run.
Everything writes into copies under the work folder: the repository's data/ is never touched.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .core import (PYTHON, ROOT, YARDSTICK, YARDSTICK_LABEL, CommandRun, Context, Figure, Stats, benchmark,
                   run_command, run_python)
from .load import free_port

LETTER = "halfjaarbericht-politie-2026-bijlage-moties-toezeggingen"
LETTER_ARGS = ["--vintage", "2026-06-30", "--title", "Halfjaarbericht politie juni 2026, bijlage"]


def command_figures(ctx: Context, name: str, command, runs: int, setup=None, target: str | None = None,
                    limit_s: float | None = None) -> list[Figure]:
    """Time ``command()`` (a callable that runs one command and returns its CommandRun), with the
    yardstick between runs; ``setup()`` runs before each, untimed."""
    seconds, peaks, yard = [], [], []
    for i in range(runs + 1):  # the first run warms the page cache and is not counted
        if setup:
            setup()
        run = command()
        y = run_command(YARDSTICK)
        if i:
            seconds.append(run.seconds)
            peaks.append(run.peak_rss_bytes)
            yard.append(y.seconds)
    time_stats = Stats(seconds)
    ctx.log(f"    {name}: {time_stats.median:.2f} s")
    figures = [Figure(name, "s", time_stats, baseline=Stats(yard), baseline_label=YARDSTICK_LABEL, target=target,
                      met=None if limit_s is None else time_stats.median <= limit_s)]
    if None not in peaks:
        figures.append(Figure(f"{name}: peak memory", "MB", Stats(peaks), scale=1e-6))
    return figures


# --- Start-up ----------------------------------------------------------------------------------------


def time_startup(env: dict | None = None, timeout: float = 120):
    """Seconds from ``python app.py`` to the first HTTP answer on its port; the process is then stopped."""
    port = free_port()
    full_env = {**os.environ, **(env or {}), "POLICE_STATS_PORT": str(port), "POLICE_STATS_HOST": "127.0.0.1"}
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "app.py"], cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    response.read()
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(f"app.py did not answer on port {port} within {timeout} s") from None
                time.sleep(0.01)
        seconds = time.perf_counter() - start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return CommandRun(seconds)


@benchmark("startup.bundled", "Start-up")
def startup_bundled(ctx: Context) -> list[Figure]:
    """python app.py until it answers on its port, on the bundled store."""
    runs = 1 if ctx.quick else ctx.runs
    return command_figures(ctx, "start-up: python app.py until it answers (bundled store)",
                           time_startup, runs, target="median <= 3 s", limit_s=3.0)


@benchmark("startup.synthetic", "Start-up")
def startup_synthetic(ctx: Context) -> list[Figure]:
    """python app.py until it answers on its port, serving the synthetic store."""
    runs = 1 if ctx.quick else ctx.runs
    store = ctx.synthetic() / "store"
    env = {"POLICE_STATS_STORE": str(store), "POLICE_STATS_CATALOG": str(store.parent / "catalog.yml")}
    return command_figures(ctx, "start-up: python app.py until it answers (synthetic store)",
                           lambda: time_startup(env), runs, target="median <= 3 s", limit_s=3.0)


# --- Ingest and build ------------------------------------------------------------------------------


def fresh_copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock", "*.tmp-*"))


def data_without_letter(ctx: Context) -> Path:
    """A copy of data/ whose store was built without the letter: what ingesting it starts from."""
    base = ctx.work_dir / "data-without-letter"
    fresh_copy(ctx.data_dir, base)
    for p in (base / "sources").glob(f"{LETTER}*"):  # the letter and its provenance record
        p.unlink()
    run_command([PYTHON, "-m", "analysis.build", "--data", str(base)])
    return base


def ingest_figures(ctx: Context, name: str, source: Path, run: Path, runs: int) -> list[Figure]:
    """The letter ingested into ``run/store``, a fresh copy of ``source`` before each run."""
    letter = ctx.data_dir / "sources" / f"{LETTER}.txt"
    return command_figures(
        ctx, name, lambda: run_python("analysis.ingest", letter, "--store", run / "store", *LETTER_ARGS),
        runs, setup=lambda: fresh_copy(source, run))


@benchmark("ingest.letter", "Ingest and build")
def ingest_letter(ctx: Context) -> list[Figure]:
    """python -m analysis.ingest of the June 2026 letter into a copy of the bundled store."""
    return ingest_figures(ctx, "ingest of the letter (bundled store)", data_without_letter(ctx),
                          ctx.work_dir / "ingest-run", 1 if ctx.quick else ctx.runs)


@benchmark("ingest.synthetic", "Ingest and build")
def ingest_synthetic(ctx: Context) -> list[Figure]:
    """The same letter ingested into a copy of the synthetic store: the whole store is rewritten."""
    return ingest_figures(ctx, "ingest of the letter into the synthetic store", ctx.synthetic(),
                          ctx.work_dir / "ingest-synthetic-run", 1 if ctx.quick else 3)


@benchmark("build.bundled", "Ingest and build")
def build_bundled(ctx: Context) -> list[Figure]:
    """python -m analysis.build from a copy of data/ into a fresh store folder."""
    runs = 1 if ctx.quick else ctx.runs
    target = ctx.work_dir / "build-run"
    return command_figures(
        ctx, "build of the bundled store",
        lambda: run_python("analysis.build", "--data", ctx.data_dir, "--store", target),
        runs, setup=lambda: shutil.rmtree(target, ignore_errors=True))


@benchmark("catalog.synthetic", "Ingest and build")
def catalog_synthetic(ctx: Context) -> list[Figure]:
    """Reading and validating the synthetic catalog (21 000 indicators), as the dashboard does at start-up."""
    catalog = ctx.synthetic() / "catalog.yml"
    code = f"from analysis.catalog import load_catalog; load_catalog({str(catalog)!r})"
    return command_figures(ctx, "load_catalog of the synthetic catalog", lambda: run_command([PYTHON, "-c", code]),
                           runs=1)
