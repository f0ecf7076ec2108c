"""Browser-test support: the app on a loopback port, the system Chromium through Playwright.

Use it from a test module::

    from tests.browser import browser_page, chromium, dash_server  # noqa: F401  (pytest fixtures)

    @pytest.mark.browser
    def test_something(dash_server, browser_page):
        browser_page.goto(dash_server.url + "/?lang=en")
        wait_for_chart(browser_page)

- ``dash_server`` (session): ``create_app(Settings.from_env(...))`` for the bundled store, served by
  werkzeug's ``make_server`` on 127.0.0.1, port 0, in a thread; ``.url`` is its address.
  ``serve(app)`` serves any other app the same way (e.g. a test's own store).
- ``chromium`` (session): one headless /usr/bin/chromium for the whole run (flags from
  TOOLCHAIN.md; never a downloaded browser).
- ``browser_page`` (per test): a fresh context and page that records console errors and failed
  requests; the test fails at teardown if there were any. ``page.errors`` lists them.

Fixture names avoid pytest-playwright's (``browser``, ``context``, ``page``) so that plugin, which
would launch a browser of its own, stays unused.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("POLICE_STATS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("POLICE_STATS_SCREENSHOTS", "/tmp/police-stats-screenshots"))


@dataclass
class Server:
    url: str
    app: object


@contextmanager
def serve(app):
    """Serve a Dash (or any WSGI) app on 127.0.0.1 at a free port until the block ends."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # one line per request drowns the test output
            pass

    wsgi = getattr(app, "server", app)
    server = make_server("127.0.0.1", 0, wsgi, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)


# Each test module that imports these fixtures gets its own definition of them; a session-scoped
# fixture is then set up once per module. One server and one browser serve them all (Playwright's
# sync API cannot run twice at once): the first user starts them, the last one to finish stops them.
_shared: dict = {}


@contextmanager
def _one_for_all(name: str, start):
    """``start()`` (a context manager) entered by the first user of ``name``, left by the last."""
    if name not in _shared:
        manager = start()
        _shared[name] = [manager, manager.__enter__(), 0]
    entry = _shared[name]
    entry[2] += 1
    try:
        yield entry[1]
    finally:
        entry[2] -= 1
        if entry[2] == 0:
            del _shared[name]
            entry[0].__exit__(None, None, None)


@contextmanager
def _dashboard():
    from dashboard.app import create_app
    from dashboard.settings import Settings

    with serve(create_app(Settings.from_env(environ={}))) as server:
        yield server


@contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def dash_server():
    """The dashboard on the bundled store, for the whole test session."""
    with _one_for_all("dash_server", _dashboard) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with _one_for_all("chromium", _browser) as browser:
        yield browser


@pytest.fixture
def browser_page(chromium, request):
    """A fresh page 1280 px wide; console errors or failed requests fail the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.errors = []
    # Errors, and AG Grid's warnings (e.g. #29: a grid sized while its tab is hidden), fail the test.
    page.on("console", lambda msg: page.errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" or (msg.type == "warning" and "AG Grid" in msg.text) else None)
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: page.errors.append(f"request failed: {req.url} {req.failure}"))
    page.on("response", lambda res: page.errors.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None)
    yield page
    context.close()
    if not getattr(request.node, "allow_page_errors", False):
        assert page.errors == [], "\n".join(page.errors)


def wait_for_chart(page, timeout: float = 15000) -> None:
    """Wait until Dash has drawn the chart and no callback is pending."""
    page.wait_for_selector("#chart .main-svg", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"]') && "
        "document.querySelector('#chart .js-plotly-plot') && "
        "document.querySelector('#chart .js-plotly-plot')._fullData", timeout=timeout)


def plotted(page) -> list[dict]:
    """The chart's traces as plotly drew them: name, x, y (``gd._fullData``; decoded arrays)."""
    return page.evaluate("""() => {
        const gd = document.querySelector('#chart .js-plotly-plot');
        return gd._fullData.map(t => ({name: t.name, type: t.type, x: Array.from(t.x || []),
                                       y: Array.from(t.y || []), meta: t.meta || null}));
    }""")


def chart_layout(page) -> dict:
    """Texts of the drawn chart: title, subtitle, annotations, tick labels, separators."""
    return page.evaluate("""() => {
        const gd = document.querySelector('#chart .js-plotly-plot');
        const l = gd._fullLayout;
        return {title: l.title.text, subtitle: (l.title.subtitle || {}).text || '',
                annotations: (l.annotations || []).map(a => a.text), separators: l.separators,
                xticks: Array.from(document.querySelectorAll('#chart .xtick text')).map(e => e.textContent),
                yticks: Array.from(document.querySelectorAll('#chart .ytick text')).map(e => e.textContent),
                svgText: Array.from(document.querySelectorAll('#chart svg text')).map(e => e.textContent).join(' ')};
    }""")


def screenshot(page, name: str, width: int) -> Path:
    """A full-page screenshot at ``width`` px under SCREENSHOTS (not in the repository)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if page.viewport_size["width"] != width:
        page.set_viewport_size({"width": width, "height": 900})
        # the chart is laid out again for the new width (assets/resize.js): wait for it
        page.wait_for_function(
            "w => { const gd = document.querySelector('#chart .js-plotly-plot');"
            " const card = document.getElementById('chart-card');"
            " return gd && gd._fullLayout && Math.abs(gd._fullLayout.width - card.clientWidth) < 8; }",
            arg=width, timeout=10000)
        page.wait_for_timeout(1200)  # the server's re-wrapped layout follows the stretch
        wait_for_chart(page)
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
