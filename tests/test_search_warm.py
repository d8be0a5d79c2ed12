"""A worker opens the index before its first reader: `search.warm` and `web.warm_up`.

A fresh process (each gunicorn worker) used to pay for opening the index, the
taxonomy and every per-generation cache inside its first search. Warmed, the
first search finds the generation open and its caches filled; a home with no
index, a damaged index or no database yet still starts.
"""

from __future__ import annotations

import gc
import logging
import os
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


def test_a_forked_worker_opens_its_own_index(home) -> None:
    """gunicorn --preload warms the master, then forks: a worker must not read
    through the master's open files (or wait on a lock a master thread held)."""
    settings, _engine = home
    search.warm(settings)
    parent = live_index(settings.index_dir)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: report, then leave without running pytest's teardown
        try:
            child = live_index(settings.index_dir)
            found = search.search(settings, "qwen").total
            os.write(write, f"{child is parent} {found}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    assert answer == "False 2"
    assert live_index(settings.index_dir) is parent  # the master keeps its own


def test_warming_compiles_the_busiest_pages_templates(tmp_path: Path) -> None:
    """A fresh worker's first reader of the home page or a timeline does not wait for
    its template to compile (fails before: only the search page's were compiled)."""
    try:
        app = create_app({"SETTINGS": make_settings(tmp_path / "bare"), "TESTING": True})
        warm_up(app)
        compiled = {name for _, name in app.jinja_env.cache or ()}
        assert {"index.html", "timeline.html", "item.html", "event.html"} <= compiled
    finally:
        gc.unfreeze()
