"""What one fetch of one source sends and follows, against a real server on 127.0.0.1.

The Federal Register asks for the fields its parser reads and follows
`next_page_url`; a backfill asks for history since a day and pages to the
end; congress.gov gets its key as a header only, and the key is never stored,
logged or shown; a redirect elsewhere does not carry it; the User-Agent names
the project and a contact when one is set.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from conftest import DATA, make_settings

from tracker.fetch import DEFAULT_USER_AGENT, FetchSettings, fetch_url
from tracker.models import FetchLog, Item, Source
from tracker.parse.federal_register import DOCUMENT_FIELDS
from tracker.pipeline import Pipeline
from tracker.store import catalog
from tracker.store.engine import session_scope
from tracker.types import SourceConfig

KEY = "sEcReT-kEy-0123456789"
PAGES = 3  # of the Federal Register listing the server plays


def fr_page(base: str, page: int) -> bytes:
    """Page `page` of a documents.json listing: two documents, a link to the next page."""
    documents = [
        {
            "document_number": f"2026-9{page:02d}{n}",
            "title": f"Paged document {page}.{n}",
            "type": "Notice",
            "publication_date": f"2026-0{7 - page}-1{n}",
            "html_url": f"https://www.federalregister.gov/d/2026-9{page:02d}{n}",
        }
        for n in (1, 2)
    ]
    payload: dict[str, object] = {"count": 2 * PAGES, "total_pages": PAGES, "results": documents}
    if page < PAGES:
        payload["next_page_url"] = f"{base}/api/v1/documents.json?page={page + 1}&per_page=2"
    return json.dumps(payload).encode()


class Handler(BaseHTTPRequestHandler):
    base: ClassVar[str] = ""
    hits: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_GET(self) -> None:
        self.hits.append((self.path, dict(self.headers.items())))
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/api/v1/documents.json":
            page = int(query.get("page", ["1"])[0])
            self._send(200, fr_page(self.base, page))
        elif parts.path == "/v3/bill/119":
            if self.headers.get("X-Api-Key") != KEY:
                body = {"error": {"code": "API_KEY_MISSING", "message": "No api_key was supplied."}}
                self._send(403, json.dumps(body).encode())
            else:
                self._send(200, (DATA_DIR / "congress-bills.json").read_bytes())
        elif parts.path == "/v3/echo":
            # An API that repeats the key it was given in its error.
            message = f"key {self.headers.get('X-Api-Key')} is over its rate limit"
            self._send(200, json.dumps({"error": {"message": message}}).encode())
        elif parts.path == "/billstatus-batch.xml":
            self._send(200, (DATA_DIR / "govinfo-billstatus.xml").read_bytes())
        elif parts.path == "/redirect-away":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(200, b"<rss version='2.0'><channel><title>t</title></channel></rss>")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


DATA_DIR = DATA / "sources"


def _serve() -> tuple[ThreadingHTTPServer, threading.Thread, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def server() -> Iterator[str]:
    httpd, thread, base = _serve()
    Handler.base, Handler.hits = base, []
    yield base
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def add(pipeline: Pipeline, slug: str, kind: str, url: str) -> None:
    with session_scope(pipeline.engine) as session:
        catalog.sync_sources(session, [SourceConfig(slug, slug, kind, url, "news")])


def query_of(path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(path).query)


def test_federal_register_asks_for_the_parsers_fields_and_follows_new_pages(
    pipeline: Pipeline, server: str
) -> None:
    add(pipeline, "local-fr", "federal-register", f"{server}/api/v1/documents.json?per_page=2")
    first = pipeline.fetch_source("local-fr")
    assert (first.status, first.new, first.pages) == ("ok", 2 * PAGES, PAGES)
    asked = query_of(Handler.hits[0][0])
    assert sorted(asked["fields[]"]) == sorted(DOCUMENT_FIELDS)
    assert asked["per_page"] == ["2"]  # the source's own parameters are kept
    # Again: the first page brings nothing new, so the older pages are not asked for.
    Handler.hits.clear()
    again = pipeline.fetch_source("local-fr")
    assert (again.status, again.new, again.pages, len(Handler.hits)) == ("ok", 0, 1, 1)


def test_backfill_asks_for_history_since_the_day_and_pages_to_the_end(
    pipeline: Pipeline, server: str
) -> None:
    add(pipeline, "local-fr", "federal-register", f"{server}/api/v1/documents.json?per_page=2")
    outcome = pipeline.backfill("local-fr", date(2026, 1, 1))
    assert (outcome.status, outcome.new, outcome.pages) == ("ok", 2 * PAGES, PAGES)
    assert query_of(Handler.hits[0][0])["conditions[publication_date][gte]"] == ["2026-01-01"]
    assert [query_of(path).get("page", ["1"])[0] for path, _ in Handler.hits] == ["1", "2", "3"]
    with session_scope(pipeline.engine) as session:
        titles = set(session.scalars(sa.select(Item.title)))
    assert {f"Paged document {p}.{n}" for p in (1, 2, 3) for n in (1, 2)} <= titles


def test_a_source_without_pages_cannot_be_backfilled(pipeline: Pipeline, server: str) -> None:
    from tracker.source_request import BackfillRefused

    add(pipeline, "local-feed", "rss", f"{server}/feed.xml")
    with pytest.raises(BackfillRefused, match="no pages"):
        pipeline.backfill("local-feed", date(2026, 1, 1))
    assert Handler.hits == []


def test_congress_api_without_a_key_is_skipped_without_a_request(
    pipeline: Pipeline, server: str
) -> None:
    add(pipeline, "local-congress", "congress-api", f"{server}/v3/bill/119")
    outcome = pipeline.fetch_source("local-congress")
    assert outcome.status == "skipped" and "TRACKER_CONGRESS_API_KEY" in (outcome.error or "")
    assert Handler.hits == []


def everything_stored(pipeline: Pipeline) -> str:
    """Every source and fetch-log row as text, to look for a key."""
    with session_scope(pipeline.engine) as session:
        rows = [*session.scalars(sa.select(Source)), *session.scalars(sa.select(FetchLog))]
        return "\n".join(repr(row.model_dump()) for row in rows)


def test_the_congress_key_is_a_header_never_stored_logged_or_shown(
    tmp_path, database_url: str, server: str
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, database_url, congress_api_key=KEY)
    pipeline = Pipeline(settings)
    pipeline.init()
    add(pipeline, "local-congress", "congress-api", f"{server}/v3/bill/119")
    add(pipeline, "local-echo", "congress-api", f"{server}/v3/echo")
    ok = pipeline.fetch_source("local-congress")
    assert (ok.status, ok.new) == ("ok", 2), ok.error
    path, headers = Handler.hits[0]
    assert headers.get("X-Api-Key") == KEY and KEY not in path
    assert query_of(path)["format"] == ["json"]
    echoed = pipeline.fetch_source("local-echo")
    assert echoed.failure == "broken" and "[key hidden]" in (echoed.error or "")
    assert KEY not in (echoed.error or "")
    assert KEY not in everything_stored(pipeline)
    assert KEY not in repr(settings)
    pipeline.engine.dispose()


def test_a_redirect_to_another_origin_does_not_carry_the_key(server: str) -> None:
    other, thread, other_base = _serve()
    try:
        landing = f"{other_base}/landing"
        fetch_url(
            f"{server}/redirect-away?to={landing}",
            settings=FetchSettings(allow_private=True, retries=1),
            headers={"X-Api-Key": KEY},
        )
    finally:
        other.shutdown()
        other.server_close()
        thread.join()
    (_, first), (second_path, second) = Handler.hits
    assert first.get("X-Api-Key") == KEY
    assert second_path == "/landing" and "X-Api-Key" not in second


def test_the_user_agent_names_the_project_or_the_operators_contact(server: str) -> None:
    fetch_url(f"{server}/feed.xml", settings=FetchSettings(allow_private=True))
    agent = Handler.hits[-1][1]["User-Agent"]
    assert agent == DEFAULT_USER_AGENT
    assert "PolicyTracker" in agent and "TRACKER_USER_AGENT" in agent
    contact = "PolicyTracker/0.1 (+https://tracker.example.org; ops@example.org)"
    fetch_url(f"{server}/feed.xml", settings=FetchSettings(allow_private=True, user_agent=contact))
    assert Handler.hits[-1][1]["User-Agent"] == contact


def test_billstatus_batch_notices_are_not_stored_as_bills(pipeline: Pipeline, server: str) -> None:
    """Issue 15: each "BILLSTATUS batch update complete" notice became a *bill* item."""
    add(pipeline, "local-batch", "rss", f"{server}/billstatus-batch.xml")
    outcome = pipeline.fetch_source("local-batch")
    assert (outcome.status, outcome.new) == ("ok", 0)
    assert outcome.warnings == [
        "2 BILLSTATUS batch notice(s) skipped: lists of changed files, not bills"
    ]
    with session_scope(pipeline.engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Item)) == 0


def test_a_source_the_file_turns_off_stays_off_and_says_why(pipeline: Pipeline) -> None:
    reason = "commerce.gov answers automated readers with HTTP 403"
    off = SourceConfig("local-off", "Off", "rss", "https://example.org/feed", "news",
                       enabled=False, disabled_reason=reason)  # fmt: skip
    with session_scope(pipeline.engine) as session:
        catalog.sync_sources(session, [off])
        assert "local-off" not in {s.slug for s in catalog.fetchable_sources(session)}
    with session_scope(pipeline.engine) as session:
        row = catalog.source_by_slug(session, "local-off")
        assert row is not None and (row.enabled, row.disabled_reason) == (False, reason)
        # The reason gone from the file: the source is fetched again.
        back = SourceConfig("local-off", "Off", "rss", "https://example.org/feed", "news")
        catalog.sync_sources(session, [back])
        assert (row.enabled, row.disabled_reason) == (True, None)


def test_a_bug_meeting_the_key_logs_its_traceback_without_it(
    tmp_path, server: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    from tracker import pipeline as pipeline_module

    def parse_and_store(*args: object, **kwargs: object) -> object:
        raise KeyError(f"an answer repeated {KEY}")

    monkeypatch.setattr(pipeline_module, "parse_and_store", parse_and_store)
    pipeline = Pipeline(make_settings(tmp_path, congress_api_key=KEY))
    pipeline.init()
    add(pipeline, "local-congress", "congress-api", f"{server}/v3/bill/119")
    with caplog.at_level("ERROR", logger="tracker"):
        outcome = pipeline.fetch_source("local-congress")
    assert outcome.bug and "[key hidden]" in (outcome.error or "")
    assert "Traceback" in caplog.text and "[key hidden]" in caplog.text
    assert KEY not in caplog.text + (outcome.error or "") + everything_stored(pipeline)
    pipeline.engine.dispose()


def test_the_file_keeps_a_source_off_even_after_an_admin_resumes_it(pipeline: Pipeline) -> None:
    """A start that finds the configuration current writes nothing; a resumed
    source the file turns off is not current, so the next start turns it off."""
    from tracker.store import sources

    with session_scope(pipeline.engine) as session:
        sources.set_enabled(session, "bis-news", True, "ada")
    pipeline.init()
    with session_scope(pipeline.engine) as session:
        row = catalog.source_by_slug(session, "bis-news")
        assert row is not None and row.enabled is False
        assert (row.disabled_reason or "").startswith("bis.gov draws its news list")
