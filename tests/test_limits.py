"""Rate limits on listings, searches, exports, the API and login: 429 with Retry-After,
memory or Redis; and the bounded cost of one request."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
from conftest import make_settings

from tracker import search
from tracker.pipeline import Pipeline
from tracker.web import create_app, feeds
from tracker.web.csv_export import HEADER


@pytest.fixture(params=["memory", "redis"])
def limited_app(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    redis = ""
    if request.param == "redis":
        # A fresh database number is not needed: keys carry the endpoint; a
        # unique client address per test keeps runs apart.
        redis = "redis://127.0.0.1:6379/0"
    settings = make_settings(
        tmp_path, redis_url=redis, rate_search="3/minute", rate_api="3/minute",
        rate_login="2/minute",
    )  # fmt: skip
    Pipeline(settings).init()
    app = create_app({"SETTINGS": settings, "TESTING": True})
    app.config["CLIENT_ADDR"] = f"127.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    yield app
    storage = app.extensions["tracker.limiter"]._storage
    if redis:
        storage.storage.connection_pool.disconnect()


def hit(app, path: str, method: str = "GET", data: dict | None = None):  # type: ignore[no-untyped-def]
    client = app.test_client()
    env = {"REMOTE_ADDR": app.config["CLIENT_ADDR"]}
    if method == "POST":
        return client.post(path, data=data or {}, environ_base=env)
    return client.get(path, environ_base=env)


@pytest.mark.parametrize("path", ["/search?q=alibaba", "/api/v1/items"])
def test_over_the_limit_is_429_with_retry_after(limited_app, path: str) -> None:  # type: ignore[no-untyped-def]
    statuses = [hit(limited_app, path).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    last = hit(limited_app, path)
    assert last.status_code == 429 and 0 < int(last.headers["Retry-After"]) <= 60


def test_pages_are_not_limited(limited_app) -> None:  # type: ignore[no-untyped-def]
    assert all(hit(limited_app, "/").status_code == 200 for _ in range(6))


def test_login_attempts_are_limited(limited_app) -> None:  # type: ignore[no-untyped-def]
    codes = [hit(limited_app, "/login", "POST", {"username": "x", "password": "y"}).status_code
             for _ in range(3)]  # fmt: skip
    assert codes[-1] == 429


# Listings, searches and exports: every format shares its page's limit


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus and its search index, shared by the apps below."""
    home = tmp_path_factory.mktemp("limits-demo")
    pipeline = Pipeline(make_settings(home))
    pipeline.init()
    assert all(o.status == "ok" for o in pipeline.load_demo())
    pipeline.settle()
    search.catch_up(pipeline.settings, pipeline.engine)
    pipeline.engine.dispose()
    return home


@pytest.fixture(params=["memory", "redis"])
def listing_app(request: pytest.FixtureRequest, demo_home: Path):  # type: ignore[no-untyped-def]
    redis = "redis://127.0.0.1:6379/0" if request.param == "redis" else ""
    settings = make_settings(demo_home, redis_url=redis, rate_search="3/minute",
                             rate_listing="4/minute", rate_export="2/minute")  # fmt: skip
    app = create_app({"SETTINGS": settings, "TESTING": True})
    app.config["CLIENT_ADDR"] = f"127.1.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    yield app
    if redis:
        app.extensions["tracker.limiter"]._storage.storage.connection_pool.disconnect()
    app.extensions["tracker.engine"].dispose()


def statuses(app, *paths: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [hit(app, path).status_code for path in paths]


def test_every_format_of_a_listing_shares_its_limit(listing_app) -> None:  # type: ignore[no-untyped-def]
    formats = ["/topics/distillation", "/topics/distillation.rss",
               "/api/v1/timelines/topics/distillation", "/topics/distillation.json"]  # fmt: skip
    served = statuses(listing_app, *formats)
    assert served == [200, 200, 200, 200]
    refused = statuses(listing_app, "/topics/distillation.atom", "/topics/distillation",
                       "/api/v1/items?topic=distillation", "/entities/alibaba.csv")  # fmt: skip
    assert refused == [429, 429, 429, 429]
    assert hit(listing_app, "/search?q=qwen").status_code == 200  # another limit


def test_a_304_costs_a_poll_nothing(listing_app) -> None:  # type: ignore[no-untyped-def]
    etag = hit(listing_app, "/topics/distillation.rss").headers["ETag"]
    client = listing_app.test_client()
    env = {"REMOTE_ADDR": listing_app.config["CLIENT_ADDR"]}
    polls = [client.get("/topics/distillation.rss", headers={"If-None-Match": etag},
                        environ_base=env).status_code for _ in range(10)]  # fmt: skip
    assert polls == [304] * 10
    assert statuses(listing_app, *["/topics/distillation.rss"] * 4) == [200, 200, 200, 429]


def test_every_format_of_a_search_shares_the_search_limit(listing_app) -> None:  # type: ignore[no-untyped-def]
    served = statuses(listing_app, "/search?q=qwen", "/search.json?q=qwen", "/api/v1/items?q=qwen")
    assert served == [200, 200, 200]
    refused = statuses(listing_app, "/search.csv?q=qwen", "/search.rss?q=qwen", "/search?q=chips",
                       "/api/v1/items?q=chips")  # fmt: skip
    assert refused == [429, 429, 429, 429]
    assert hit(listing_app, "/api/v1/items?topic=distillation").status_code == 200


def test_csv_exports_have_a_limit_of_their_own(listing_app) -> None:  # type: ignore[no-untyped-def]
    assert statuses(listing_app, "/items.csv", "/topics/distillation.csv") == [200, 200]
    assert statuses(listing_app, "/entities/alibaba.csv", "/search.csv?q=qwen") == [429, 429]
    # The refused exports did not use up the listing limit: two of four are left.
    assert statuses(listing_app, "/entities/alibaba.rss", "/entities/alibaba") == [200, 200]


# The cost of one request is bounded


@pytest.fixture
def open_app(demo_home: Path):  # type: ignore[no-untyped-def]
    app = create_app({"SETTINGS": make_settings(demo_home), "TESTING": True})
    yield app
    app.extensions["tracker.engine"].dispose()


ID = HEADER.index("id")


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))[1:]


def test_a_csv_export_is_streamed_capped_and_says_where_the_rest_is(
    open_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "CSV_ROWS", 7)
    client = open_app.test_client()
    first = client.get("/items.csv", buffered=False)
    assert first.is_streamed
    rows = _csv(first)
    assert len(rows) == 7
    assert "stops after 7 rows" in first.headers["X-Export-Truncated"]
    assert "from= and to=" in first.headers["X-Export-Truncated"]
    following = first.headers["Link"].split(">")[0].lstrip("<")
    assert following == "http://localhost/items.csv?page=2"
    second = _csv(client.get(following))
    assert len(second) == 7 and not {r[ID] for r in rows} & {r[ID] for r in second}
    listed = client.get("/api/v1/items?per_page=14").get_json()["items"]
    assert [r[ID] for r in rows + second] == [str(x["id"]) for x in listed]  # newest first
    last = client.get("/items.csv?page=100")
    assert _csv(last) == [] and "X-Export-Truncated" not in last.headers


def test_a_search_export_runs_one_search_per_request(
    open_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = feeds.search

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["per_page"])
        return real(*args, **kwargs)

    monkeypatch.setattr(feeds, "search", counted)
    monkeypatch.setattr(feeds, "SEARCH_CSV_ROWS", 5)
    client = open_app.test_client()
    response = client.get("/search.csv?q=&type=news&type=letter&type=memo")
    assert calls == [5] and len(_csv(response)) == 5
    assert "page=2" in response.headers["Link"] and "X-Export-Truncated" in response.headers
    calls.clear()
    assert client.get("/search.json?q=qwen&page=3").status_code == 200 and len(calls) == 1
