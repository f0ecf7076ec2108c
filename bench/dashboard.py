"""Benchmarks of the dashboard itself: callback latency and payload, the first chart in Chromium,
and image export.

Callbacks go through the app's own WSGI stack (Flask's test client, requests shaped from the app's
``/_dash-dependencies`` as ``bench.load`` shapes them): the time is the server's, from request to
serialised response, without a network. Each interaction is every view of its kind (for every
table: each pair of indicators, each mode, trend on, English, each vintage); a view costs three
callbacks, ``sync`` (address to controls), ``render`` (chart and panels) and ``words`` (sentences).
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from pathlib import Path

from analysis.catalog import load_catalog
from analysis.store import Store

from .core import PYTHON, Context, Figure, Skip, Stats, benchmark, run_command

CALLBACK_TARGET_MS = 50
WIDTH = 960  # a laptop's chart card


def interactions(catalog, store) -> dict[str, list[str]]:
    """The view queries each interaction leads to, for every table of the catalog."""
    from dashboard.state import MODES, ViewState, from_query, to_query

    views: dict[str, list] = {"choose indicators": [], "switch mode": [], "trend on": [],
                              "language switch": [], "change the vintage": []}
    for table in catalog.tables.values():
        base = ViewState(table=table.id)
        views["choose indicators"] += [base.replace(indicators=pair) for pair in itertools.combinations(table.indicators, 2)]
        views["switch mode"] += [base.replace(mode=m) for m in MODES]
        views["trend on"].append(base.replace(trend=True))
        views["language switch"].append(base.replace(lang="en"))
        views["change the vintage"] += [base.replace(asof=v) for v in store.vintages()]
    out = {}
    for kind, states in views.items():
        queries = []
        for state in states:
            query = to_query(state)
            parsed, notices = from_query(query, catalog)
            if not notices:  # only views the dashboard itself would make (a table without ratios has no ratio mode)
                queries.append(to_query(parsed))
        out[kind] = sorted(set(queries))
    return out


class Client:
    """Posts callbacks to the app in-process and times them."""

    def __init__(self, app):
        from .load import Dash

        self.http = app.server.test_client()
        self.dash = Dash(self.http.get("/_dash-dependencies").get_json())

    def post(self, needle: str, values: dict) -> tuple[float, int, dict]:
        body = self.dash.body(needle, values)
        start = time.perf_counter()
        response = self.http.post("/_dash-update-component", data=body, content_type="application/json")
        seconds = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"callback {needle} answered {response.status_code}: {response.get_data(as_text=True)[:500]}")
        return seconds, len(response.get_data()), response.get_json()

    def view(self, query: str) -> dict[str, tuple[float, int]]:
        """The three callbacks a browser sends for one view: seconds and response bytes of each."""
        sync = self.post("url.search", {"url.search": "?" + query})
        view = sync[2]["response"]["view"]["data"]
        render = self.post("chart.figure", {"sized-view.data": {"query": view, "width": WIDTH}})
        words = self.post("panel-sentences.children", {"view.data": view})
        return {"sync": sync[:2], "render": render[:2], "words": words[:2]}


def _app(store_dir: Path | None = None):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    environ = {"POLICE_STATS_STORE": str(store_dir)} if store_dir else {}
    return create_app(Settings.from_env(environ=environ), warm=False)


@benchmark("callbacks.latency", "Dashboard")
def callback_latency(ctx: Context) -> list[Figure]:
    """Server time per callback, p50 and p95, and response bytes: indicators, mode, trend, language, vintage."""
    app = _app()
    client = Client(app)
    views = interactions(load_catalog(), Store())
    if ctx.quick:  # the test suite: does it run, not how fast
        views = {kind: queries[:2] for kind, queries in views.items()}
    passes = 1 if ctx.quick else 3
    for queries in views.values():  # one pass to fill the caches a running server has filled
        for q in queries:
            client.view(q)
    figures = []
    for kind, queries in views.items():
        totals, per_callback, sizes = [], {"sync": [], "render": [], "words": []}, []
        for _ in range(passes):
            for q in queries:
                timed = client.view(q)
                totals.append(sum(s for s, _ in timed.values()))
                for name, (s, n) in timed.items():
                    per_callback[name].append(s)
                sizes.append(sum(n for _, n in timed.values()))
        total = Stats(totals)
        figures.append(Figure(f"{kind}: sync + render + words ({len(queries)} views)", "ms", total, scale=1000,
                              target=f"p95 <= {CALLBACK_TARGET_MS} ms", met=total.p95 * 1000 <= CALLBACK_TARGET_MS))
        figures += [Figure(f"{kind}: {name}", "ms", Stats(v), scale=1000) for name, v in per_callback.items()]
        figures.append(Figure(f"{kind}: response bytes (three callbacks)", "kB", Stats(sizes), scale=1e-3))
        ctx.log(f"    {kind}: p50 {total.median * 1000:.0f} ms, p95 {total.p95 * 1000:.0f} ms")
    return figures


@benchmark("browser.first_chart", "Dashboard")
def first_chart(ctx: Context) -> list[Figure]:
    """A page load in headless Chromium until the plot has drawn its data (target <= 1.5 s)."""
    try:
        from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve, wait_for_chart
    except ImportError as exc:
        raise Skip(f"the browser test helpers are missing ({exc})") from None
    if not Path(CHROMIUM).exists():
        raise Skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from dashboard.app import create_app
    from dashboard.settings import Settings

    app = create_app(Settings.from_env(environ={}))  # warms its caches in a thread, as python app.py does
    for thread in threading.enumerate():
        if thread.name == "dashboard-warm-up":
            thread.join(timeout=300)
    runs = 1 if ctx.quick else max(ctx.runs, 10)
    seconds, points = [], []
    with serve(app) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for i in range(runs + 1):  # the first load also compiles the page's scripts: not counted
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
                page = context.new_page()
                start = time.perf_counter()
                page.goto(server.url + "/")
                wait_for_chart(page, timeout=60000)
                drawn = page.evaluate("() => document.querySelector('#chart .js-plotly-plot')._fullData"
                                      ".reduce((n, t) => n + (t.y ? t.y.length : 0), 0)")
                elapsed = time.perf_counter() - start
                context.close()
                if not drawn:
                    raise RuntimeError("the chart was drawn without data")
                if i:
                    seconds.append(elapsed)
                    points.append(drawn)
        finally:
            browser.close()
    stats = Stats(seconds)
    ctx.log(f"    first chart: {stats.median:.2f} s ({points[0]} points drawn)")
    return [Figure("page load until the chart has drawn its data (bundled store, 1280 px)", "s", stats,
                   target="median <= 1.5 s", met=stats.median <= 1.5, note=f"{points[0]} data points drawn")]


EXPORT_PROBE = """
import json, sys, time
from analysis.catalog import load_catalog
from analysis.store import Store
from dashboard.export import ExportRequest, export_image
from dashboard.state import ViewState
store, catalog, warm = Store(), load_catalog(), int(sys.argv[2])
times = {}
for fmt in ("png", "svg", "pdf"):
    request = ExportRequest(ViewState(), fmt=fmt)
    runs = []
    for _ in range(1 + (warm if fmt == "png" else 2)):
        start = time.perf_counter()
        image, name, _ = export_image(request, store, catalog)
        runs.append(time.perf_counter() - start)
        assert len(image) > 1000, name
    times[fmt] = runs
open(sys.argv[1], "w").write(json.dumps(times))
"""


@benchmark("export.image", "Dashboard")
def image_export(ctx: Context) -> list[Figure]:
    """Image export of the default view (letter preset), first (starting Chromium) and warm: PNG 2x, SVG, PDF."""
    try:
        from dashboard.export import chromium_path
    except ImportError as exc:
        raise Skip(f"the dashboard has no image export ({exc})") from None
    if chromium_path() is None:
        raise Skip("no Chromium to draw with (apt-get install chromium)")
    processes, warm = (1, 2) if ctx.quick else (3, 10)
    out = ctx.work_dir / "export-times.json"
    first, warm_runs = [], {"png": [], "svg": [], "pdf": []}
    for _ in range(processes):  # a process of its own each time: the first export starts the browser
        run_command([PYTHON, "-c", EXPORT_PROBE, str(out), str(warm)], timeout=600)
        times = json.loads(out.read_text())
        first.append(times["png"][0])
        for fmt, runs in times.items():
            warm_runs[fmt] += runs[1:]
    figures = [Figure("first PNG export in a process (starts Chromium)", "s", Stats(first))]
    figures += [Figure(f"warm {fmt.upper()} export{' (2x)' if fmt == 'png' else ''}", "ms", Stats(runs), scale=1000)
                for fmt, runs in warm_runs.items()]
    ctx.log(f"    export: first {Stats(first).median:.2f} s, warm PNG {Stats(warm_runs['png']).median * 1000:.0f} ms")
    return figures
