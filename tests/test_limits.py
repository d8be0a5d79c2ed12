"""Rate limits on search, the API and login: 429 with Retry-After, memory or Redis."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import make_settings

from tracker.pipeline import Pipeline
from tracker.web import create_app


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
