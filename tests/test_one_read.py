"""One read behind every format of a listing (issue 16 part 1), on SQLite and PostgreSQL.

For each timeline filter and both orders: the HTML timeline and the API's events
show the same events in the same order; RSS, Atom, JSON Feed, CSV and the API's
items show the same items in the same order; and the HTML timeline's events hold
exactly the items the feeds list.
"""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

from tracker.pipeline import Pipeline
from tracker.web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
# (HTML page, its feeds' stem, the API's filter, the API timeline if there is one)
LISTINGS = [
    ("/topics/distillation", "/topics/distillation", "topic=distillation",
     "/api/v1/timelines/topics/distillation"),
    ("/entities/anthropic", "/entities/anthropic", "entity=anthropic",
     "/api/v1/timelines/entities/anthropic"),
    ("/types/report", "/types/report", "type=report", None),
    ("/sources/demo-news", "/sources/demo-news", "source=demo-news", None),
    ("/topics/distillation?from=2026-04-01&to=2026-06-30", "/topics/distillation",
     "topic=distillation&from=2026-04-01&to=2026-06-30", None),
]  # fmt: skip


def _item_number(link: str) -> int:
    found = re.search(r"/items/(\d+)$", link)
    assert found, link
    return int(found.group(1))


def _get(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data()


def _query(url: str, extra: str) -> str:
    args = "&".join(a for a in (url.partition("?")[2], extra) if a)
    return f"{url.partition('?')[0]}?{args}" if args else url


def _html_events(html: str) -> list[tuple[int, set[int]]]:
    """Each event card's id and the item ids it links, in page order."""
    found = []
    for card in re.findall(r'<article class="card event-card".*?</article>', html, re.S):
        event = re.search(r'id="event-(\d+)-title"', card)
        assert event, card[:200]
        items = {int(i) for i in re.findall(r'href="/items/(\d+)"', card)}
        found.append((int(event.group(1)), items))
    return found


def _feed_ids(client: FlaskClient, stem: str, args: str) -> dict[str, list[int]]:
    rss = ElementTree.fromstring(_get(client, _query(f"{stem}.rss", args)))
    atom = ElementTree.fromstring(_get(client, _query(f"{stem}.atom", args)))
    json_feed = client.get(_query(f"{stem}.json", args)).get_json()
    rows = csv.DictReader(io.StringIO(_get(client, _query(f"{stem}.csv", args)).decode()))
    return {
        "rss": [_item_number(x.findtext("link") or "") for x in rss.iter("item")],
        "atom": [
            _item_number(link.get("href", ""))
            for entry in atom.iter(f"{ATOM}entry")
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ],
        "json": [_item_number(x["url"]) for x in json_feed["items"]],
        "csv": [int(row["id"]) for row in rows],
    }


@pytest.mark.parametrize("oldest", [False, True], ids=["newest", "oldest"])
def test_every_format_of_a_listing_reads_the_same_items_in_the_same_order(
    pipeline: Pipeline, oldest: bool
) -> None:
    pipeline.load_demo()
    pipeline.settle()
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    try:
        _compare(app.test_client(), "order=oldest" if oldest else "")
    finally:
        app.extensions["tracker.engine"].dispose()


def _compare(client: FlaskClient, order: str) -> None:
    oldest = bool(order)
    for page, stem, api_filter, api_timeline in LISTINGS:
        feed_args = "&".join(a for a in (page.partition("?")[2], order) if a)
        formats = _feed_ids(client, stem, feed_args)
        api = client.get(f"/api/v1/items?{api_filter}&per_page=100&{order}").get_json()
        formats["api"] = [x["id"] for x in api["items"]]
        expected = formats["rss"]
        assert len(expected) >= 2, page  # an order to compare
        for name, ids in formats.items():
            assert ids == expected, (page, name, oldest)

        html = _get(client, _query(page, order)).decode()
        shown = _html_events(html)
        events = client.get(f"/api/v1/events?{api_filter}&per_page=100&{order}").get_json()
        assert [e for e, _ in shown] == [e["id"] for e in events["events"]], (page, oldest)
        linked = set().union(*(items for _, items in shown))
        assert set(expected) <= linked, (page, oldest)  # every listed item is on the page
        if api_timeline:
            timeline = client.get(f"{api_timeline}?{order}").get_json()
            assert [e["id"] for e in timeline["events"]] == [e for e, _ in shown]
            for (_, items), event in zip(shown, timeline["events"], strict=True):
                assert {x["id"] for x in event["items"]} <= items, (page, event["id"])


ONE_LISTING = {
    "html": "/topics/distillation",
    "rss": "/topics/distillation.rss",
    "atom": "/topics/distillation.atom",
    "json": "/topics/distillation.json",
    "csv": "/topics/distillation.csv",
    "api": "/api/v1/items?topic=distillation",
    "api-timeline": "/api/v1/timelines/topics/distillation",
}


def test_each_format_of_a_listing_is_one_store_read_handed_to_its_renderer(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pkgutil

    import tracker.web
    from tracker.store.listing_results import ListingAsk, ListingResult
    from tracker.store.listings import ListingFilter
    from tracker.web import listing_views

    pipeline.load_demo()
    pipeline.settle()
    # No view reads a listing any other way: the store's listing queries are
    # imported by the one read alone.
    for info in pkgutil.iter_modules(tracker.web.__path__):
        module = __import__(f"tracker.web.{info.name}", fromlist=["_"])
        for name in ("list_items", "export_cards", "timeline", "events_page", "event_ids"):
            found = getattr(module, name, None)
            assert found is None or getattr(found, "__module__", "").startswith("tracker.web"), (
                info.name, name)  # fmt: skip
    reads: list[tuple[ListingAsk, ListingResult]] = []
    real = listing_views.read_listing

    def counted(session, ask, version):  # type: ignore[no-untyped-def]
        result = real(session, ask, version)
        reads.append((ask, result))
        return result

    monkeypatch.setattr(listing_views, "read_listing", counted)
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    try:
        client = app.test_client()
        listed: dict[str, list[int]] = {}
        for fmt, url in ONE_LISTING.items():
            reads.clear()
            _get(client, url)  # the whole body, so a streamed CSV is read too
            assert len(reads) == 1, (fmt, len(reads))
            ask, result = reads[0]
            assert ask.f == ListingFilter(topic="distillation"), fmt
            if ask.shape == "events":  # the listing's items: shown, then behind "more"
                listed[fmt] = [x.id for e in result.events
                               for x in e.items + e.more[: len(e.more) - e.outside]]  # fmt: skip
            elif ask.shape == "items":
                listed[fmt] = [x.id for x in result.items]
        assert set(listed) == {"html", "rss", "atom", "json", "api", "api-timeline"}
        # One result per format: the feeds and the API list the same items, in the same
        # order; the timelines' events hold those items.
        assert listed["rss"] == listed["atom"] == listed["json"] == listed["api"]
        assert len(listed["rss"]) >= 2
        assert sorted(listed["html"]) == sorted(listed["rss"]) == sorted(listed["api-timeline"])
        html = _get(client, ONE_LISTING["html"]).decode()
        on_page = [int(i) for i in re.findall(r'href="/items/(\d+)"', html)]
        assert set(listed["rss"]) <= set(on_page)
        # A fresh copy of any format but the page is answered without a read.
        for fmt, url in ONE_LISTING.items():
            if fmt == "html":
                continue
            etag = client.get(url).headers["ETag"]
            reads.clear()
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
            assert reads == [], fmt
    finally:
        app.extensions["tracker.engine"].dispose()
