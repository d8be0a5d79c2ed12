"""Feeds: every listing in RSS, Atom, JSON Feed and CSV, valid, safe, and cheap to poll."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import rnc2rng
from feed_checks import (
    CHECKS,
    EXECUTABLE,
    ILLEGAL,
    VALIDATORS,
    build_demo_app,
    summaries,
    titles,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tracker.models import Entity, Item, Topic
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import bump

FORMATS = ("rss", "atom", "json")


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = build_demo_app(tmp_path_factory.mktemp("feeds"))
    yield app
    app.extensions["demo.pipeline"].engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def _slugs(app: Flask) -> list[str]:
    pipeline: Pipeline = app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        topics = [f"/topics/{t.slug}" for t in session.exec(select(Topic))]
        entities = [f"/entities/{e.slug}" for e in session.exec(select(Entity))]
    return topics + entities


def _get(client: FlaskClient, url: str, status: int = 200) -> bytes:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    return response.data


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_topic_and_entity_feed_is_valid(demo_app: Flask, fmt: str) -> None:
    client = demo_app.test_client()
    paths = _slugs(demo_app)
    assert len(paths) >= 26
    entries = 0
    for path in paths:
        body = _get(client, f"{path}.{fmt}")
        CHECKS[fmt](body)
        entries += len(titles(fmt, body))
    assert entries > 60


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "url",
    [
        "/items",
        "/search.{fmt}?q=Qwen",
        "/search.{fmt}?q=distillation&type=letter&entity=alibaba",
        "/topics/distillation.{fmt}?entity=alibaba&type=letter",
        "/topics/distillation.{fmt}?from=2026-06-01&to=2026-06-30",
        "/types/letter",
        "/sources/test-nasty",
        "/bills/119/hr8283",
    ],
)
def test_search_combined_and_other_listings_are_valid(
    client: FlaskClient, url: str, fmt: str
) -> None:
    url = url.format(fmt=fmt) if "{fmt}" in url else f"{url}.{fmt}"
    body = _get(client, url)
    CHECKS[fmt](body)
    assert titles(fmt, body), f"{url} is empty"


def test_a_combined_feed_holds_only_matching_items(client: FlaskClient) -> None:
    data = client.get("/topics/distillation.json?entity=alibaba&type=letter").get_json()
    assert data["items"]
    for item in data["items"]:
        extra = item["_policy_tracker"]
        assert extra["doc_type"] == "letter"
        assert "distillation" in extra["topics"] and "alibaba" in extra["entities"]
    assert "Letter" in data["title"] and "Alibaba" in data["title"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_control_characters_and_scripts_never_reach_a_feed(
    client: FlaskClient, fmt: str
) -> None:
    body = _get(client, f"/sources/test-nasty.{fmt}")
    CHECKS[fmt](body)
    text = body.decode()
    assert not ILLEGAL.search(text)
    for summary in summaries(fmt, body):
        assert not EXECUTABLE.search(summary), summary
    names = titles(fmt, body)
    assert len(names) == 3
    assert any("阿里巴巴" in t and "التقطير" in t and "🚀" in t for t in names)
    assert any("模型蒸馏" in t and "<i>it</i>" in t for t in names)  # a raw title stays text
    assert any("模型蒸馏" in s and "🚀" in s for s in summaries(fmt, body))


def test_feeds_of_the_same_listing_share_stable_item_ids(
    demo_app: Flask, client: FlaskClient
) -> None:
    ids = {}
    for fmt in FORMATS:
        body = _get(client, f"/entities/alibaba.{fmt}")
        if fmt == "json":
            found = [i["id"] for i in client.get("/entities/alibaba.json").get_json()["items"]]
        else:
            found = re.findall(r"tag:policy-tracker,2026:item/\d+", body.decode())
        ids[fmt] = sorted(set(found))
    assert ids["rss"] == ids["atom"] == ids["json"] and ids["rss"]


def test_an_updated_item_keeps_its_id_with_a_new_updated_time(
    demo_app: Flask, client: FlaskClient
) -> None:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    first = client.get("/sources/test-nasty.json")
    before = {i["id"]: i["date_modified"] for i in first.get_json()["items"]}
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "nasty-1")).one()
        bump(session, [item.id])  # type: ignore[list-item]
    second = client.get(
        "/sources/test-nasty.json", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    after = {i["id"]: i["date_modified"] for i in second.get_json()["items"]}
    assert set(after) == set(before)
    changed = f"tag:policy-tracker,2026:item/{item.id}"
    assert after[changed] > before[changed]
    assert all(after[k] == before[k] for k in after if k != changed)


def test_entries_carry_link_dates_categories_and_source(client: FlaskClient) -> None:
    body = _get(client, "/topics/distillation.atom?entity=alibaba&type=letter")
    text = body.decode()
    assert 'term="letter"' in text and 'term="distillation"' in text and 'term="alibaba"' in text
    assert "<published>" in text and "<updated>" in text and "<source>" in text
    rss = _get(client, "/topics/distillation.rss?entity=alibaba&type=letter").decode()
    assert "<pubDate>" in rss and '<guid isPermaLink="false">tag:' in rss and "<source url=" in rss


def test_html_page_and_feed_share_a_path_without_clashing(client: FlaskClient) -> None:
    page = client.get("/topics/distillation")
    assert page.status_code in (200, 404)  # the site's page (404 until it exists)
    assert page.mimetype == "text/html"
    feed = client.get("/topics/distillation.rss")
    assert feed.status_code == 200 and feed.mimetype == "application/rss+xml"
    alias, items = client.get("/index.atom"), client.get("/items.atom")
    assert alias.headers["ETag"] != items.headers["ETag"]  # each names itself
    assert re.findall(rb"<entry><id>[^<]+", alias.data) == re.findall(
        rb"<entry><id>[^<]+", items.data
    )


@pytest.mark.parametrize(
    ("url", "mimetype"),
    [
        ("/topics/no-such-topic.rss", "text/plain"),
        ("/topics/no-such-topic.json", "application/json"),
        ("/entities/nobody.atom", "text/plain"),
        ("/types/pamphlet.rss", "text/plain"),
        ("/sources/nowhere.csv", "text/plain"),
        ("/bills/119/s99999.atom", "text/plain"),
        ("/bills/119/nonsense.rss", "text/plain"),
    ],
)
def test_unknown_listings_are_404(client: FlaskClient, url: str, mimetype: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == mimetype
    if mimetype == "application/json":
        assert response.get_json()["status"] == 404


@pytest.mark.parametrize("query", ["type=pamphlet", "from=yesterday", "page=abc", "page=0"])
def test_bad_filters_are_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/topics/distillation.json?{query}")
    assert response.status_code == 400 and response.get_json()["status"] == 400


def test_the_all_items_feed_pages_with_next_links(client: FlaskClient) -> None:
    first = client.get("/items.json").get_json()
    assert len(first["items"]) == 50 and first["next_url"].endswith("page=2")
    second = client.get("/items.json?page=2").get_json()
    assert second["items"] and "next_url" not in second
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == len(set(ids))
    atom = _get(client, "/items.atom").decode()
    assert 'rel="next"' in atom


def test_the_atom_schema_is_rfc_4287_converted_by_rnc2rng() -> None:
    converted = rnc2rng.dumps(rnc2rng.load(str(VALIDATORS / "atom.rnc")))
    # rnc2rng declares `namespace local = ""` as xmlns:local="", which XML forbids;
    # its uses are written ns="" already, so the declaration is dropped.
    converted = converted.replace('         xmlns:local=""\n', "")
    assert converted.strip() == (VALIDATORS / "atom.rng").read_text().strip()


@pytest.mark.parametrize("name", ["atom.rnc", "jsonfeed-schema-v1.1.json"])
def test_validator_copies_equal_the_shared_ones(name: str) -> None:
    shared = VALIDATORS.parents[3] / "shared" / "validators" / name
    if not shared.exists():
        pytest.skip("shared/validators is not beside the repository")
    assert (VALIDATORS / name).read_bytes() == shared.read_bytes()
