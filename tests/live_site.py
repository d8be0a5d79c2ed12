"""A real browser and a real server for the page tests.

Debian's Chromium driven by Playwright (never a browser Playwright downloads),
and the app served by werkzeug from a thread on a free port of 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for one module's tests."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's Chromium at {CHROMIUM}: "
            "apt-get install -y chromium (never `playwright install`)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """`app` on a free port of 127.0.0.1 until the block ends; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def open_tab(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    """A fresh tab at `viewport` (a phone's is mobile); no script on its pages may fail."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] <= PHONE["width"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def no_sideways_scroll(page: Page) -> None:
    """The page is no wider than its window."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
