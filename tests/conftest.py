"""Fixture chain: settings → engine (SQLite or PostgreSQL) → pipeline → app → client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tracker.pipeline import Pipeline

from tracker.config import Settings
from tracker.store import kept_store
from tracker.store.engine import make_engine

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
SHARED_FIXTURES = TESTS.parent.parent / "shared" / "fixtures"
LOTS = "100000/minute"
PG_URL = os.environ.get("TRACKER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def make_settings(home: Path, database_url: str | None = None, **overrides: object) -> Settings:
    """Settings for a test: everything under `home`, nothing from the environment."""
    env = {"TRACKER_HOME": str(home), "TRACKER_ALLOW_PRIVATE_FETCH": "1"}
    if database_url:
        env["TRACKER_DATABASE_URL"] = database_url
    # A test module sends hundreds of listing requests from one address in a
    # minute; test_limits.py sets the limits it tests.
    # A host's gap is also the pause before a fetch's retry: short in tests.
    overrides = {"rate_listing": LOTS, "rate_export": LOTS, "host_gap": 0.1, **overrides}
    return Settings.from_env(env, **overrides)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is required for the store tests ({PG_URL}): {exc}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def any_settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def engine(any_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(any_settings)
    yield engine
    kept_store.flush()  # kept aggregates saved before the engine closes
    engine.dispose()


@pytest.fixture
def pipeline(any_settings: Settings, engine: Engine) -> Pipeline:
    """A pipeline on a migrated, empty database with the real taxonomy and sources."""

    from tracker.pipeline import Pipeline

    p = Pipeline(any_settings, engine)
    p.init()
    return p


@pytest.fixture
def sqlite_pipeline(settings: Settings) -> Iterator[Pipeline]:

    from tracker.pipeline import Pipeline

    p = Pipeline(settings)
    p.init()
    yield p
    p.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for one module's page tests (tests/live_site.py)."""
    from live_site import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(params=["1280px", "390px"])
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh tab at a desktop's and at a phone's width, for each test that asks."""
    from live_site import DESKTOP, PHONE, open_tab

    with open_tab(browser, {"1280px": DESKTOP, "390px": PHONE}[request.param]) as page:
        yield page
