"""Benchmarks of the dashboard itself, registered now so that the suite and its report have a place
for them; each is skipped, saying why, until the dashboard it measures is on the branch.

To add one: write the function that measures it (Playwright with the system Chromium, see
TOOLCHAIN.md; Dash callbacks through the app's test client) and return its Figures instead of
raising Skip.
"""
from __future__ import annotations

from .core import Context, Figure, Skip, benchmark

PENDING = "needs the dashboard (branch dashboard) on this branch"


@benchmark("browser.first_chart", "Dashboard")
def first_chart(ctx: Context) -> list[Figure]:
    """A page load in headless Chromium until the plot has drawn its data (target <= 1.5 s)."""
    raise Skip(PENDING)


@benchmark("callbacks.latency", "Dashboard")
def callback_latency(ctx: Context) -> list[Figure]:
    """Server time per callback, p50 and p95, and response bytes: indicators, mode, trend, language, vintage."""
    raise Skip(PENDING)


@benchmark("export.image", "Dashboard")
def image_export(ctx: Context) -> list[Figure]:
    """Image export of a chart, first (starting Chromium) and warm."""
    raise Skip(PENDING)
