"""The harness: a registry of benchmarks, repeated timings summarised, the machine they ran on.

A benchmark is a function registered with ``@benchmark(name, group)``; it receives a ``Context``
(paths, number of runs, the synthetic store) and returns a list of ``Figure``: one measured
quantity each, with its median and spread over repeated runs, and where there is one, the same
quantity for a baseline measured in the same run (pairs interleaved, so that a machine that slows
down mid-run slows both). Benchmarks that need something not there yet (a dashboard page, a
browser) are registered too and say why they were skipped.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

REGISTRY: dict[str, "Benchmark"] = {}


class Skip(Exception):
    """Raised by a benchmark that cannot run here (yet); the message says why."""


@dataclass
class Stats:
    """Repeated measurements of one quantity (seconds, bytes, ...)."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float:
        """The 95th percentile (nearest rank): the value 95% of the runs did not exceed."""
        ordered = sorted(self.values)
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]

    def as_dict(self, scale: float = 1.0) -> dict:
        v = [x * scale for x in self.values]
        s = Stats(v)
        return {"runs": len(v), "median": s.median, "p95": s.p95, "min": min(v), "max": max(v)}


@dataclass
class Figure:
    """One measured quantity: e.g. "select 5 indicators as published on D" on the synthetic store."""

    name: str
    unit: str  # "ms", "s", "MB", "bytes"
    measured: Stats
    scale: float = 1.0  # from the measured values (seconds, bytes) to ``unit``
    baseline: Stats | None = None
    baseline_label: str | None = None
    target: str | None = None  # e.g. "p95 <= 150 ms"
    met: bool | None = None
    note: str | None = None

    def as_dict(self) -> dict:
        out = {"name": self.name, "unit": self.unit, **self.measured.as_dict(self.scale)}
        if self.baseline is not None:
            out["baseline"] = {"label": self.baseline_label, **self.baseline.as_dict(self.scale)}
            out["speedup"] = self.baseline.median / self.measured.median if self.measured.median else None
        out.update(target=self.target, met=self.met, note=self.note)
        return out


@dataclass
class Context:
    """What a benchmark may use: where things are, how often to repeat, the synthetic store."""

    runs: int = 5
    quick: bool = False  # fewer runs and smaller data: for the tests of the harness itself
    data_dir: Path = ROOT / "data"
    work_dir: Path = Path("/tmp/police-stats-bench")
    synthetic_dir: Path | None = None  # a store written by bench.synthetic (made on first use)
    synthetic_size: dict = field(default_factory=dict)  # arguments for bench.synthetic.generate
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr, flush=True)

    def synthetic(self) -> Path:
        """The folder of the synthetic store (``catalog.yml``, ``store/``), generated once."""
        from . import synthetic

        if self.synthetic_dir is None:
            self.synthetic_dir = self.work_dir / "synthetic"
        if not (self.synthetic_dir / "store" / "observations.parquet").exists():
            self.log(f"  generating the synthetic store in {self.synthetic_dir} ...")
            synthetic.generate(self.synthetic_dir, **self.synthetic_size)
        return self.synthetic_dir


@dataclass
class Benchmark:
    name: str
    group: str
    run: Callable[[Context], list[Figure]]
    doc: str


def benchmark(name: str, group: str):
    """Register a benchmark under ``name`` (``python -m bench --only name`` runs it alone)."""

    def register(fn):
        REGISTRY[name] = Benchmark(name, group, fn, (fn.__doc__ or "").strip().splitlines()[0])
        return fn

    return register


# --- Measuring --------------------------------------------------------------------------------


def repeat(fn: Callable[[], object], runs: int, warmup: int = 1) -> Stats:
    """Wall seconds of ``fn()`` over ``runs`` calls after ``warmup`` uncounted ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Stats(times)


def paired(fn: Callable[[], object], baseline: Callable[[], object], runs: int,
           baseline_runs: int | None = None, warmup: int = 1) -> tuple[Stats, Stats]:
    """Time ``fn`` and ``baseline`` in turn (A B A B ...), so drift in the machine hits both.

    ``baseline_runs`` may be fewer than ``runs`` for a slow baseline: its runs are spread
    evenly among those of ``fn``.
    """
    baseline_runs = runs if baseline_runs is None else baseline_runs
    for _ in range(warmup):  # the baseline reads everything every time: it has nothing to warm
        fn()
    a, b = [], []
    every = max(1, runs // max(1, baseline_runs))
    for i in range(runs):
        start = time.perf_counter()
        fn()
        a.append(time.perf_counter() - start)
        if i % every == 0 and len(b) < baseline_runs:
            start = time.perf_counter()
            baseline()
            b.append(time.perf_counter() - start)
    return Stats(a), Stats(b)


@dataclass
class CommandRun:
    seconds: float
    peak_rss_bytes: int | None = None


def run_command(argv: list[str], env: dict | None = None, cwd: Path = ROOT, timeout: float = 600) -> CommandRun:
    """Run a whole command: wall seconds from start to exit (a failure raises, with its stderr)."""
    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            subprocess.run(argv, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=err, timeout=timeout, check=True)
        except subprocess.CalledProcessError as exc:
            err.seek(0)
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {exc.returncode}: {err.read().decode()[-2000:]}") from None
        return CommandRun(time.perf_counter() - start)


def run_python(module: str, *args, env: dict | None = None, timeout: float = 600) -> CommandRun:
    """``python -m module args``, timed as a whole command, with its own peak resident memory."""
    with tempfile.NamedTemporaryFile(suffix=".peak") as out:
        run = run_command([PYTHON, "-m", "bench.peak", out.name, module, *map(str, args)], env=env, timeout=timeout)
        run.peak_rss_bytes = int(Path(out.name).read_text())
    return run


# The yardstick for whole commands: starting Python and importing the data libraries, timed in
# the same run. A command's ratio to it says how it compares however busy the machine was.
YARDSTICK = [PYTHON, "-c", "import pandas, pyarrow.parquet"]
YARDSTICK_LABEL = "python -c 'import pandas, pyarrow.parquet'"


# --- The machine -------------------------------------------------------------------------------


def machine() -> dict:
    """What the figures were measured on (a shared machine: the load average says how busy)."""
    info = {
        "hostname": platform.node(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    for lib in ("pandas", "pyarrow", "numpy", "dash", "plotly"):
        try:
            info[lib] = __import__(lib).__version__
        except ImportError:
            pass
    info["git_commit"] = _git("rev-parse", "--short", "HEAD")
    info["git_dirty"] = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git(*args) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
