"""Run the benchmarks: ``python -m bench [--only NAME ...] [--runs N] [--quick]``.

Writes ``bench/results/latest.json`` (every figure, the machine, the time) and the results section
of ``docs/performance.md``; with ``--only``, the benchmarks run replace theirs and the others'
figures are kept from the run before. ``--list`` names the benchmarks. The synthetic store is generated
under ``--work`` (``/tmp/police-stats-bench`` by default) on first use and kept for later runs.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import time
import traceback
from pathlib import Path

from . import commands, dashboard, layouts, queries  # noqa: F401  (they register their benchmarks)
from .core import REGISTRY, ROOT, Context, Skip, machine, now
from .report import write_json, write_markdown

RESULTS = ROOT / "bench" / "results" / "latest.json"
MARKDOWN = ROOT / "docs" / "performance.md"


def run(ctx: Context, names: list[str]) -> dict:
    """Run the benchmarks named (all when empty; shell patterns allowed) and collect the results."""
    chosen = [b for b in REGISTRY.values() if not names or any(fnmatch.fnmatch(b.name, n) for n in names)]
    if not chosen:
        raise SystemExit(f"no benchmark matches {names}; see python -m bench --list")
    started, clock = now(), time.perf_counter()
    info = machine()
    results = []
    for bench in chosen:
        ctx.log(f"{bench.name}: {bench.doc}")
        entry = {"name": bench.name, "group": bench.group, "doc": bench.doc}
        t = time.perf_counter()
        try:
            entry["figures"] = [f.as_dict() for f in bench.run(ctx)]
            entry["status"] = "ok"
        except Skip as skip:
            entry.update(status="skipped", reason=str(skip))
            ctx.log(f"    skipped: {skip}")
        except Exception as exc:  # one broken benchmark must not lose the others' figures
            entry.update(status="error", reason=f"{type(exc).__name__}: {exc}")
            ctx.log(traceback.format_exc())
        entry["seconds"] = round(time.perf_counter() - t, 2)
        results.append(entry)
    info["load_average_end"] = machine()["load_average"]
    return {
        "started": started,
        "seconds": round(time.perf_counter() - clock, 1),
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "machine": info,
        "synthetic_store": ctx.synthetic_size or "default (bench.synthetic.generate)",
        "benchmarks": results,
    }


def merged(previous: dict, rerun: dict) -> dict:
    """The results of ``--only`` benchmarks put in place of theirs in the previous results."""
    names = {b["name"] for b in rerun["benchmarks"]}
    order = list(REGISTRY)
    kept = [b for b in previous["benchmarks"] if b["name"] not in names]
    rank = lambda b: order.index(b["name"]) if b["name"] in order else len(order)  # noqa: E731
    return {**rerun, "benchmarks": sorted(kept + rerun["benchmarks"], key=rank),
            "others_from": {"started": previous["started"], "command": previous["command"],
                            "machine": previous["machine"]}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], metavar="NAME", help="benchmarks to run (shell patterns)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each whole command (default 5)")
    parser.add_argument("--quick", action="store_true", help="few runs: checks that everything runs")
    parser.add_argument("--work", type=Path, default=Context.work_dir, help="scratch folder (synthetic store, copies)")
    parser.add_argument("--synthetic", type=Path, default=None, help="an existing synthetic folder to use")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"JSON output (default {RESULTS.relative_to(ROOT)})")
    parser.add_argument("--markdown", type=Path, default=MARKDOWN, help=f"Markdown output (default {MARKDOWN.relative_to(ROOT)})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        for b in REGISTRY.values():
            print(f"{b.name:22} {b.group}: {b.doc}")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    ctx = Context(runs=args.runs, quick=args.quick, work_dir=args.work, synthetic_dir=args.synthetic)
    results = run(ctx, args.only)
    if args.only and args.results.exists():
        results = merged(json.loads(args.results.read_text()), results)
    write_json(results, args.results)
    write_markdown(results, args.markdown)
    print(f"wrote {args.results} and {args.markdown}")
    return 1 if any(b["status"] == "error" for b in results["benchmarks"]) else 0


if __name__ == "__main__":
    sys.exit(main())
