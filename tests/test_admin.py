"""Admins' pages: adding, editing, pausing and test-fetching sources; the audit log."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, func, select
from staff import add_user, login, post, rss

from tracker.models import AuditLog, FetchLog, Item, Source
from tracker.pipeline import Pipeline
from tracker.web import create_app

JUNE_10, JUNE_11 = "Wed, 10 Jun 2026 12:00:00 +0000", "Thu, 11 Jun 2026 12:00:00 +0000"
FEED = rss([
    ("t1", "Alibaba's Qwen team answers distillation claims",
     "<p>The Qwen developers deny it.</p><script>alert(1)</script>", JUNE_10),
    ("t2", "Commerce weighs export controls on Nvidia chips", "<p>Chips and GPUs.</p>", JUNE_11),
])  # fmt: skip


class Feeds(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, bytes]] = {"/feed.xml": FEED}

    def do_GET(self) -> None:
        body = self.routes.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(body or b"missing")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def admin(sqlite_pipeline: Pipeline) -> Iterator[FlaskClient]:
    add_user(sqlite_pipeline.engine, "ada", "admin")
    app = create_app({"SETTINGS": sqlite_pipeline.settings, "TESTING": True})
    client = app.test_client()
    login(client, "ada")
    client.application.extensions["test.pipeline"] = sqlite_pipeline
    yield client
    app.extensions["tracker.engine"].dispose()


def _pipeline(client: FlaskClient) -> Pipeline:
    return client.application.extensions["test.pipeline"]  # type: ignore[no-any-return]


def _source(client: FlaskClient, slug: str) -> Source | None:
    with Session(_pipeline(client).engine) as s:
        return s.exec(select(Source).where(Source.slug == slug)).first()


def _audit(client: FlaskClient) -> list[AuditLog]:
    with Session(_pipeline(client).engine) as s:
        return list(s.exec(select(AuditLog).order_by(AuditLog.id)))  # type: ignore[arg-type]


def _add(client: FlaskClient, url: str, **fields: str) -> str:
    data = {"slug": "local-wire", "name": "Local wire", "kind": "rss", "url": url,
            "doc_type": "news", "interval_minutes": "30", **fields}  # fmt: skip
    response = post(client, "/admin/sources", data)
    return response.get_data(as_text=True) if response.status_code != 302 else ""


def test_an_admin_adds_a_source_and_the_audit_log_keeps_it(admin: FlaskClient) -> None:
    assert _add(admin, "https://wire.example.org/feed.xml") == ""
    source = _source(admin, "local-wire")
    assert source and (source.name, source.interval_minutes, source.enabled) == (
        "Local wire", 30, True)  # fmt: skip
    entry = _audit(admin)[-1]
    assert (entry.actor, entry.action, entry.target_id) == ("ada", "source.add", "local-wire")
    assert entry.before is None and entry.after["url"] == "https://wire.example.org/feed.xml"  # type: ignore[index]
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "source.add" in page and "ada" in page and "https://wire.example.org/feed.xml" in page


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"url": "javascript:alert(1)"}, "must be http or https"),
        ({"homepage": "javascript:alert(1)"}, "homepage must be an http or https"),
        ({"slug": "Not A Slug"}, "must be lowercase letters"),
        ({"interval_minutes": "often"}, "interval must be a whole number"),
        ({"kind": "html"}, "needs selectors item and title"),
        ({"slug": "fr-bis"}, "already a source"),
    ],
)
def test_a_source_that_cannot_be_used_is_refused_with_its_reason(
    admin: FlaskClient, fields: dict[str, str], reason: str
) -> None:
    url = fields.pop("url", "https://wire.example.org/feed.xml")
    page = _add(admin, url, **fields)
    assert reason in page.replace("&#39;", "'")
    assert len([e for e in _audit(admin) if e.action == "source.add"]) == 0


def test_an_admin_edits_a_source_the_site_added(admin: FlaskClient) -> None:
    _add(admin, "https://wire.example.org/feed.xml")
    data = {"name": "Renamed wire", "kind": "rss", "url": "https://wire.example.org/v2.xml",
            "doc_type": "report", "interval_minutes": "15"}  # fmt: skip
    assert post(admin, "/admin/sources/local-wire", data).status_code == 302
    source = _source(admin, "local-wire")
    assert source and (source.name, source.doc_type, source.url) == (
        "Renamed wire", "report", "https://wire.example.org/v2.xml")  # fmt: skip
    edit = _audit(admin)[-1]
    assert edit.action == "source.edit"
    assert (edit.before["name"], edit.after["name"]) == ("Local wire", "Renamed wire")  # type: ignore[index]


def test_sources_from_the_file_are_paused_here_but_edited_in_the_file(admin: FlaskClient) -> None:
    page = admin.get("/admin/sources/fr-bis").get_data(as_text=True)
    assert "defined in <code>data/sources.toml</code>" in page
    data = {"name": "Hijacked", "kind": "rss", "url": "https://evil.example/"}
    assert post(admin, "/admin/sources/fr-bis", data).status_code == 400
    assert _source(admin, "fr-bis").name != "Hijacked"  # type: ignore[union-attr]
    post(admin, "/admin/sources/fr-bis/enabled", {"enabled": "0"})
    _pipeline(admin).init()  # `tracker init` and `tracker fetch` re-read sources.toml
    assert _source(admin, "fr-bis").enabled is False  # type: ignore[union-attr]
    assert [e.action for e in _audit(admin)][-1] == "source.pause"
    post(admin, "/admin/sources/fr-bis/enabled", {"enabled": "1"})
    assert _source(admin, "fr-bis").enabled is True  # type: ignore[union-attr]


def test_a_test_fetch_shows_what_would_be_stored_and_stores_nothing(
    admin: FlaskClient, server: str
) -> None:
    _add(admin, f"{server}/feed.xml")
    response = post(admin, "/admin/sources/local-wire/test")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was stored" in page
    assert "2 items" in page and "Alibaba&#39;s Qwen team answers distillation claims" in page
    assert 'href="/entities/qwen"' in page and 'href="/topics/export-controls"' in page
    assert "<script>alert(1)</script>" not in page and "The Qwen developers deny it." in page
    with Session(_pipeline(admin).engine) as s:
        assert s.exec(select(func.count()).select_from(Item)).one() == 0
        assert s.exec(select(func.count()).select_from(FetchLog)).one() == 0
    assert _source(admin, "local-wire").last_fetched_at is None  # type: ignore[union-attr]


def test_a_failed_test_fetch_says_why(admin: FlaskClient, server: str) -> None:
    _add(admin, f"{server}/moved.xml")
    page = post(admin, "/admin/sources/local-wire/test").get_data(as_text=True)
    assert "The fetch failed (HTTP 404)" in page


def test_a_test_fetch_that_meets_a_bug_says_so_instead_of_a_500(
    admin: FlaskClient, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for an error nobody has found yet (the known ones are fixed at
    # their root, see tests/test_hostile_run.py): the page says what happened.
    from tracker import preview

    def parse_document(*_args: object, **_kwargs: object) -> None:
        raise KeyError("a field nobody expected")

    monkeypatch.setattr(preview, "parse_document", parse_document)
    _add(admin, f"{server}/feed.xml")
    response = post(admin, "/admin/sources/local-wire/test")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The fetch failed" in page and "unexpected error, a bug (KeyError: " in page


def test_the_audit_log_is_for_admins(sqlite_pipeline: Pipeline) -> None:
    add_user(sqlite_pipeline.engine, "eddie", "editor")
    app = create_app({"SETTINGS": sqlite_pipeline.settings, "TESTING": True})
    client = app.test_client()
    login(client, "eddie")
    assert client.get("/admin/audit").status_code == 403
    assert post(client, "/admin/sources/fr-bis/test").status_code == 403
    app.extensions["tracker.engine"].dispose()


def test_an_admin_follows_a_bill_by_number(admin: FlaskClient) -> None:
    """Issue 15: `tracker follow-bill` from the admin page; each decision audited."""
    added = post(
        admin, "/admin/bills/follow", {"congress": "119", "bill_type": "s", "number": "77"}
    )
    assert added.status_code == 302 and added.location.endswith("/admin/sources/bill-119-s77")
    page = admin.get("/admin/sources/bill-119-s77").get_data(as_text=True)
    assert "Now following BILLSTATUS: S. 77 (119th Congress)." in page
    assert "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/s/BILLSTATUS-119s77.xml" in page
    again = post(admin, "/admin/bills/follow", {"congress": "119", "bill_type": "hr",
                                                "number": "8283"})  # fmt: skip
    assert again.location.endswith("/admin/sources/bill-119-hr8283")  # from sources.toml
    assert "already followed" in admin.get(again.location).get_data(as_text=True)
    engine = admin.application.extensions["test.pipeline"].engine
    with Session(engine) as session:
        actions = session.exec(select(AuditLog.action).where(AuditLog.actor == "ada")).all()
    assert actions == ["source.add"]  # one source added, the known bill left as it was


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"congress": "119", "bill_type": "hr", "number": "12x"}, "The bill number must be"),
        ({"congress": "", "bill_type": "hr", "number": "1"}, "The congress must be"),
        ({"congress": "119", "bill_type": "bogus", "number": "1"}, "unknown bill type"),
    ],
)
def test_a_bill_that_names_nothing_keeps_the_form(
    admin: FlaskClient, fields: dict[str, str], reason: str
) -> None:
    answer = post(admin, "/admin/bills/follow", fields)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert reason in page and f'value="{fields["number"]}"' in page


def test_a_test_fetch_of_congress_gov_without_a_key_says_what_to_set(
    admin: FlaskClient, server: str
) -> None:
    _add(admin, f"{server}/v3/bill/119", kind="congress-api")
    page = post(admin, "/admin/sources/local-wire/test").get_data(as_text=True)
    assert "set TRACKER_CONGRESS_API_KEY to fetch congress.gov" in page


def test_a_key_in_a_source_address_is_refused(admin: FlaskClient) -> None:
    """The key goes in TRACKER_CONGRESS_API_KEY: an address is stored and shown."""
    page = _add(admin, "https://api.congress.gov/v3/bill/119?api_key=abc", kind="congress-api")
    assert "carries an API key; set TRACKER_CONGRESS_API_KEY instead" in page
    assert _source(admin, "local-wire") is None
