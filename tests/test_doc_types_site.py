"""New document types reach every place that lists or labels types: a Federal
Register page of presidential documents is typed by subtype, and /types pages,
their feeds, the API's OpenAPI enum, badges, chart colours and labels know
each type."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from flask import Flask
from flask.testing import FlaskClient

from tracker.pipeline import Pipeline
from tracker.types import DOC_TYPE_LABELS, DOC_TYPES
from tracker.web import create_app
from tracker.web.charts import TYPE_COLOURS
from tracker.web.openapi import DOCUMENT

STATIC = Path(__file__).resolve().parent.parent / "static" / "site.css"

PAGE = {
    "count": 4,
    "results": [
        {"document_number": "2026-90001", "title": "Example Order on Testing Types",
         "type": "Presidential Document", "subtype": "Executive Order",
         "publication_date": "2026-06-03", "abstract": "An illustrative order."},
        {"document_number": "2026-90002", "title": "Example Day, 2026",
         "type": "Presidential Document", "subtype": "Proclamation",
         "publication_date": "2026-06-04", "abstract": "An illustrative proclamation."},
        {"document_number": "2026-90003", "title": "Example Continuation of an Emergency",
         "type": "Presidential Document", "presidential_document_type": "notice",
         "publication_date": "2026-06-05"},
        {"document_number": "2026-90004", "title": "Example Memorandum for Agencies",
         "type": "Presidential Document", "subtype": "Memorandum",
         "publication_date": "2026-06-06"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    home = tmp_path_factory.mktemp("types")
    settings = make_settings(home)
    pipeline = Pipeline(settings)
    pipeline.init()
    page = home / "presidential.json"
    page.write_text(json.dumps(PAGE))
    outcome = pipeline.ingest_file(page, "fr-presidential", "federal-register")
    assert outcome.status == "ok" and outcome.new == 4
    pipeline.settle()
    yield create_app({"SETTINGS": settings, "TESTING": True})
    pipeline.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(
    ("doc_type", "title"),
    [
        ("executive-order", "Example Order on Testing Types"),
        ("proclamation", "Example Day, 2026"),
        ("notice", "Example Continuation of an Emergency"),
        ("memo", "Example Memorandum for Agencies"),
    ],
)
def test_each_presidential_document_is_listed_under_its_type(client, doc_type, title):
    page = client.get(f"/types/{doc_type}").get_data(as_text=True)
    assert f"<h1>{DOC_TYPE_LABELS[doc_type]}" in page  # "Executive orders"
    assert title in page
    assert f'class="badge type-{doc_type}"' in page
    feed = client.get(f"/types/{doc_type}.rss")
    assert feed.status_code == 200 and title in feed.get_data(as_text=True)


def test_the_api_and_every_label_know_every_type(client):
    text = json.dumps(DOCUMENT)  # the OpenAPI document: its enums of document types
    for doc_type in DOC_TYPES:
        assert f'"{doc_type}"' in text, doc_type
        assert doc_type in DOC_TYPE_LABELS and doc_type in TYPE_COLOURS
        assert f".type-{doc_type} " in STATIC.read_text(), doc_type
    api = client.get("/api/v1/items?type=executive-order").get_json()
    assert [i["title"] for i in api["items"]] == ["Example Order on Testing Types"]
    # Untagged, so off the front page (it leads with the tracked fight); the
    # index of every item still labels each by its type.
    items = client.get("/items").get_data(as_text=True)
    assert "Executive order" in items and "Proclamation" in items
