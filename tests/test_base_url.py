"""A forged Host header: with TRACKER_BASE_URL no response carries it; without, none
that carries it may be kept by a shared cache."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from flask import Flask
from flask.testing import FlaskClient

from tracker.config import ConfigError, Settings
from tracker.pipeline import Pipeline
from tracker.web import create_app

SITE = "https://tracker.example.org"
EVIL = "evil.example"
# Every answer that holds absolute links: each feed format, OPML, the API.
LINKED = [
    "/items.rss",
    "/topics/distillation.atom",
    "/entities/alibaba.json",
    "/types/letter.csv",
    "/search.rss?q=qwen",
    "/feeds.opml",
    "/feeds",
    "/api/v1/items?topic=distillation",
    "/api/v1/topics",
    "/api/v1/bills",
]
RELATIVE = {"/feeds", "/types/letter.csv"}  # links within the site, and letters' own URLs


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    pipeline = Pipeline(make_settings(tmp_path_factory.mktemp("host")))
    pipeline.init()
    assert all(o.status == "ok" for o in pipeline.load_demo())
    pipeline.settle()
    yield pipeline
    pipeline.engine.dispose()


def _app(pipeline: Pipeline, base_url: str) -> Flask:
    settings = pipeline.settings
    if base_url:
        settings = dataclasses.replace(settings, base_url=base_url)
    return create_app({"SETTINGS": settings, "TESTING": True, "VERSION_TTL": 0})


@pytest.fixture(scope="module")
def configured(demo: Pipeline) -> Iterator[FlaskClient]:
    app = _app(demo, SITE)
    yield app.test_client()
    app.extensions["tracker.engine"].dispose()


@pytest.fixture(scope="module")
def unconfigured(demo: Pipeline) -> Iterator[FlaskClient]:
    app = _app(demo, "")
    yield app.test_client()
    app.extensions["tracker.engine"].dispose()


def _hostile(client: FlaskClient, url: str) -> tuple[str, str]:
    response = client.get(url, base_url=f"http://{EVIL}")
    assert response.status_code == 200, url
    return response.get_data(as_text=True), response.headers["Cache-Control"]


@pytest.mark.parametrize("url", LINKED)
def test_with_a_base_url_a_forged_host_never_reaches_a_body(
    configured: FlaskClient, url: str
) -> None:
    body, cache = _hostile(configured, url)
    assert EVIL not in body
    if url not in RELATIVE:
        assert SITE in body  # the links are there, on the configured address
    assert cache == "public, max-age=300"


def test_with_a_base_url_the_next_page_and_the_citation_use_it(configured: FlaskClient) -> None:
    response = configured.get("/items.csv", base_url=f"http://{EVIL}")
    assert EVIL not in response.headers.get("Link", "") + response.get_data(as_text=True)
    page = configured.get("/items.json", base_url=f"http://{EVIL}").get_json()
    assert page["feed_url"].startswith(SITE) and page["home_page_url"].startswith(SITE)
    api = configured.get("/api/v1/items?per_page=1", base_url=f"http://{EVIL}").get_json()
    assert api["next"] == f"{SITE}/api/v1/items?per_page=1&page=2"
    item = configured.get("/api/v1/items?per_page=1").get_json()["items"][0]["id"]
    html = configured.get(f"/items/{item}", base_url=f"http://{EVIL}").get_data(as_text=True)
    assert EVIL not in html


@pytest.mark.parametrize("url", LINKED)
def test_without_a_base_url_a_body_built_for_a_forged_host_is_never_public(
    unconfigured: FlaskClient, url: str
) -> None:
    _body, cache = _hostile(unconfigured, url)
    assert cache == "private, max-age=300"
    assert "public" not in cache
    # The requester alone sees links to the host it named; its 304s stay private too.
    etag = unconfigured.get(url, base_url=f"http://{EVIL}").headers["ETag"]
    again = unconfigured.get(url, base_url=f"http://{EVIL}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "private, max-age=300"


def test_without_a_base_url_each_host_gets_its_own_etag(unconfigured: FlaskClient) -> None:
    one = unconfigured.get("/items.atom", base_url=f"http://{EVIL}").headers["ETag"]
    other = unconfigured.get("/items.atom", base_url="http://localhost").headers["ETag"]
    assert one != other


def test_a_staff_form_behind_a_proxy_is_accepted_from_the_configured_origin(
    demo: Pipeline,
) -> None:
    app = _app(demo, SITE)
    client = app.test_client()
    page = client.get("/login", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"csrf_token": token, "username": "nobody", "password": "x"}
    for origin, status in ((SITE, 200), (f"https://{EVIL}", 400), ("null", 400)):
        response = client.post("/login", data=data, base_url="http://127.0.0.1:8000",
                               headers={"Origin": origin})  # fmt: skip
        assert response.status_code == status, origin
    app.extensions["tracker.engine"].dispose()


@pytest.mark.parametrize(
    "value", ["tracker.example.org", "ftp://tracker.example.org", "https://", "https://x.org/?a=1"]
)
def test_a_base_url_that_is_not_an_address_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="TRACKER_BASE_URL"):
        Settings.from_env({"TRACKER_HOME": str(tmp_path), "TRACKER_BASE_URL": value})


def test_a_base_url_loses_its_trailing_slash(tmp_path: Path) -> None:
    env = {"TRACKER_HOME": str(tmp_path), "TRACKER_BASE_URL": "https://t.example.org/news/"}
    assert Settings.from_env(env).base_url == "https://t.example.org/news"
