"""Safe to open: a feed of hostile entries (tests/data/hostile.xml) runs no script
on any page that shows them, and no feed or API answer carries executable markup.

Pages are opened in Debian's Chromium with tripwires installed before any of
the page's code (see `hostile_checks.TRIPWIRES`); a dialog, a trapped call, a
CSP violation, an injected element or attribute, or a navigation away fails
the test. Feeds and the API are read with the Flask test client.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import DATA, make_settings
from flask import Flask
from hostile_checks import TRIPWIRES, executable_markup, feed_parts, tag_like
from playwright.sync_api import Browser, BrowserContext, Page
from sqlmodel import Session, select
from staff import PASSWORD, add_user
from werkzeug.serving import make_server

from tracker import search
from tracker.models import Item, ItemTag, Source
from tracker.normalize import clean_title
from tracker.pipeline import Pipeline
from tracker.store.sources import add_source
from tracker.types import SourceConfig
from tracker.web import create_app

HOSTILE = DATA / "hostile.xml"
BASELINE_SEARCH = "/search?q=harmless+words+nobody+wrote"
# Typed into the search box: the entries' payloads, and words they hide among.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<body onload=alert(3)>",
    "<p onmouseover=alert(4)>Nvidia",
    "javascript:alert(5)",
    "JaVaScRiPt:alert(6)",
    "&#106;avascript:alert(7)",
    "java&#x09;script:alert(8)",
    "data:text/html,<script>alert(9)</script>",
    "<svg onload=alert(10)>",
    "<svg><a xlink:href=javascript:alert(11)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "<math href=javascript:alert(13)>CLICK",
    "<scr<script>ipt>alert(14)</script>",
    "<<script>script>alert(15)",
    '<img src="x" onerror="alert(16)"',
    "</title><script>alert(17)</script>",
    '"><script>alert(18)</script>',
    "'><svg onload=alert(19)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(20)">',
    '<iframe srcdoc="<script>alert(21)</script>">',
    '<base href="javascript:alert(22)//">',
    '<form action="javascript:alert(23)"><button>go',
    "<style>body{background:url(javascript:alert(24))}</style>",
    'style="background:url(javascript:alert(25))"',
    "<scr<mark>ipt>alert(26)</scr</mark>ipt>",
    "Ali<mark>baba</mark> distil<mark>lation",
    "&lt;script&gt;alert(28)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(29)",
    "<details open ontoggle=alert(30)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(31)>">',
    "</textarea><script>alert(32)</script>",
    '"}</script><script>alert(33)</script>',
    '<a href="https://ok/" onclick=alert(34)>',
    "<isindex action=javascript:alert(35) type=image>",
    "<img/src=x/onerror=alert(36)>",
    'type:"<script>" topic:"><img src=x onerror=alert(37)>',
    '"distillation <script>" OR Qwen',
    "distillation",
    "Alibaba Qwen distillation",
    "ipt alert",
    "onerror alert",
]


@dataclass
class Hostile:
    """The hostile corpus served on 127.0.0.1, with what its pages are."""

    base: str
    app: Flask
    items: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)


def _serve(app: Flask | None, folder: Path | None = None) -> tuple[str, object, threading.Thread]:
    if app is not None:
        server = make_server("127.0.0.1", 0, app, threaded=True)
    else:
        handler = partial(_QuietFiles, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server, thread


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    # Every payload is searched from one address: the rate limits would refuse the last ones.
    lots = "100000/minute"
    settings = make_settings(tmp_path_factory.mktemp("hostile"), rate_search=lots, rate_api=lots)
    pipeline = Pipeline(settings)
    pipeline.init()
    assert pipeline.ingest_file(HOSTILE, "hostile", "rss").new >= 30
    pipeline.settle()
    search.catch_up(settings, pipeline.engine)
    add_user(pipeline.engine, "eddie", "editor")
    add_user(pipeline.engine, "ada", "admin")
    files_url, files, files_thread = _serve(None, DATA)
    with Session(pipeline.engine) as s:
        remote = f"{files_url}/hostile.xml"
        add_source(s, SourceConfig("hostile-remote", "Hostile remote", "rss", remote, "news"), "t")
        s.commit()
        items = list(s.exec(select(Item).join(Source).where(Source.slug == "hostile")))  # type: ignore[arg-type]
        tags = s.exec(select(ItemTag.slug, ItemTag.kind).distinct()).all()
    app = create_app({"SETTINGS": settings})
    app.add_url_rule("/__canary", "canary", _canary)
    base, server, thread = _serve(app)
    yield Hostile(base, app, items=sorted(i.id for i in items),  # type: ignore[misc]
                  events=sorted({i.event_id for i in items if i.event_id}),  # type: ignore[misc]
                  topics=sorted(s for s, k in tags if k == "topic"),
                  entities=sorted(s for s, k in tags if k == "entity"))  # fmt: skip
    for srv, thr in ((server, thread), (files, files_thread)):
        srv.shutdown()  # type: ignore[attr-defined]
        srv.server_close()  # type: ignore[attr-defined]
        thr.join(timeout=10)
    app.extensions["tracker.engine"].dispose()
    pipeline.engine.dispose()


def _canary() -> str:
    """A page that IS unsafe, to prove the tripwires fire."""
    return "<!doctype html><p>canary</p><img src=x onerror=alert(1)><script>alert(2)</script>"


def _context(browser: Browser, hostile: Hostile, user: str | None = None) -> BrowserContext:
    context = browser.new_context()
    context.add_init_script(TRIPWIRES)
    if user:
        page = context.new_page()
        page.goto(f"{hostile.base}/login")
        page.fill("#username", user)
        page.fill("#password", PASSWORD)
        page.click("form.staff-form button[type=submit]")
        page.wait_for_url("**/review")
        page.close()
    return context


def _sweep(
    context: BrowserContext, base: str, paths: list[str], baseline: str | None = None
) -> dict[str, list[str]]:
    """Open each page; what fired on each one that was not safe.

    With a `baseline` (the same page showing nothing hostile), what fires
    there too is the template's own doing, not the feed's, and is left out
    here; `test_pages_without_hostile_content_are_clean` reports it.
    """
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"dialog:{d.type}:{d.message}"), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror:{exc}"))
    own = set(_open(page, base + baseline)) if baseline else set()
    unsafe = {}
    for path in paths:
        found = [f for f in _open(page, base + path) + dialogs + errors if f not in own]
        dialogs.clear()
        errors.clear()
        if found:
            unsafe[path] = found
    page.close()
    return unsafe


def _open(page: Page, url: str) -> list[str]:
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        return [f"status {response.status if response else None}"]
    fired = page.evaluate("window.__pwned ? Array.from(window.__pwned) : ['no tripwires']")
    if page.url != response.url:
        fired.append(f"navigated to {page.url}")
    return list(fired)


def test_the_tripwires_fire_on_an_unsafe_page(browser: Browser, hostile: Hostile) -> None:
    context = _context(browser, hostile)
    fired = _sweep(context, hostile.base, ["/__canary"])["/__canary"]
    context.close()
    assert any(f.startswith("handler:IMG.onerror") for f in fired), fired
    assert any(f.startswith("script:alert(2)") for f in fired), fired
    assert any(f.startswith("csp:script-src") for f in fired), fired


def test_item_and_event_pages_run_nothing(browser: Browser, hostile: Hostile) -> None:
    assert len(hostile.items) >= 30
    context = _context(browser, hostile)
    paths = [f"/items/{i}" for i in hostile.items] + [f"/events/{e}" for e in hostile.events]
    unsafe = _sweep(context, hostile.base, paths)
    context.close()
    assert unsafe == {}


def test_home_sources_and_timelines_run_nothing(browser: Browser, hostile: Hostile) -> None:
    assert {"distillation", "export-controls"} <= set(hostile.topics)
    assert {"alibaba", "qwen", "nvidia"} <= set(hostile.entities)
    context = _context(browser, hostile)
    paths = ["/", "/sources", "/types/news"]
    paths += [f"/topics/{t}" for t in hostile.topics] + [f"/entities/{e}" for e in hostile.entities]
    unsafe = _sweep(context, hostile.base, paths)
    context.close()
    assert unsafe == {}


def test_search_with_each_payload_as_the_query_runs_nothing(
    browser: Browser, hostile: Hostile
) -> None:
    context = _context(browser, hostile)
    paths = [f"/search?q={quote(p)}" for p in PAYLOADS] + ["/search?q=distillation&page=2"]
    unsafe = _sweep(context, hostile.base, paths, baseline=BASELINE_SEARCH)
    highlighted = context.new_page()
    highlighted.goto(f"{hostile.base}/search?q=distillation")
    marks = highlighted.locator("main mark").count()
    context.close()
    assert unsafe == {}
    assert marks > 0  # the highlighter was at work on these pages


def test_pages_without_hostile_content_are_clean(browser: Browser, hostile: Hostile) -> None:
    context = _context(browser, hostile)
    unsafe = _sweep(context, hostile.base, [BASELINE_SEARCH, "/search"])
    context.close()
    assert unsafe == {}


def test_the_review_queue_runs_nothing_for_an_editor(browser: Browser, hostile: Hostile) -> None:
    context = _context(browser, hostile, "eddie")
    paths = ["/review", "/review?page=2"]
    paths += [f"/review?slug={s}" for s in ("distillation", "alibaba", "qwen")]
    paths += [f"/review/items/{i}" for i in hostile.items]
    unsafe = _sweep(context, hostile.base, paths)
    context.close()
    assert unsafe == {}


def test_an_admins_test_fetch_of_the_hostile_feed_runs_nothing(
    browser: Browser, hostile: Hostile
) -> None:
    context = _context(browser, hostile, "ada")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile.base}/admin/sources/hostile-remote")
    page.click("text=Test fetch")
    page.wait_for_url("**/test")
    assert "Nothing was stored" in page.content()
    assert page.locator(".preview-items > li").count() >= 30
    fired = page.evaluate("Array.from(window.__pwned)")
    context.close()
    assert fired == [] and dialogs == []


# Feeds and the API, read as programs read them


@pytest.mark.parametrize("path", ["/sources/hostile", "/topics/distillation", "/entities/alibaba"])
@pytest.mark.parametrize("ext", ["rss", "atom", "json"])
def test_feeds_carry_no_executable_markup(hostile: Hostile, path: str, ext: str) -> None:
    response = hostile.app.test_client().get(f"{path}.{ext}")
    assert response.status_code == 200
    contents, titles, links = feed_parts(response.data, ext)
    assert len(contents) >= 5
    assert {h: executable_markup(h) for h in contents if executable_markup(h)} == {}
    assert [t for t in titles if tag_like(t)] == []
    assert [u for u in links if not u.startswith(("http://", "https://"))] == []


def test_the_csv_export_carries_no_markup_or_script_links(hostile: Hostile) -> None:
    response = hostile.app.test_client().get("/sources/hostile.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) >= 30
    assert [r["url"] for r in rows if not r["url"].startswith(("https://", "http://"))] == []
    assert [cell for r in rows for cell in r.values() if tag_like(cell)] == []


def test_the_api_carries_no_executable_markup(hostile: Hostile) -> None:
    client = hostile.app.test_client()
    listed = client.get("/api/v1/items?source=hostile&per_page=100").get_json()
    assert len(listed["items"]) >= 30
    answers = [listed] + [client.get(f"/api/v1/items/{i}").get_json() for i in hostile.items]
    answers += [client.get(f"/api/v1/items?q={quote(p)}").get_json() for p in PAYLOADS[:12]]
    for answer in answers:
        for record in answer.get("items", [answer]):
            assert executable_markup(record["summary_html"]) == [], record["id"]
            assert not tag_like(record["title"]), record["id"]
            assert record["url"] is None or record["url"].startswith("https://"), record["id"]


def test_the_checks_themselves_catch_what_they_look_for() -> None:
    for html in ('<a href=" JaVaScRiPt:x">', "<p onclick=x>", "<SCRIPT>", "<iframe srcdoc=x>",
                 '<a href="&#106;avascript:x">', "<svg><a xlink:href='vbscript:x'>"):  # fmt: skip
        assert executable_markup(html), html
    assert executable_markup('<p>&lt;script&gt; onclick=x javascript:x</p><a href="/x">') == []
    assert clean_title("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; Qwen") == "Qwen"
