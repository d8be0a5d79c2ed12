"""The first pages: the demo corpus loads and the site shows it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("demo"))
    pipeline = Pipeline(settings)
    pipeline.init()
    outcomes = pipeline.load_demo()
    assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
    app = create_app({"SETTINGS": settings, "TESTING": True})
    app.extensions["demo.pipeline"] = pipeline
    yield app
    pipeline.engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def test_the_demo_snapshot_loads_the_story_and_its_lookalikes(demo_app: Flask) -> None:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        items = session.exec(select(Item)).all()
    assert len(items) == 21 + 14  # the rows of tests/data/demo_facts.toml and 14 lookalikes
    assert all(item.sample for item in items)


def test_a_type_lists_its_items_newest_first(client: FlaskClient) -> None:
    page = client.get("/types/news").get_data(as_text=True)
    assert "<h1>News</h1>" in page and ">Demo snapshot</span>" in page
    events = page.split('id="events-title"', 1)[1]
    dates = re.findall(r'<p class="meta">\s*<time datetime="([^"]+)"', events)
    assert len(dates) >= 20 and dates == sorted(dates, reverse=True)


def test_item_page_shows_source_date_type_and_summary(client: FlaskClient) -> None:
    home = client.get("/topics/distillation").get_data(as_text=True)
    first = re.search(r'href="(/items/\d+)"', home)
    assert first is not None
    page = client.get(first.group(1)).get_data(as_text=True)
    assert "Demo snapshot: " in page and "<time" in page and 'class="badge type-' in page
    assert 'class="summary"' in page


def test_the_letter_is_on_alibabas_timeline_with_its_tags(client: FlaskClient) -> None:
    page = client.get("/entities/alibaba").get_data(as_text=True)
    assert "Letter to Senate Banking Chair Tim Scott" in page and 'href="/entities/alibaba"' in page


def test_unknown_item_is_a_404_in_the_site_layout(client: FlaskClient) -> None:
    response = client.get("/items/999999")
    assert response.status_code == 404
    assert "Policy Tracker" in response.get_data(as_text=True)


def test_sources_page_lists_sources_with_counts(client: FlaskClient) -> None:
    page = client.get("/sources").get_data(as_text=True)
    assert "Demo snapshot: " in page and "Federal Register" in page
