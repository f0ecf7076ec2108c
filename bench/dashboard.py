"""Benchmarks of the dashboard itself: callback latency and payload, the first chart in Chromium,
and image export.

Callbacks go through the app's own WSGI stack (Flask's test client, requests shaped from the app's
``/_dash-dependencies`` as ``bench.load`` shapes them): the time is the server's, from request to
serialised response, without a network. Each interaction is every view of its kind (for every
table: each pair of indicators, each mode, trend on, English, each vintage); a view costs three
callbacks, ``sync`` (address to controls), ``render`` (chart and panels) and ``words`` (sentences).

The statistics behind the views (noise tests, sentences, trends: per series, remembered per store
version) are warmed by a first pass, as a running server has them; the views themselves are
drawn as new in every timed pass (``dashboard.cache.clear_views``), and timed once more as a view
drawn before (going back to one).
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from pathlib import Path

from analysis.catalog import load_catalog
from analysis.store import Store

from .core import PYTHON, Context, Figure, Skip, Stats, benchmark, paired, run_command

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


def _app(store_dir: Path | None = None, catalog: Path | None = None, warm: bool = False):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    environ = {"POLICE_STATS_STORE": str(store_dir)} if store_dir else {}
    if catalog:
        environ["POLICE_STATS_CATALOG"] = str(catalog)
    return create_app(Settings.from_env(environ=environ), warm=warm)


def time_views(ctx: Context, client: Client, views: dict[str, list[str]], passes: int, target_ms: float,
               label: str = "", baseline=None, baseline_runs: int = 0) -> list[Figure]:
    """Each interaction's views drawn as new ``passes`` times, then once more as drawn before.

    ``baseline(query)``, if given, is timed beside the first views of each kind (A B A B ...)."""
    from dashboard.cache import clear_views

    for queries in views.values():  # one pass to fill the caches a running server has filled
        for q in queries:
            client.view(q)
    figures = []
    for kind, queries in views.items():
        totals, per_callback, sizes = [], {"sync": [], "render": [], "words": []}, []
        for _ in range(passes):
            clear_views()  # every view new to the server; the statistics behind it stay warm
            for q in queries:
                timed = client.view(q)
                totals.append(sum(s for s, _ in timed.values()))
                for name, (s, n) in timed.items():
                    per_callback[name].append(s)
                sizes.append(sum(n for _, n in timed.values()))
        again = [sum(s for s, _ in client.view(q).values()) for q in queries]
        total, base = Stats(totals), None
        if baseline is not None and baseline_runs and kind == next(iter(views)):  # it reads the same for every kind
            cycle = iter(queries * baseline_runs)
            _, base = paired(lambda: client.view(queries[0]), lambda: baseline(next(cycle)), runs=baseline_runs,
                             warmup=0)
        name = f"{label}{kind}: sync + render + words ({len(queries)} views)"
        figures.append(Figure(name, "ms", total, scale=1000, target=f"p95 <= {target_ms:g} ms",
                              met=total.p95 * 1000 <= target_ms, baseline=base,
                              baseline_label=None if base is None else "read the whole parquet with pandas, filter"))
        figures += [Figure(f"{label}{kind}: {n}", "ms", Stats(v), scale=1000) for n, v in per_callback.items()]
        figures.append(Figure(f"{label}{kind}: a view drawn before (sync + render + words)", "ms", Stats(again),
                              scale=1000))
        figures.append(Figure(f"{label}{kind}: response bytes (three callbacks)", "kB", Stats(sizes), scale=1e-3))
        ctx.log(f"    {label}{kind}: p50 {total.median * 1000:.0f} ms, p95 {total.p95 * 1000:.0f} ms")
    return figures


@benchmark("callbacks.latency", "Dashboard")
def callback_latency(ctx: Context) -> list[Figure]:
    """Server time per callback, p50 and p95, and response bytes: indicators, mode, trend, language, vintage."""
    client = Client(_app())
    views = interactions(load_catalog(), Store())
    if ctx.quick:  # the test suite: does it run, not how fast
        views = {kind: queries[:2] for kind, queries in views.items()}
    return time_views(ctx, client, views, 1 if ctx.quick else 3, CALLBACK_TARGET_MS)


SYNTHETIC_CALLBACK_TARGET_MS = 150


def synthetic_interactions(catalog, store, tables: int, seed: int = 8) -> dict[str, list[str]]:
    """The interactions of ``interactions``, on a few of the synthetic store's tables (seeded), with
    three random pairs of municipalities each instead of every pair."""
    import random

    from dashboard.state import ViewState, to_query

    rng = random.Random(seed)
    chosen = rng.sample(sorted(catalog.tables), tables)
    # every pair of 350 municipalities would be 61 000 views a table: the pairs are drawn at random below
    small = catalog.model_copy(update={"tables": {t: catalog.tables[t].model_copy(
        update={"indicators": catalog.tables[t].indicators[:2]}) for t in chosen}})
    views = interactions(small, store)
    views["choose indicators"] = sorted({to_query(ViewState(table=t, indicators=tuple(rng.sample(catalog.tables[t].indicators, 2))))
                                         for t in chosen for _ in range(3)})
    return views


@benchmark("callbacks.synthetic", "Dashboard")
def callback_latency_synthetic(ctx: Context) -> list[Figure]:
    """Server time per callback on the synthetic store (a sample of its tables), beside reading the whole parquet."""
    import pandas as pd

    from dashboard.state import from_query, indicator_ids

    folder = ctx.synthetic()
    app = _app(folder / "store", folder / "catalog.yml")
    store, catalog = app.callbacks.store, app.callbacks.catalog
    views = synthetic_interactions(catalog, store, 1 if ctx.quick else 4)
    if ctx.quick:
        views = {kind: queries[:1] for kind, queries in views.items()}

    def baseline(query):  # what a dashboard without the store's query path reads per view
        state, _ = from_query(query, catalog)
        frame = pd.read_parquet(store.file)
        return frame[frame["indicator_id"].isin(list(indicator_ids(state, catalog)))]

    return time_views(ctx, Client(app), views, 1 if ctx.quick else 2, SYNTHETIC_CALLBACK_TARGET_MS,
                      label="synthetic: ", baseline=baseline, baseline_runs=0 if ctx.quick else 2)


def page_loads(ctx: Context, app, runs: int, returning: bool) -> tuple[Stats, int]:
    """Seconds from a page load in headless Chromium until the chart has drawn its data and no
    callback is pending. ``returning``: one browser profile for all loads, so the page's scripts
    come from its cache (a returning visitor); else a fresh profile (an empty cache) every time."""
    from tests.browser import _browser, serve, wait_for_chart

    seconds, points = [], []
    with serve(app) as server, _browser() as browser:
        context = None
        for i in range(runs + 1):  # the first load (server and browser warming up) is not counted
            if context is None or not returning:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page = context.new_page()
            start = time.perf_counter()
            page.goto(server.url + "/")
            wait_for_chart(page, timeout=60000)
            drawn = page.evaluate("() => document.querySelector('#chart .js-plotly-plot')._fullData"
                                  ".reduce((n, t) => n + (t.y ? t.y.length : 0), 0)")
            elapsed = time.perf_counter() - start
            page.close()
            if not returning:
                context.close()
            if not drawn:
                raise RuntimeError("the chart was drawn without data")
            if i:
                seconds.append(elapsed)
                points.append(drawn)
    return Stats(seconds), points[0]


def warmed(app):
    """The app once its warm-up (which starts after the first answer, when idle) has finished."""
    app.server.test_client().get("/")
    for thread in threading.enumerate():
        if thread.name == "dashboard-warm-up":
            thread.join(timeout=600)
    return app


def _need_chromium() -> None:
    """Skip a browser benchmark without the browser test helpers or the system Chromium."""
    try:
        from tests.browser import CHROMIUM
    except ImportError as exc:
        raise Skip(f"the browser test helpers are missing ({exc})") from None
    if not Path(CHROMIUM).exists():
        raise Skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@benchmark("browser.first_chart", "Dashboard")
def first_chart(ctx: Context) -> list[Figure]:
    """A page load in headless Chromium until the plot has drawn its data (target <= 1.5 s)."""
    _need_chromium()
    app = warmed(_app(warm=True))  # warms its caches, as python app.py does
    runs = 1 if ctx.quick else max(ctx.runs, 10)
    figures = []
    for returning, who in ((False, "first visit, empty browser cache"), (True, "returning visit, scripts cached")):
        stats, points = page_loads(ctx, app, runs, returning)
        ctx.log(f"    first chart ({who}): {stats.median:.2f} s ({points} points drawn)")
        figures.append(Figure(f"page load until the chart has drawn its data (bundled store, 1280 px, {who})", "s",
                              stats, target="median <= 1.5 s", met=stats.median <= 1.5,
                              note=f"{points} data points drawn"))
    return figures


@benchmark("browser.first_chart_synthetic", "Dashboard")
def first_chart_synthetic(ctx: Context) -> list[Figure]:
    """The same page load on the synthetic store (its first table, 180 months of one municipality)."""
    _need_chromium()
    folder = ctx.synthetic()
    app = _app(folder / "store", folder / "catalog.yml")  # no warm-up thread running on into later benchmarks
    app.callbacks.render("", 1000)  # the default view's statistics, as the warm-up draws first
    app.callbacks.words("")
    stats, points = page_loads(ctx, app, 1 if ctx.quick else max(ctx.runs, 5), returning=False)
    ctx.log(f"    first chart, synthetic store: {stats.median:.2f} s ({points} points drawn)")
    return [Figure("page load until the chart has drawn its data (synthetic store, first visit)", "s", stats,
                   target="median <= 1.5 s", met=stats.median <= 1.5, note=f"{points} data points drawn")]


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
