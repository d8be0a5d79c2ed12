"""A feed poll answered 304 in front of the app (tracker/web/early_304.py), on SQLite
and PostgreSQL: the same answer the full path gives, and never a stale one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.store.versions import VersionMemo
from tracker.web import create_app

FEED = "/topics/distillation.rss"
RATE = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(pipeline: Pipeline) -> Iterator[Flask]:
    outcomes = pipeline.load_demo()
    assert all(o.status == "ok" for o in outcomes)
    pipeline.settle()
    built = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    clock = Clock()
    built.extensions["tracker.versions"] = VersionMemo(ttl=1.0, clock=clock)
    built.extensions["test.clock"] = clock
    built.extensions["test.pipeline"] = pipeline
    yield built
    built.extensions["tracker.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def dispatched(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the app itself answered (its hooks and views ran)."""
    seen: list[str] = []
    full = app.full_dispatch_request

    def counted() -> Any:
        from flask import request

        seen.append(request.path)
        return full()

    monkeypatch.setattr(app, "full_dispatch_request", counted)
    return seen


def headers_of(response: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in RATE}


def test_a_repeated_poll_is_answered_before_the_app_with_the_same_headers(
    client: FlaskClient, dispatched: list[str]
) -> None:
    etag = client.get(FEED).headers["ETag"]
    full = client.get(FEED, headers={"If-None-Match": etag})
    assert full.status_code == 304 and dispatched == [FEED, FEED]
    early = client.get(FEED, headers={"If-None-Match": etag})
    assert early.status_code == 304 and early.data == b""
    assert dispatched == [FEED, FEED]  # the app did not run
    assert headers_of(early) == headers_of(full)
    assert early.headers["X-Frame-Options"] == "DENY"
    assert early.headers["Vary"] == "Accept-Encoding"
    assert early.headers["Cache-Control"] == full.headers["Cache-Control"]
    head = client.head(FEED, headers={"If-None-Match": etag})
    assert head.status_code == 304 and headers_of(head) == headers_of(full)
    assert dispatched == [FEED, FEED]


def test_weak_and_compressed_tags_are_answered_as_the_app_answers_them(
    client: FlaskClient, dispatched: list[str]
) -> None:
    etag = client.get(FEED).headers["ETag"]
    client.get(FEED, headers={"If-None-Match": etag})
    weak = client.get(FEED, headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304 and weak.headers["ETag"] == etag
    gzip = f'"{etag.strip(chr(34))}:gzip"'
    coded = client.get(FEED, headers={"If-None-Match": f'"other", {gzip}'})
    assert coded.status_code == 304 and coded.headers["ETag"] == gzip
    assert dispatched == [FEED, FEED]
    assert client.get(FEED, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_one_feeds_tag_never_answers_another(client: FlaskClient) -> None:
    etag = client.get(FEED).headers["ETag"]
    assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 304
    for other in ("/topics/export-controls.rss", "/topics/distillation.atom",
                  f"{FEED}?type=letter", f"{FEED}?page=2", "/items.rss"):  # fmt: skip
        response = client.get(other, headers={"If-None-Match": etag})
        assert response.status_code == 200, other
        assert response.headers["ETag"] != etag


def test_a_changed_store_shows_after_the_memos_second_as_before(
    app: Flask, client: FlaskClient, dispatched: list[str]
) -> None:
    etag = client.get(FEED).headers["ETag"]
    client.get(FEED, headers={"If-None-Match": etag})
    pipeline: Pipeline = app.extensions["test.pipeline"]
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).order_by(Item.id)).first()  # type: ignore[arg-type]
        assert item is not None
        bump(session, [item.id])  # type: ignore[list-item]
    assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 304  # same second
    app.extensions["test.clock"].now += 1.0
    changed = client.get(FEED, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert dispatched[-1] == FEED


def test_a_request_with_the_session_cookie_goes_through_the_app(
    app: Flask, client: FlaskClient, dispatched: list[str]
) -> None:
    etag = client.get(FEED).headers["ETag"]
    client.get(FEED, headers={"If-None-Match": etag})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], "not-a-signed-session")
    response = client.get(FEED, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert dispatched == [FEED, FEED, FEED]  # the app read the cookie itself


def test_over_http_a_compressed_feeds_poll_keeps_its_coding_and_headers(
    app: Flask, dispatched: list[str]
) -> None:
    import httpx
    from live_site import serving

    skip = {*RATE, "date", "server", "connection"}
    with serving(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        first = http.get(FEED, headers={"Accept-Encoding": "gzip"})
        assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
        etag = first.headers["ETag"]
        assert etag.endswith(':gzip"')
        polls = [http.get(FEED, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
                 for _ in range(3)]  # fmt: skip
    assert [p.status_code for p in polls] == [304] * 3
    assert dispatched == [FEED, FEED]  # the two later polls were answered in front
    full, *early = ({k: v for k, v in p.headers.items() if k not in skip} for p in polls)
    assert all(e == full for e in early) and full["etag"] == etag


def test_an_unknown_topic_is_never_remembered(client: FlaskClient, dispatched: list[str]) -> None:
    url = "/topics/no-such-topic.rss"
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"If-None-Match": '"x"'}).status_code == 404
    assert client.get(url, headers={"If-None-Match": "*"}).status_code == 404
    assert dispatched == [url] * 3
