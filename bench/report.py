"""Results out: the JSON record, and the results section of docs/performance.md.

The Markdown file is partly written by hand (why the store is laid out as it is); only the part
between the two markers below is replaced by a run.
"""
from __future__ import annotations

import json
from pathlib import Path

from analysis.files import atomic_write_bytes

BEGIN = "<!-- bench:results:begin (written by python -m bench; edit outside these markers) -->"
END = "<!-- bench:results:end -->"


def write_json(results: dict, path: Path) -> None:
    atomic_write_bytes(path, (json.dumps(results, indent=1, ensure_ascii=False) + "\n").encode())


def write_markdown(results: dict, path: Path) -> None:
    """Replace the results section of ``path`` (made with a short header if it does not exist)."""
    block = f"{BEGIN}\n{results_markdown(results)}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def results_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {results['started']} with `{results['command'].strip()}` in {results['seconds']:.0f} s, "
        f"commit {m.get('git_commit') or '?'}{' (with uncommitted changes)' if m.get('git_dirty') else ''}.",
        f"Machine: {m['cpu']}, {m['cores_usable']} of {m['cores']} cores usable, {m['memory_gib']} GiB; "
        f"{m['platform']}; Python {m['python']}, pandas {m.get('pandas')}, pyarrow {m.get('pyarrow')}. "
        f"Load average (1, 5, 15 min) {_load(m['load_average'])} at the start and "
        f"{_load(m.get('load_average_end', []))} at the end: the machine is shared, so read the ratios "
        "to the baseline (measured in the same run, runs interleaved) before the absolute figures.",
        "",
        "Each figure: the median over the runs, the spread (fastest – slowest run), the 95th percentile "
        "(p95), and where there is one, the baseline's median and how many times faster than it.",
    ]
    if results.get("others_from"):
        other = results["others_from"]
        lines += ["", f"Only some benchmarks ran then; the others' figures are from the run of {other['started']} "
                      f"(`{other['command'].strip()}`, commit {other['machine'].get('git_commit') or '?'}, "
                      f"load average {_load(other['machine']['load_average'])} at its start)."]
    group = None
    for bench in results["benchmarks"]:
        if bench["group"] != group:
            group = bench["group"]
            lines += ["", f"### {group}", ""]
        if bench["status"] != "ok":
            lines += [f"- `{bench['name']}` ({bench['doc']}): **{bench['status']}**: {bench.get('reason')}"]
            continue
        lines += [f"`{bench['name']}`: {bench['doc']}", "",
                  "| figure | median | spread | p95 | runs | baseline (median) | faster | target | met |",
                  "|---|---:|---:|---:|---:|---:|---:|---|---|"]
        for f in bench["figures"]:
            base, unit = f.get("baseline"), f["unit"]
            base_median = f"{_num(base['median'])} {unit}" if base else ""
            faster = f"{_num(f['speedup'])}×" if base and f.get("speedup") else ""
            lines.append(
                f"| {f['name']} | {_num(f['median'])} {unit} | {_num(f['min'])} – {_num(f['max'])} | "
                f"{_num(f['p95'])} | {f['runs']} | {base_median} | {faster} | "
                f"{f.get('target') or ''} | {_met(f.get('met'))} |"
            )
        baselines = sorted({f["baseline"]["label"] for f in bench["figures"] if f.get("baseline")})
        if baselines:
            lines += ["", "Baseline: " + "; ".join(baselines) + "."]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _num(x: float) -> str:
    if x is None:
        return ""
    if abs(x) >= 100:
        return f"{x:,.0f}".replace(",", " ")
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def _met(met) -> str:
    return {True: "yes", False: "**no**", None: ""}[met]


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "?"
