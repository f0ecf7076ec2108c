"""Run a Python module as ``python -m`` would and write its peak resident memory to a file at exit.

    python -m bench.peak OUT MODULE [ARG ...]

The peak is the kernel's high-water mark of this process (``VmHWM``). The resource usage a parent
reads with wait4 is not: Linux carries the parent's own memory at fork into the child's figure.
"""
from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far (Linux: VmHWM in /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    out, module, *args = sys.argv[1:]
    atexit.register(lambda: Path(out).write_text(str(peak_rss_bytes())))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
