"""Every page type of the demo site, for the tests that visit them all in a
browser (phone fit, accessibility) and for bench/screenshots.py.

`demo_site(home)` serves the bundled demo on 127.0.0.1 with one admin account;
`tour(base)` names one address of each page type, found by following the
site's own links (the demo's ids are not fixed); `log_in(context, base)` signs
a browser context in, for the staff pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

from live_site import serving
from playwright.sync_api import BrowserContext
from staff import PASSWORD, add_user

from tracker import search
from tracker.pipeline import Pipeline
from tracker.web import create_app

ADMIN = "tour-admin"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Page types anyone can read, then those for staff (visited logged in).
PUBLIC = ("home", "topic", "entity", "type", "bills", "bill", "item", "event",
          "search", "sources", "feeds", "login")  # fmt: skip
STAFF = ("review", "review-item", "admin", "admin-sources", "admin-source", "admin-audit")


@contextmanager
def demo_site(home: Path) -> Iterator[str]:
    """The demo corpus served with an admin account; yields the base URL."""
    from conftest import make_settings

    settings = make_settings(home)
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    search.catch_up(settings, pipeline.engine)
    add_user(pipeline.engine, ADMIN, "admin")
    try:
        with serving(create_app({"SETTINGS": settings})) as base:
            yield base
    finally:
        pipeline.engine.dispose()


def _first(base: str, path: str, pattern: str) -> str:
    with urlopen(base + path, timeout=30) as response:
        html = response.read().decode()
    found = re.search(pattern, html)
    assert found, f"no link matching {pattern} on {path}"
    return found.group(0)


def tour(base: str) -> dict[str, str]:
    """One address per public page type, found from the site's own links."""
    bill = _first(base, "/bills", r"/bills/\d+/[a-z]+\d+(?=\")")
    return {
        "home": "/",
        "topic": "/topics/distillation",
        "entity": _first(base, "/", r"/entities/[a-z0-9-]+(?=\")"),
        "type": "/types/letter",
        "bills": "/bills",
        "bill": bill,
        "item": _first(base, "/topics/distillation", r"/items/\d+(?=\")"),
        "event": _first(base, "/topics/distillation", r"/events/\d+(?=\")"),
        "search": "/search?q=distillation",
        "sources": "/sources",
        "feeds": "/feeds",
        "login": "/login",
    }


def log_in(context: BrowserContext, base: str) -> dict[str, str]:
    """Sign `context` in as the admin; one address per staff page type."""
    tab = context.new_page()
    try:
        tab.goto(base + "/login")
        tab.fill("#username", ADMIN)
        tab.fill("#password", PASSWORD)
        tab.locator("form.staff-form button[type=submit]").click()
        tab.wait_for_url(lambda url: "/login" not in url)
        tab.goto(base + "/review")
        review_item = tab.locator("main a[href^='/review/items/']").first.get_attribute("href")
        tab.goto(base + "/admin/sources")
        source = tab.locator("main a[href^='/admin/sources/']").first.get_attribute("href")
    finally:
        tab.close()
    assert review_item and source, "the review queue or the source list is empty"
    return {
        "review": "/review",
        "review-item": review_item,
        "admin": "/admin",
        "admin-sources": "/admin/sources",
        "admin-source": source,
        "admin-audit": "/admin/audit",
    }
