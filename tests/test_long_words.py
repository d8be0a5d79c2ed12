"""Text tricks in a real browser: no page scrolls sideways, whatever a feed's words.

A feed item whose title and summary hold one 20,000-character word once made
its page 558,678 px wide. Every kind of page that shows an item (the item, its
event, the listings, search, a timeline, the review queue) is opened in
Debian's Chromium at a phone's and a desktop's width and must fit the window,
while still showing the word; titles arrive without their bidi overrides.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import make_settings
from playwright.sync_api import Browser, Page
from sqlmodel import Session, select
from staff import PASSWORD, add_user, rss
from werkzeug.serving import make_server

from tracker import search
from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.web import create_app

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# Tagging words first, so the item lands on the distillation timeline and in
# the review queue; then one unbroken word of 20,000 letters.
WORD = "Qwen" + "distillationwithoutspaces" * 800
TITLE = "Alibaba model distillation letter \u202ecod.exe\u202c " + WORD
SUMMARY = f"<p>Senators wrote to Alibaba about model distillation of Qwen: {WORD}</p>"


@dataclass
class Site:
    base: str
    item: int
    event: int
    doc_type: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("long-words")
    settings = make_settings(home)
    pipeline = Pipeline(settings)
    pipeline.init()
    feed = home / "long.xml"
    entries = [("long-1", TITLE, SUMMARY, "Mon, 02 Jun 2025 10:00:00 GMT"),
               ("short-1", "Commerce tightens chip export rules", "<p>Nvidia</p>",
                "Mon, 02 Jun 2025 09:00:00 GMT")]  # fmt: skip
    feed.write_bytes(rss(entries))
    assert pipeline.ingest_file(feed, "long-words", "rss").new == 2
    pipeline.settle()
    search.catch_up(settings, pipeline.engine)
    add_user(pipeline.engine, "eddie", "editor")
    with Session(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "long-1")).one()
    assert item.event_id is not None
    app = create_app({"SETTINGS": settings})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    yield Site(base, item.id, item.event_id, item.doc_type)  # type: ignore[arg-type]
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["tracker.engine"].dispose()
    pipeline.engine.dispose()


def _pages(site: Site) -> list[str]:
    return [
        f"/items/{site.item}",
        f"/events/{site.event}",
        "/",
        "/search?q=distillation",
        "/search?q=Alibaba+letter",
        "/topics/distillation",
        "/entities/alibaba",
        f"/types/{site.doc_type}",
        "/review",
        f"/review/items/{site.item}",
    ]


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", "eddie")
    page.fill("#password", PASSWORD)
    page.click("form.staff-form button[type=submit]")
    page.wait_for_url("**/review")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_page_scrolls_sideways_with_a_20000_letter_word(
    browser: Browser, site: Site, width: str
) -> None:
    context = browser.new_context(viewport=WIDTHS[width])  # type: ignore[arg-type]
    page = context.new_page()
    _log_in(page, site.base)
    wide, missing = {}, []
    for path in _pages(site):
        response = page.goto(site.base + path)
        assert response is not None and response.status == 200, path
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            wide[path] = scroll
        if WORD[:60] not in page.locator("main").inner_text():
            missing.append(path)
    context.close()
    assert wide == {}, f"wider than the {width}'s {WIDTHS[width]['width']} px window"
    # Listings show the title, cut to 500 characters; item pages the summary too.
    assert missing == [], "the word is not shown"


def test_the_item_page_shows_the_title_without_bidi_overrides(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport=WIDTHS["desktop"])  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{site.base}/items/{site.item}")
    heading = page.locator("h1").inner_text()
    summary = page.locator("main").inner_text()
    context.close()
    assert heading.startswith("Alibaba model distillation letter cod.exe Qwen")
    assert "\u202e" not in heading and "\u202c" not in heading
    assert heading.endswith("…") and len(heading) <= 500
    assert WORD in summary  # the summary keeps the whole word
