"""One headless Chromium in a thread of its own, for tests that must not share the session's.

Playwright's sync API allows one instance per thread, and ``tests/browser.py``'s session fixture
may already hold the main thread's. ``BrowserThread.run(fn)`` calls ``fn(browser)`` in the
browser's own thread and returns its result (or raises its exception) in the caller's.
"""
from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from .browser import CHROMIUM, CHROMIUM_ARGS


class BrowserThread:
    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._ready: Future = Future()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="chromium")
        self._thread.start()
        self._ready.result(timeout=60)  # launch errors surface here

    def _serve(self):
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                self._ready.set_result(True)
                while (job := self._jobs.get()) is not None:
                    fn, done = job
                    try:
                        done.set_result(fn(browser))
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller
                        done.set_exception(exc)
                browser.close()
        except BaseException as exc:  # noqa: BLE001
            if not self._ready.done():
                self._ready.set_exception(exc)

    def run(self, fn, timeout: float = 120):
        done: Future = Future()
        self._jobs.put((fn, done))
        return done.result(timeout=timeout)

    def close(self):
        self._jobs.put(None)
        self._thread.join(timeout=30)
