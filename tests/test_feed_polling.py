"""Cheap polling: validators on every feed, and a 304 that lists and renders nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feed_checks import build_demo_app
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.store.listings import ListingFilter, listing_version
from tracker.store.versions import VersionMemo

FEEDS = [
    "/items.atom",
    "/topics/distillation.rss",
    "/topics/distillation.atom?entity=alibaba&type=letter",
    "/entities/alibaba.json",
    "/types/letter.csv",
    "/search.rss?q=Qwen",
    "/feeds.opml",
    "/feeds",
]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = build_demo_app(tmp_path_factory.mktemp("polling"))
    yield app
    app.extensions["demo.pipeline"].engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_says_how_to_revalidate_and_for_how_long(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"')
    assert response.last_modified is not None
    assert response.cache_control.max_age == 300


@pytest.mark.parametrize("url", FEEDS)
def test_a_matching_etag_gets_304_with_no_body(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # RFC 9110: a 304 repeats ETag and Cache-Control (werkzeug drops Last-Modified).
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.cache_control.max_age == 300


def test_if_modified_since_gets_304_until_something_changes(client: FlaskClient) -> None:
    first = client.get("/topics/distillation.atom")
    since = first.headers["Last-Modified"]
    assert (
        client.get("/topics/distillation.atom", headers={"If-Modified-Since": since}).status_code
        == 304
    )
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert (
        client.get("/topics/distillation.atom", headers={"If-Modified-Since": old}).status_code
        == 200
    )


def test_a_stale_etag_gets_the_feed(client: FlaskClient) -> None:
    response = client.get("/topics/distillation.rss", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and b"<rss" in response.data


@pytest.mark.parametrize(
    "other",
    [
        "/topics/distillation.rss",
        "/topics/distillation.json",
        "/topics/distillation.atom?type=letter",
        "/topics/distillation.atom?page=2",
        "/topics/export-controls.atom",
    ],
)
def test_each_format_filter_and_page_has_its_own_etag(client: FlaskClient, other: str) -> None:
    assert (
        client.get("/topics/distillation.atom").headers["ETag"] != client.get(other).headers["ETag"]
    )


def test_304_lists_and_renders_nothing(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    etags = {url: client.get(url).headers["ETag"] for url in FEEDS[:5]}

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a 304 must not list or render")

    from tracker.web import feed_formats, listing_views

    monkeypatch.setattr(listing_views, "read_listing", refuse)
    monkeypatch.setattr(feed_formats, "csv_rows", refuse)
    monkeypatch.setattr(listing_views, "RENDERERS", dict.fromkeys(listing_views.RENDERERS, refuse))
    for url, etag in etags.items():
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_changed_item_changes_the_etag_of_its_listings_only(
    demo_app: Flask, client: FlaskClient
) -> None:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    before = {url: client.get(url).headers["ETag"] for url in FEEDS[:4]}
    letter = "/topics/distillation.atom?entity=alibaba&type=letter"
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "nasty-2")).one()
        assert item.doc_type != "letter"
        bump(session, [item.id])  # type: ignore[list-item]
    after = {url: client.get(url).headers["ETag"] for url in before}
    assert after["/items.atom"] != before["/items.atom"]
    assert after["/topics/distillation.rss"] != before["/topics/distillation.rss"]
    assert after[letter] == before[letter]  # the changed item is not a letter


def test_the_version_memo_trusts_its_last_look_for_ttl_seconds(demo_app: Flask) -> None:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    now = [100.0]
    memo = VersionMemo(ttl=1.0, clock=lambda: now[0])
    f = ListingFilter(topic="distillation")
    assert memo.peek(f) is None  # never looked
    with session_scope(pipeline.engine) as session:
        first = memo.version(session, f)
        assert first == listing_version(session, f)
    assert memo.peek(f) == first
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "nasty-1")).one()
        bump(session, [item.id])  # type: ignore[list-item]
    assert memo.peek(f) == first  # within the second: the last look stands
    now[0] += 1.0
    assert memo.peek(f) is None
    with session_scope(pipeline.engine) as session:
        second = memo.version(session, f)
    assert second != first and second[0] > first[0]
