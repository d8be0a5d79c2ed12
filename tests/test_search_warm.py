"""A worker opens the index before its first reader: `search.warm` and `web.warm_up`.

A fresh process (each gunicorn worker) used to pay for opening the index, the
taxonomy and every per-generation cache inside its first search. Warmed, the
first search finds the generation open and its caches filled; a home with no
index, a damaged index or no database yet still starts.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from sqlalchemy.engine import Engine
from test_search import CORPUS, new_home, store_docs
from test_search_healing import _forget_open_indexes, _toc

from tracker import search
from tracker.config import Settings
from tracker.search.snapshot import live_index
from tracker.web import create_app, warm_up


@pytest.fixture
def home(tmp_path: Path) -> Iterator[tuple[Settings, Engine]]:
    settings, engine = new_home(tmp_path)
    store_docs(engine, CORPUS)
    search.catch_up(settings, engine)
    _forget_open_indexes()
    yield settings, engine
    engine.dispose()
    _forget_open_indexes()


def test_warming_opens_the_index_and_fills_what_searches_keep(home) -> None:
    settings, _engine = home
    assert search.warm(settings) is not None
    live = live_index(settings.index_dir)
    snap = live.snapshot()
    assert snap is not None and {"vocabulary", "terms"} <= snap.memo.keys()
    assert snap.masks("topics") and len(snap.column("minute")) == snap.size
    # The first search uses the generation opened, and finds what it should.
    found = search.search(settings, "Qwen", collapse=True)
    assert live.snapshot() is snap
    assert found.total == 2 and found.cards and found.cards[0].name == "Qwen"


def test_warming_without_a_usable_index_leaves_it_to_the_first_search(
    home, caplog: pytest.LogCaptureFixture
) -> None:
    settings, _engine = home
    _toc(settings.index_dir).write_bytes(b"not a table of contents")
    with caplog.at_level(logging.INFO, logger="tracker.search"):
        assert search.warm(settings) is None
    assert "not warmed" in caplog.text
    # The search heals the index as it always did.
    assert search.search(settings, "qwen").total == 2
    empty = make_settings(settings.home.parent / "empty")
    assert search.warm(empty) is None


def test_a_worker_starts_warm_even_before_its_database_exists(home, tmp_path: Path) -> None:
    settings, _engine = home
    try:
        app = create_app({"SETTINGS": settings, "TESTING": True})
        warm_up(app)
        assert live_index(settings.index_dir).snapshot() is not None
        html = app.test_client().get("/search?q=qwen").get_data(as_text=True)
        assert html.count('class="card hit"') == 2
        bare = make_settings(tmp_path / "bare")  # no migration has run there
        warm_up(create_app({"SETTINGS": bare, "TESTING": True}))
    finally:
        gc.unfreeze()  # the test process goes on collecting as before
