"""The import flow in a real Chromium: log in, upload, read the preview, confirm; and an error."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.store import Store
from dashboard.app import create_app

from .browser import serve
from .browser_thread import BrowserThread
from .conftest import ROOT
from .test_import import NEW_CSV, PASSWORD, USER, import_settings, snapshot

ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots to look at; not committed
# The error page answers 422, which Chromium reports in the console; that one is expected.
EXPECTED = "Failed to load resource: the server responded with a status of 422"

pytestmark = pytest.mark.browser


def test_import_flow_in_chromium(store_copy):
    ARTIFACTS.mkdir(exist_ok=True)
    app = create_app(import_settings(store_copy))
    chromium = BrowserThread()  # its own thread: the session's browser fixture may hold this one's
    try:
        with serve(app) as server:
            problems = chromium.run(lambda browser: import_flow(browser, server.url, store_copy))
    finally:
        chromium.close()
    assert problems == []


def import_flow(browser, url: str, store_copy) -> list[str]:
    """Runs in the browser's thread; returns the console's errors and warnings."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type in ("error", "warning") and not m.text.startswith(EXPECTED) else None)

    page.goto(f"{url}/import/")
    assert page.url.endswith("/import/login")
    page.fill("#user", USER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#document")

    page.set_input_files("#document", files=[{"name": "halfjaarbericht-december-2026.csv",
                                               "mimeType": "text/csv", "buffer": NEW_CSV}])
    page.fill("#vintage", "2026-12-18")
    page.fill("#title", "Halfjaarbericht politie december 2026")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("table.changes")
    page.screenshot(path=ARTIFACTS / "import-preview.png", full_page=True)
    assert page.locator("table.changes tbody tr").count() == 3
    revised = page.locator("table.changes tr.revised td")
    assert [revised.nth(i).text_content().strip() for i in (1, 2, 3)] == ["2 juni 2026", "3.400", "3.410"]
    assert page.locator(".summary").text_content().split() == ["1", "nieuw", "1", "herzien", "1", "ongewijzigd"]
    assert dt.date(2026, 12, 18) not in Store(store_copy.dir).vintages()  # nothing written yet

    page.click("#confirm")
    page.wait_for_selector(".note")
    assert "Geschreven: vintage 18 december 2026" in page.locator(".note").text_content()
    page.screenshot(path=ARTIFACTS / "import-done.png", full_page=True)
    assert Store(store_copy.dir).series("zeden_voorraad")[pd.Timestamp("2026-12-02")] == 3500

    before = snapshot(store_copy.dir.parent)
    page.set_input_files("#document", files=[{"name": "kapot.csv", "mimeType": "text/csv",
                                               "buffer": b"indicator_id,period,value\nzeden_voorraad,02-13-2026,3500\n"}])
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".problem")
    page.screenshot(path=ARTIFACTS / "import-error.png", full_page=True)
    assert "kapot.csv" in page.locator(".problem").text_content()
    assert snapshot(store_copy.dir.parent) == before
    context.close()
    return problems
