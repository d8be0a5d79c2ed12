"""CSV exports, feed discovery on pages, the feed list and its OPML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from feed_checks import ATOM, build_demo_app, titles
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlmodel import select

from tracker.models import Entity, Item, Topic
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter, count_items
from tracker.web.csv_export import HEADER, cell
from tracker.web.discovery import feed_links
from tracker.web.feed_listings import SNAPSHOT_LABEL


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = build_demo_app(tmp_path_factory.mktemp("exports"))
    yield app
    app.extensions["demo.pipeline"].engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def _rows(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


@pytest.mark.parametrize(
    ("url", "f"),
    [
        ("/items.csv", ListingFilter()),
        ("/topics/distillation.csv", ListingFilter(topic="distillation")),
        (
            "/topics/distillation.csv?entity=alibaba&type=letter",
            ListingFilter(topic="distillation", entity="alibaba", doc_type="letter"),
        ),
        ("/bills/119/hr8283.csv", ListingFilter(bill="119-hr-8283")),
    ],
)
def test_a_listing_as_csv_has_a_header_and_a_row_per_item(
    demo_app: Flask, client: FlaskClient, url: str, f: ListingFilter
) -> None:
    rows = _rows(client, url)
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        total = count_items(session, f)
    assert rows[0] == list(HEADER)
    assert len(rows) - 1 == total > 0
    assert all(len(r) == len(HEADER) for r in rows)
    dates = [r[0] for r in rows[1:]]
    assert dates == sorted(dates, reverse=True)


def test_a_search_as_csv(client: FlaskClient) -> None:
    rows = _rows(client, "/search.csv?q=Qwen&type=news")
    assert rows[0] == list(HEADER) and len(rows) > 1
    assert all(r[1] == "news" for r in rows[1:])


def test_csv_quotes_cells_and_defuses_formulas(client: FlaskClient) -> None:
    response = client.get("/sources/test-nasty.csv")
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    titles = {r[2] for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","Alibaba distillation, "quoted"")' in titles
    assert any(t.startswith("Raw ") and "\x00" not in t for t in titles)
    assert any("阿里巴巴" in t and "🚀" in t for t in titles)
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="policy-tracker-source-test-nasty.csv"'


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain, text", "plain, text"),
        ("a\x00b", "ab"),
        (None, ""),
    ],
)
def test_cells_that_start_like_formulas_get_a_quote(raw: str | None, safe: str) -> None:
    assert cell(raw) == safe


def test_pages_point_to_their_own_feeds(demo_app: Flask) -> None:
    with demo_app.test_request_context("/topics/distillation?type=letter&page=2"):
        links = {link.ext: link for link in feed_links()}
    assert links["rss"].url == "/topics/distillation.rss?type=letter"
    assert links["atom"].mime == "application/atom+xml"
    assert set(links) == {"rss", "atom", "json", "csv"}
    with demo_app.test_request_context("/search?q=Qwen"):
        assert feed_links()[0].url == "/search.rss?q=Qwen"
    for path in ("/", "/items/1", "/sources"):
        with demo_app.test_request_context(path):
            assert feed_links()[1].url == "/items.atom"


def test_every_page_head_offers_its_feeds(client: FlaskClient) -> None:
    page = client.get("/feeds").get_data(as_text=True)
    head = page.split("</head>")[0]
    for mime in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
        assert f'rel="alternate" type="{mime}"' in head


def test_the_feed_list_names_every_topic_and_entity(demo_app: Flask, client: FlaskClient) -> None:
    page = client.get("/feeds").get_data(as_text=True)
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        slugs = [f"/topics/{t.slug}" for t in session.exec(select(Topic))]
        slugs += [f"/entities/{e.slug}" for e in session.exec(select(Entity))]
    for slug in slugs:
        for ext in ("rss", "atom", "json", "csv"):
            assert f'href="{slug}.{ext}"' in page
    assert 'href="/feeds.opml"' in page


def test_opml_lists_every_topic_and_entity_feed_and_each_answers(
    demo_app: Flask, client: FlaskClient
) -> None:
    response = client.get("/feeds.opml")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") and root.findtext("head/dateCreated")
    feeds = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert all(o.get("type") == "rss" and o.get("text") for o in feeds)
    urls = {o.get("xmlUrl") for o in feeds}
    assert "http://localhost/topics/distillation.atom" in urls
    assert "http://localhost/entities/alibaba.atom" in urls
    assert len([u for u in urls if "/topics/" in u or "/entities/" in u]) >= 26
    for url in urls:
        assert client.get(url.removeprefix("http://localhost")).status_code == 200, url


def _sample_ids(demo_app: Flask) -> dict[int, bool]:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        return dict(session.exec(select(Item.id, Item.sample)).all())  # type: ignore[arg-type]


def _entry_ids(fmt: str, body: bytes) -> list[int]:
    if fmt == "json":
        ids = [i["id"] for i in json.loads(body)["items"]]
    elif fmt == "atom":
        ids = [e.findtext(f"{ATOM}id") or "" for e in etree.fromstring(body).iter(f"{ATOM}entry")]
    else:
        ids = [i.findtext("guid") or "" for i in etree.fromstring(body).iter("item")]
    return [int(i.rsplit("/", 1)[1]) for i in ids]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_every_feed_marks_the_demo_snapshot_and_only_it(
    demo_app: Flask, client: FlaskClient, fmt: str
) -> None:
    sample = _sample_ids(demo_app)
    body = client.get(f"/items.{fmt}").data
    ids, names = _entry_ids(fmt, body), titles(fmt, body)
    assert {sample[i] for i in ids} == {True, False}  # the page holds both kinds
    for item_id, title in zip(ids, names, strict=True):
        assert title.startswith("[Demo snapshot] ") == sample[item_id], title
    if fmt == "json":
        for entry in json.loads(body)["items"]:
            item_id = int(entry["id"].rsplit("/", 1)[1])
            assert entry["_policy_tracker"]["snapshot"] == sample[item_id]
            assert (SNAPSHOT_LABEL in entry["tags"]) == sample[item_id]
    if fmt == "rss":
        for item in etree.fromstring(body).iter("item"):
            item_id = int((item.findtext("guid") or "").rsplit("/", 1)[1])
            terms = {c.text for c in item.iter("category")}
            assert (SNAPSHOT_LABEL in terms) == sample[item_id]


def test_csv_api_and_pages_mark_the_demo_snapshot(demo_app: Flask, client: FlaskClient) -> None:
    sample = _sample_ids(demo_app)
    rows = _rows(client, "/items.csv")
    assert rows[0][-1] == "snapshot"
    marks = {int(r[7]): r[8] for r in rows[1:]}
    assert {item_id: mark == "demo snapshot" for item_id, mark in marks.items()} == {
        item_id: sample[item_id] for item_id in marks
    }
    api = client.get("/api/v1/items?per_page=100").get_json()["items"]
    assert all(i["snapshot"] == sample[i["id"]] == i["source"]["sample"] for i in api)
    demo_id = next(i for i, s in sample.items() if s)
    live_id = next(i for i, s in sample.items() if not s)
    badge = ">Demo snapshot</span>"
    assert badge in client.get(f"/items/{demo_id}").get_data(as_text=True).split("<footer")[0]
    assert badge not in client.get(f"/items/{live_id}").get_data(as_text=True).split("<footer")[0]
    found = client.get("/search?q=Qwen").get_data(as_text=True).split("<footer")[0]
    assert badge in found
