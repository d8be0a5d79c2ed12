"""Listings as a reader uses them (issue 16): either order, every item of an
event reachable, feed entries that lead to this site, and errors that keep the form.

Each test here failed on main before the change it covers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from feed_checks import ATOM, build_demo_app, check_atom, check_json_feed, check_rss
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tracker.models import Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.web import timeline_pages

LETTER = "Letter to Senate Banking Chair Tim Scott and Ranking Member Elizabeth Warren"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = build_demo_app(tmp_path_factory.mktemp("listing-views"))
    yield app
    app.extensions["demo.pipeline"].engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def event_dates(html: str) -> list[str]:
    return re.findall(
        r'<article class="card event-card"[^>]*>\s*<p class="meta">\s*<time datetime="([^"]+)"',
        html,
    )


# Oldest first and newest first


@pytest.mark.parametrize(
    "path", ["/topics/distillation", "/entities/anthropic", "/types/news", "/sources/demo-news"]
)
def test_every_timeline_reads_either_way_with_a_visible_switch(
    client: FlaskClient, path: str
) -> None:
    newest = page(client, path)
    oldest = page(client, f"{path}?order=oldest")
    new_dates, old_dates = event_dates(newest), event_dates(oldest)
    assert new_dates == sorted(new_dates, reverse=True) and len(new_dates) >= 1
    assert old_dates == sorted(old_dates) and old_dates[0] <= new_dates[-1]
    assert "Events, newest first" in newest and "Events, oldest first" in oldest
    switch = re.search(r'<nav class="order-switch".*?</nav>', newest, re.S)
    assert switch and f'href="{path}?order=oldest"' in switch.group(0)
    assert 'aria-current="true">Newest first' in switch.group(0)
    back = re.search(r'<nav class="order-switch".*?</nav>', oldest, re.S)
    assert back and f'href="{path}"' in back.group(0)
    assert 'aria-current="true">Oldest first' in back.group(0)


def test_the_order_is_kept_in_pages_filters_and_exports(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline_pages, "EVENTS_PER_PAGE", 3)
    first = page(client, "/types/news?order=oldest")
    assert 'rel="next" href="/types/news?order=oldest&amp;page=2">Newer →' in first
    assert '<input type="hidden" name="order" value="oldest">' in first
    second = page(client, "/types/news?order=oldest&page=2")
    assert event_dates(second)[0] >= event_dates(first)[-1]
    # The feeds to subscribe to stay newest first; the CSV export keeps the order.
    assert 'href="/types/news.rss"' in first and 'href="/types/news.csv?order=oldest"' in first
    rows = list(csv.DictReader(io.StringIO(page(client, "/types/news.csv?order=oldest"))))
    dates = [r["date"] for r in rows]
    assert len(dates) > 3 and dates == sorted(dates)


def test_the_api_lists_items_and_events_oldest_first(client: FlaskClient) -> None:
    items = client.get("/api/v1/items?topic=distillation&order=oldest&per_page=100").get_json()
    published = [i["published"] for i in items["items"]]
    assert len(published) > 3 and published == sorted(published)
    events = client.get("/api/v1/timelines/topics/distillation?order=oldest").get_json()
    starts = [e["date"] for e in events["events"]]
    assert len(starts) > 1 and starts == sorted(starts)
    assert client.get("/api/v1/items?order=sideways").status_code == 400


# Every item of an event reachable from the timeline


def test_every_item_of_an_event_is_linked_from_its_card(
    client: FlaskClient, demo_app: Flask
) -> None:
    """The letter's event with nine more items, five of them not about distillation."""
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        letter = session.exec(select(Item).where(Item.title.startswith(LETTER))).one()  # type: ignore[attr-defined]
        tagged = select(ItemTag.item_id).where(ItemTag.slug == "distillation")
        about = session.exec(
            select(Item).where(Item.id.in_(tagged), Item.id != letter.id).order_by(Item.id)  # type: ignore[union-attr]
        ).all()[:4]
        other = session.exec(
            select(Item).where(Item.id.not_in(tagged)).order_by(Item.id)  # type: ignore[union-attr]
        ).all()[:5]
        moved = [*about, *other]
        for item in moved:
            item.event_id = letter.event_id
            session.add(item)
        session.flush()
        bump(session, [i.id for i in moved])  # type: ignore[misc]
        members = [letter.id, *(i.id for i in moved)]
        event_id = letter.event_id
    html = page(client, "/topics/distillation")
    card = re.search(
        rf'<article class="card event-card" aria-labelledby="event-{event_id}-title">.*?</article>',
        html,
        re.S,
    )
    assert card, "the letter's event is on the timeline"
    for item_id in members:
        assert f'href="/items/{item_id}"' in card.group(0), item_id
    assert "10 items in this event" in card.group(0) and "5 outside this listing" in card.group(0)


# Feed entries lead to this site's item page, and keep the source's link


def test_feed_entries_link_the_item_page_and_the_original(client: FlaskClient) -> None:
    path = "/topics/distillation"
    atom = client.get(f"{path}.atom").data
    check_atom(atom)
    rss = client.get(f"{path}.rss").data
    check_rss(rss)
    data = check_json_feed(client.get(f"{path}.json").data)
    entries = ElementTree.fromstring(atom).findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        found = entry.findall(f"{ATOM}link")
        links = {link.get("rel", "alternate"): link.get("href") for link in found}
        item_id = (entry.findtext(f"{ATOM}id") or "").rsplit("/", 1)[-1]
        assert links["alternate"] == f"http://localhost/items/{item_id}"
        assert (links["related"] or "").startswith("https://")
    for item in ElementTree.fromstring(rss).iter("item"):
        assert re.fullmatch(r"http://localhost/items/\d+", item.findtext("link") or "")
        assert 'Original at <a href="https://' in (item.findtext("description") or "")
    for item in data["items"]:
        assert item["url"] == item["_policy_tracker"]["page_url"]
        assert item["external_url"].startswith("https://")


# Friendly errors that keep the form


def test_reversed_dates_are_swapped_with_a_note(client: FlaskClient) -> None:
    html = page(client, "/topics/distillation?from=2026-07-01&to=2026-06-01")
    assert "so the two dates were swapped" in html
    assert 'name="from" value="2026-06-01"' in html and 'name="to" value="2026-07-01"' in html
    dates = event_dates(html)
    assert dates and all("2026-06-01" <= d[:10] <= "2026-07-01" for d in dates)


def test_a_page_past_the_last_says_so_and_links_the_last(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline_pages, "EVENTS_PER_PAGE", 5)
    first = page(client, "/topics/distillation")
    total = len(event_dates(page(client, "/topics/distillation?page=1")))
    assert total == 5 and 'rel="next"' in first
    html = page(client, "/topics/distillation?order=oldest&page=500", 404)
    last = re.search(r"This timeline has (\d+) pages; page 500 is past its end", html)
    assert last, html[-3000:]
    n = int(last.group(1))
    assert f'href="/topics/distillation?order=oldest&amp;page={n}">Go to the last page' in html
    assert "No item has been tagged" not in html
    assert event_dates(page(client, f"/topics/distillation?order=oldest&page={n}"))
    assert page(client, f"/topics/distillation?order=oldest&page={n + 1}", 404)


def test_a_json_feed_entry_is_still_json_for_unknown_orders(client: FlaskClient) -> None:
    response = client.get("/topics/distillation.json?order=sideways")
    assert response.status_code == 400 and "order" in json.loads(response.data)["message"]


# Conditional GET, one decorator for every feed and API view


@pytest.mark.parametrize(
    "url",
    ["/api/v1/topics", "/api/v1/items?topic=distillation", "/api/v1/timelines/topics/distillation",
     "/topics/distillation.atom", "/search.rss?q=Alibaba", "/feeds", "/feeds.opml",
     "/api/v1/openapi.json", "/api/v1/events/1"],
)  # fmt: skip
def test_a_fresh_copy_is_a_304_without_running_the_view(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    from tracker.web import api_catalog, api_json, listing_views

    def broken(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the view ran for a fresh copy")

    for module, name in ((listing_views, "read_listing"), (api_json, "item_summary"),
                         (api_json, "tag_entry"), (api_catalog, "event_record")):  # fmt: skip
        monkeypatch.setattr(module, name, broken)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert again.data == b""


def test_every_source_page_the_feed_list_links_is_a_timeline(client: FlaskClient) -> None:
    """/feeds links /sources/<slug> for each source; those pages were 404s on main."""
    listed = sorted(set(re.findall(r'href="(/sources/[a-z0-9-]+)"', page(client, "/feeds"))))
    assert len(listed) > 3
    for path in listed:
        html = page(client, path)
        assert '<p class="kicker">Source</p>' in html and "order-switch" in html
    assert client.get("/sources/no-such-source").status_code == 404
