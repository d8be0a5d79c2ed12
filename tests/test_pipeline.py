"""The pipeline end to end: fetch from a local server, parse, tag, store, log."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from conftest import DATA
from sqlmodel import select

from tracker.models import FetchLog, Item, ItemSource, ItemTag, Source
from tracker.pipeline import Pipeline
from tracker.store import catalog
from tracker.store.engine import session_scope
from tracker.types import SourceConfig

RSS = (DATA / "feeds" / "rss2.xml").read_bytes()
LIST_PAGE = b"""<html><body><ul class="news">
<li><a href="/letters/1">Letter to Senators Warren and Scott on Qwen</a>
<time datetime="2026-06-10">June 10</time></li>
<li><a href="/letters/2">Statement on export controls</a>
<time datetime="2026-06-11">June 11</time></li>
</ul></body></html>"""


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes, str]]] = {}
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        status, body, kind = self.routes.get(self.path, (404, b"missing", "text/plain"))
        if status == 200 and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.routes = {
        "/feed.xml": (200, RSS, "application/rss+xml"),
        "/broken": (500, b"boom", "text/plain"),
        "/letters": (200, LIST_PAGE, "text/html; charset=utf-8"),
        "/not-a-feed": (200, b"<html><body>hello</body></html>", "text/html"),
    }
    Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def add_sources(pipeline: Pipeline, base: str) -> None:
    configs = [
        SourceConfig("local-feed", "Local feed", "rss", f"{base}/feed.xml", "news"),
        SourceConfig("local-broken", "Broken", "rss", f"{base}/broken", "news"),
        SourceConfig(
            "local-letters", "Letters page", "html", f"{base}/letters", "letter",
            selectors={"item": "ul.news li", "title": "a", "date": "time"},
        ),
        SourceConfig(
            "local-changed", "Changed layout", "html", f"{base}/not-a-feed", "news",
            selectors={"item": "ul.news li", "title": "a"},
        ),
    ]  # fmt: skip
    with session_scope(pipeline.engine) as session:
        catalog.sync_sources(session, configs)


def test_fetching_twice_stores_once_and_uses_conditional_get(
    pipeline: Pipeline, server: str
) -> None:
    add_sources(pipeline, server)
    first = pipeline.fetch_source("local-feed")
    second = pipeline.fetch_source("local-feed")
    assert (first.status, first.new) == ("ok", 2)
    assert (second.status, second.new, second.http_status) == ("not-modified", 0, 304)
    with session_scope(pipeline.engine) as session:
        assert len(session.exec(select(Item)).all()) == 2
        source = catalog.source_by_slug(session, "local-feed")
        assert source is not None and source.etag == '"v1"' and source.last_status == "not-modified"
        logs = session.exec(select(FetchLog).where(FetchLog.source_id == source.id)).all()
    assert [(log.outcome, log.new_count) for log in logs] == [("ok", 2), ("not-modified", 0)]


def test_stored_items_are_sanitised_and_tagged(pipeline: Pipeline, server: str) -> None:
    add_sources(pipeline, server)
    pipeline.fetch_source("local-feed")
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.title.startswith("Senators"))).one()  # type: ignore[attr-defined]
        slugs = {t.slug for t in session.exec(select(ItemTag).where(ItemTag.item_id == item.id))}
        undated = session.exec(select(Item).where(Item.title == "An item with no date")).one()
    assert "<script" not in item.summary_html and "onclick" not in item.summary_html
    assert "utm_source" not in (item.url or "")
    assert "distillation" in slugs and "commerce-department" in slugs
    assert undated.undated


def test_one_broken_source_never_stops_the_others(pipeline: Pipeline, server: str) -> None:
    add_sources(pipeline, server)
    outcomes = {o.source: o for o in pipeline.fetch_all(["local-broken", "local-feed"])}
    assert outcomes["local-broken"].status == "error"
    assert "HTTP 500" in (outcomes["local-broken"].error or "")
    assert outcomes["local-feed"].new == 2
    with session_scope(pipeline.engine) as session:
        broken = catalog.source_by_slug(session, "local-broken")
    assert broken is not None and broken.failures == 1 and "500" in (broken.last_error or "")


def test_list_page_scraper_stores_items(pipeline: Pipeline, server: str) -> None:
    add_sources(pipeline, server)
    outcome = pipeline.fetch_source("local-letters")
    assert (outcome.status, outcome.new) == ("ok", 2)
    with session_scope(pipeline.engine) as session:
        urls = sorted(i.url for i in session.exec(select(Item)))
    assert urls == [f"{server}/letters/1", f"{server}/letters/2"]


def test_changed_layout_is_an_error_not_an_empty_success(pipeline: Pipeline, server: str) -> None:
    add_sources(pipeline, server)
    outcome = pipeline.fetch_source("local-changed")
    assert outcome.status == "error" and "layout" in (outcome.error or "")
    with session_scope(pipeline.engine) as session:
        log = session.exec(select(FetchLog)).one()
    assert log.outcome == "error" and "item selector" in (log.error or "")


def test_same_document_from_two_sources_records_both(pipeline: Pipeline, tmp_path) -> None:  # type: ignore[no-untyped-def]
    entry = (
        "<item><title>Entity List additions</title><guid>{guid}</guid>"
        "<link>https://www.federalregister.gov/d/2026-1?utm_campaign={guid}</link></item>"
    )
    for name in ("a", "b"):
        body = f"<rss version='2.0'><channel><title>{name}</title>{entry.format(guid=name)}"
        (tmp_path / f"{name}.xml").write_text(body + "</channel></rss>")
        pipeline.ingest_file(tmp_path / f"{name}.xml", f"src-{name}")
    with session_scope(pipeline.engine) as session:
        assert len(session.exec(select(Item)).all()) == 1
        assert len(session.exec(select(ItemSource)).all()) == 2


def test_init_is_safe_to_repeat_and_loads_sources(pipeline: Pipeline) -> None:
    pipeline.init()
    with session_scope(pipeline.engine) as session:
        sources = session.exec(select(Source)).all()
    assert len(sources) >= 12
