"""Load: concurrent users against gunicorn on loopback, sending the requests a browser sends.

    python -m bench.load [--clients 50] [--duration 60] [--url http://127.0.0.1:8050] [--out FILE]

Without ``--url`` it starts gunicorn with the repository's ``gunicorn.conf.py`` (its workers and
threads from the settings) on a free loopback port and stops it afterwards. Each client opens
views one after another, as a browser does for an address: the page, ``/_dash-layout`` and
``/_dash-dependencies`` (scripts are cached by the browser and left out), then the callbacks
``sync`` (the address read into a view), ``render`` (chart and panels for the card's width) and
``words`` (the sentences). The views are every valid combination of table, mode, language and
trend that the dashboard offers. Writes request counts, errors (5xx, connection failures) and
latency percentiles per request kind to ``bench/results/load.json``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
WIDTHS = (360, 720, 960, 1200)  # phone, half screen, laptop, desktop card widths


def views() -> list[str]:
    """Every valid view of table x mode x language x trend, as the dashboard writes its links."""
    sys.path.insert(0, str(ROOT))
    from analysis.catalog import load_catalog
    from dashboard.state import MODES, ViewState, from_query, to_query

    catalog = load_catalog()
    found = []
    for table, mode, lang, trend in itertools.product(catalog.tables, MODES, ("nl", "en"), (False, True)):
        query = to_query(ViewState(table=table, mode=mode, lang=lang, trend=trend))
        state, notices = from_query(query, catalog)
        if not notices and to_query(state) == query:
            found.append(query)
    return sorted(set(found))


class Dash:
    """Callback requests shaped from the app's own ``/_dash-dependencies``."""

    def __init__(self, dependencies: list[dict]):
        self.dependencies = dependencies

    def body(self, needle: str, values: dict) -> bytes:
        spec = next(d for d in self.dependencies if needle in d["output"])
        key = spec["output"]
        outputs = [{"id": i, "property": p} for i, p in (o.rsplit(".", 1) for o in key.strip(".").split("..."))]
        first = spec["inputs"][0]
        return json.dumps({
            "output": key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in spec["inputs"]],
            "state": [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in spec.get("state", [])],
            "changedPropIds": [f"{first['id']}.{first['property']}"],
        }).encode()


class Client(threading.Thread):
    """One user: opens views until the time is up, timing every request."""

    def __init__(self, number: int, host: str, port: int, dash: Dash, queries: list[str], until: float, log):
        super().__init__(daemon=True)
        self.host, self.port, self.dash, self.queries, self.until, self.log = host, port, dash, queries, until, log
        self.rng = random.Random(number)
        self.conn = None

    def request(self, kind: str, method: str, path: str, body: bytes | None = None):
        started = time.perf_counter()
        status, data = None, b""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            headers = {"Content-Type": "application/json"} if body else {}
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            status, data = response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = None
            status = type(exc).__name__
        self.log(kind, status, time.perf_counter() - started)
        return status, data

    def page_view(self):
        query = self.rng.choice(self.queries)
        started = time.perf_counter()
        self.request("page", "GET", "/?" + query)
        self.request("layout", "GET", "/_dash-layout")
        self.request("dependencies", "GET", "/_dash-dependencies")
        status, data = self.request("sync", "POST", "/_dash-update-component",
                                    self.dash.body("url.search", {"url.search": "?" + query}))
        view = query
        if status == 200:
            view = json.loads(data)["response"]["view"]["data"]
        sized = {"query": view, "width": self.rng.choice(WIDTHS)}
        self.request("render", "POST", "/_dash-update-component", self.dash.body("chart.figure", {"sized-view.data": sized}))
        self.request("words", "POST", "/_dash-update-component", self.dash.body("panel-sentences.children", {"view.data": view}))
        self.log("page_view", 200, time.perf_counter() - started)

    def run(self):
        while time.perf_counter() < self.until:
            self.page_view()
        if self.conn:
            self.conn.close()


def percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {"n": 0}
    ordered = sorted(seconds)

    def rank(p):  # nearest rank: the value p% of the requests did not exceed
        return round(ordered[max(0, -(-p * len(ordered) // 100) - 1)] * 1000, 1)

    return {"n": len(ordered), "p50_ms": rank(50), "p90_ms": rank(90), "p95_ms": rank(95), "p99_ms": rank(99),
            "max_ms": round(ordered[-1] * 1000, 1), "mean_ms": round(sum(ordered) / len(ordered) * 1000, 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "POLICE_STATS_PORT": str(port), "POLICE_STATS_HOST": "127.0.0.1"}
    env.setdefault("POLICE_STATS_SECRET_KEY", "load-test-" + "x" * 32)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "app:server"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_healthy(host: str, port: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            if response.status == 200:
                return json.loads(response.read())
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"no healthy server at {host}:{port} within {timeout:.0f} s")


def fetch_json(host: str, port: int, path: str):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", path)
    return json.loads(conn.getresponse().read())


def run(clients: int, duration: float, url: str | None) -> dict:
    server = None
    if url:
        parsed = urllib.parse.urlsplit(url)
        host, port = parsed.hostname, parsed.port or 80
    else:
        host, port = "127.0.0.1", free_port()
        server = start_gunicorn(port)
    try:
        health = wait_healthy(host, port)
        dash = Dash(fetch_json(host, port, "/_dash-dependencies"))
        queries = views()
        # One warm-up pass over every view, so the figures are for a server in use, not a cold start.
        warm_until = time.perf_counter() + 600
        warm = Client(-1, host, port, dash, queries, warm_until, lambda *a: None)
        for query in queries:
            warm.queries = [query]
            warm.page_view()

        timings, statuses, lock = defaultdict(list), defaultdict(Counter), threading.Lock()

        def log(kind, status, seconds):
            with lock:
                timings[kind].append(seconds)
                statuses[kind][str(status)] += 1

        until = time.perf_counter() + duration
        started = time.perf_counter()
        users = [Client(n, host, port, dash, queries, until, log) for n in range(clients)]
        for u in users:
            u.start()
        for u in users:
            u.join()
        elapsed = time.perf_counter() - started
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)

    requests = {k: v for k, v in timings.items() if k != "page_view"}
    errors = {kind: {s: n for s, n in counts.items() if not s.isdigit() or int(s) >= 500}
              for kind, counts in statuses.items() if kind != "page_view"}
    total = sum(len(v) for v in requests.values())
    return {
        "command": "python -m bench.load " + " ".join(sys.argv[1:]),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_end": list(os.getloadavg())},
        "server": {"url": url or f"gunicorn -c gunicorn.conf.py on 127.0.0.1:{port}",
                   "workers": os.environ.get("POLICE_STATS_WORKERS", "2 (default)"),
                   "threads": os.environ.get("POLICE_STATS_THREADS", "4 (default)"),
                   "store_rows": health.get("rows"), "latest_vintage": health.get("latest_vintage")},
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "views": len(queries),
        "page_views": len(timings["page_view"]),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "errors": sum(sum(e.values()) for e in errors.values()),
        "errors_by_kind": {k: v for k, v in errors.items() if v},
        "statuses": {k: dict(v) for k, v in statuses.items() if k != "page_view"},
        "latency": {"all_requests": percentiles([s for v in requests.values() for s in v]),
                    "page_view": percentiles(timings["page_view"]),
                    **{kind: percentiles(v) for kind, v in sorted(requests.items())}},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--url", help="a running server to load instead of starting gunicorn (loopback only)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"result file (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.url and urllib.parse.urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be on loopback: this is a load test, not an attack")
    result = run(args.clients, args.duration, args.url)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    lat = result["latency"]
    print(f"{result['clients']} clients, {result['duration_s']} s: {result['requests']} requests "
          f"({result['requests_per_s']}/s), {result['page_views']} page views, {result['errors']} errors")
    for kind in ("page_view", "sync", "render", "words", "page"):
        if kind in lat:
            print(f"  {kind:<10} p50 {lat[kind]['p50_ms']:>7} ms   p95 {lat[kind]['p95_ms']:>7} ms   max {lat[kind]['max_ms']:>7} ms")
    print(f"written to {args.out}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
