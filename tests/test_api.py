"""The JSON API: listings, search, records, timelines, JSON errors, and its OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from feed_checks import build_demo_app
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import select

from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store import directory
from tracker.store.bills import bill_record, bills_page
from tracker.store.engine import session_scope
from tracker.store.items import item_record
from tracker.store.listing_results import ListingAsk, read_listing
from tracker.store.listings import ListingFilter, count_items, listing_version
from tracker.store.versions import VersionMemo, catalog_changed_at, catalog_version
from tracker.web.openapi import DOCUMENT


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = build_demo_app(tmp_path_factory.mktemp("api"))
    yield app
    app.extensions["demo.pipeline"].engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def _json(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def _count(app: Flask, f: ListingFilter) -> int:
    pipeline: Pipeline = app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        return count_items(session, f)


def test_items_filter_page_and_link_to_the_next_page(demo_app: Flask, client: FlaskClient) -> None:
    data = _json(client, "/api/v1/items?topic=distillation&per_page=10")
    assert data["total"] == _count(demo_app, ListingFilter(topic="distillation")) > 10
    assert len(data["items"]) == 10 and data["prev"] is None
    assert all("distillation" in i["topics"] for i in data["items"])
    second = _json(client, data["next"].removeprefix("http://localhost"))
    assert second["page"] == 2 and second["prev"]
    assert not {i["id"] for i in data["items"]} & {i["id"] for i in second["items"]}


@pytest.mark.parametrize(
    ("query", "f"),
    [
        ("entity=alibaba&type=letter", ListingFilter(entity="alibaba", doc_type="letter")),
        ("source=test-nasty", ListingFilter(source="test-nasty")),
        ("bill=119-hr-8283", ListingFilter(bill="119-hr-8283")),
    ],
)
def test_items_take_every_listing_filter(
    demo_app: Flask, client: FlaskClient, query: str, f: ListingFilter
) -> None:
    data = _json(client, f"/api/v1/items?{query}&per_page=100")
    assert data["total"] == len(data["items"]) == _count(demo_app, f) > 0


def test_items_take_a_date_range(client: FlaskClient) -> None:
    data = _json(client, "/api/v1/items?from=2026-06-01&to=2026-06-30&per_page=100")
    assert data["items"] and all(i["published"].startswith("2026-06") for i in data["items"])


def test_items_with_q_are_search_hits(client: FlaskClient) -> None:
    data = _json(client, "/api/v1/items?q=Qwen&type=news")
    assert data["total"] == len(data["items"]) > 0 and data["sort"] == "relevance"
    assert all(i["doc_type"] == "news" for i in data["items"])
    nothing = _json(client, "/api/v1/items?q=zzzyzzy")
    assert nothing["total"] == 0 and nothing["items"] == []


def test_one_item_has_tags_with_evidence_sources_event_and_bill(
    demo_app: Flask, client: FlaskClient
) -> None:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        item_id = session.exec(select(Item.id).where(Item.bill_id != None)).first()  # noqa: E711
    data = _json(client, f"/api/v1/items/{item_id}")
    assert data["id"] == item_id and data["text"]
    assert data["tags"] and all(t["evidence"] for t in data["tags"] if t["origin"] == "rule")
    assert data["sources"][0]["slug"] and data["event"]["headline"]
    assert data["bill"]["key"].startswith("119-")


def test_topics_entities_and_their_timelines(client: FlaskClient) -> None:
    topics = {t["slug"]: t for t in _json(client, "/api/v1/topics")["topics"]}
    assert topics["distillation"]["items"] > 0
    entities = {e["slug"]: e for e in _json(client, "/api/v1/entities")["entities"]}
    assert entities["qwen"]["parent"] == "alibaba" and entities["bis"]["kind"] == "agency"
    timeline = _json(client, "/api/v1/timelines/topics/distillation?per_page=5")
    assert timeline["topic"]["slug"] == "distillation" and len(timeline["events"]) == 5
    assert all(e["items"] for e in timeline["events"])
    assert sum(m["total"] for m in timeline["activity"]) == timeline["item_total"]
    dates = [e["date"] for e in timeline["events"]]
    assert dates == sorted(dates, reverse=True)
    entity = _json(client, "/api/v1/timelines/entities/alibaba?type=letter")
    assert all(i["doc_type"] == "letter" for e in entity["events"] for i in e["items"])


def test_events_and_one_event(client: FlaskClient) -> None:
    events = _json(client, "/api/v1/events?entity=alibaba&per_page=100")
    assert events["total"] == len(events["events"]) > 0
    biggest = max(events["events"], key=lambda e: e["size"])
    event = _json(client, f"/api/v1/events/{biggest['id']}")
    assert len(event["items"]) == biggest["size"]


def test_bills_and_one_bill_with_actions(client: FlaskClient) -> None:
    bills = _json(client, "/api/v1/bills")["bills"]
    assert [b["key"] for b in bills] == ["119-hr-8283"]
    bill = _json(client, "/api/v1/bills/119/hr8283")
    assert bill["label"] == "H.R. 8283" and bill["actions"] and bill["item_count"] > 0
    assert bill["actions"][0]["date"] <= bill["actions"][-1]["date"]
    assert bill["stage"] == "reported" and bill["snapshot"] is True
    assert bill["stage_dates"] == {
        "introduced": "2026-04-15", "referred": "2026-04-15", "reported": "2026-04-22",
    }  # fmt: skip
    assert [c["name"] for c in bill["cosponsors"]] == ["Rep. Moolenaar"]
    assert bill["cosponsors"][0]["original"] and bill["related"] == []
    assert bill["text_url"].endswith("/BILLS-119hr8283ih.xml")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/items?page=abc", 400),
        ("/api/v1/items?per_page=0", 400),
        ("/api/v1/items?type=bogus", 400),
        ("/api/v1/items?from=2026-07-01&to=2026-06-01", 400),
        ("/api/v1/items?q=x&page=501", 400),
        ("/api/v1/items/999999", 404),
        ("/api/v1/items/99999999999999999999999", 404),
        ("/api/v1/events/999999", 404),
        ("/api/v1/bills/119/s1", 404),
        ("/api/v1/bills/119/nonsense", 404),
        ("/api/v1/timelines/topics/no-such-topic", 404),
        ("/api/v1/no/such/endpoint", 404),
    ],
)
def test_errors_are_json(client: FlaskClient, url: str, status: int) -> None:
    data = _json(client, url, status)
    assert data["status"] == status and data["message"]


def test_wrong_method_is_a_json_405(client: FlaskClient) -> None:
    response = client.post("/api/v1/items")
    assert response.status_code == 405 and response.get_json()["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_a_server_error_is_json(demo_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.web import api_catalog

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api_catalog.directory, "topics", broken)
    monkeypatch.setitem(demo_app.config, "PROPAGATE_EXCEPTIONS", False)
    response = demo_app.test_client().get("/api/v1/topics")
    assert response.status_code == 500
    assert response.get_json() == {
        "status": 500,
        "message": "Something went wrong on our side. The error has been logged.",
    }


@pytest.mark.parametrize(
    "url",
    ["/api/v1/items?topic=distillation", "/api/v1/items?q=Qwen", "/api/v1/items/5",
     "/api/v1/topics", "/api/v1/bills/119/hr8283", "/api/v1/timelines/entities/alibaba",
     "/api/v1/openapi.json"],
)  # fmt: skip
def test_answers_carry_validators_and_revalidate_to_304(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    assert first.headers["ETag"] and first.last_modified and first.cache_control.max_age == 300
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_every_api_route_is_documented_and_every_documented_path_exists(demo_app: Flask) -> None:
    routes = {
        rule.rule.removeprefix("/api/v1")
        .replace("<id:item_id>", "{id}")
        .replace("<id:event_id>", "{id}")
        .replace("<id:congress>", "{congress}")
        .replace("<code>", "{bill}")
        .replace("<slug>", "{slug}")
        for rule in demo_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert routes - {"/openapi.json"} == set(DOCUMENT["paths"])


@pytest.fixture(scope="module")
def api_schema(demo_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)


schema = schemathesis.pytest.from_fixture("api_schema")
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=30, deadline=None)
def test_the_api_keeps_to_its_openapi_document(case: Any) -> None:
    # The schema describes the body; the WSGI client does not undo compression.
    case.call_and_validate(checks=CONFORMANCE, headers={"Accept-Encoding": "identity"})


def test_the_api_store_queries_agree_on_sqlite_and_postgresql(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    f = ListingFilter(topic="distillation")
    with session_scope(pipeline.engine) as session:
        topics = {t.slug: t.items for t in directory.topics(session)}
        assert topics["distillation"] == count_items(session, f) > 0
        version = listing_version(session, f)
        found = read_listing(session, ListingAsk(f, "events", limit=5, counted=True), version)
        assert len(found.events) == 5 and found.event_total >= 5
        assert sum(sum(c.values()) for c in found.months.values()) == topics["distillation"]
        bills, total = bills_page(session, limit=10, offset=0)
        assert total == len(bills) == 1
        record = bill_record(session, "119-hr-8283")
        assert record is not None and record.actions and record.items > 0
        item_id = session.exec(select(Item.id).where(Item.bill_id != None)).first()  # noqa: E711
        detail = item_record(session, item_id)  # type: ignore[arg-type]
        assert detail is not None and detail.tags and detail.sources and detail.event
        assert item_record(session, 2**70) is None
        version = catalog_version(session)
        assert catalog_changed_at(version) is not None
        assert VersionMemo(ttl=0).version(session, f) == listing_version(session, f)
