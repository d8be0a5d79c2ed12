"""Event grouping pauses between its batches only for a writer that waits (issue 14).

On SQLite every pause used to cost 0.12 s per batch of a large ingest whether
or not anyone waited. A writer waiting for the lock in `take_write_lock` now
says so (a shared lock on a file beside the database) and grouping pauses only
then, or after `SQLITE_HOLD` seconds of holding on; PostgreSQL never paused.
Real databases and real locks; a thread stands in for the other process (the
file locks are per open file, so it waits and is seen as another would be).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from feed_maker import write_feed
from sqlalchemy.engine import Engine

from tracker.pipeline import Pipeline
from tracker.store import event_batches
from tracker.store.engine import session_scope, take_write_lock, waiting_for_lock, writers_waiting
from tracker.store.event_batches import pending_count, place_pending


def sqlite_path(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def test_a_writer_waiting_for_the_lock_is_seen_and_one_that_got_it_is_not(
    sqlite_pipeline: Pipeline,
) -> None:
    engine = sqlite_pipeline.engine
    assert not writers_waiting(engine)
    holder = sqlite3.connect(sqlite_path(engine), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    got_in = threading.Event()

    def writer() -> None:
        with session_scope(engine) as session:
            take_write_lock(session.connection())
            got_in.set()

    waiting = threading.Thread(target=writer)
    waiting.start()
    try:
        deadline = time.monotonic() + 10
        while not writers_waiting(engine):
            assert time.monotonic() < deadline, "the waiting writer was never seen"
            time.sleep(0.01)
        assert not got_in.is_set()
    finally:
        holder.execute("COMMIT")
        holder.close()
        waiting.join(timeout=30)
    assert got_in.is_set()
    assert not writers_waiting(engine)  # it has the lock now: nobody waits


def count_pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    pauses: list[float] = []
    monkeypatch.setattr(event_batches.time, "sleep", pauses.append)
    return pauses


def store_feed(pipeline: Pipeline, tmp_path: Path, entries: int) -> None:
    feed = write_feed(tmp_path / "feed.xml", entries)
    assert pipeline.ingest_file(feed, "wire", None).status == "ok"
    assert pending_count(pipeline.engine) == entries


def test_nobody_waiting_grouping_places_every_batch_without_a_pause(
    pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_feed(pipeline, tmp_path, 60)
    pauses = count_pauses(monkeypatch)
    # No writer waits, and no batch holds on "long": on a loaded machine six
    # batches can take more than SQLITE_HOLD, which is the next test's case.
    monkeypatch.setattr(event_batches, "SQLITE_HOLD", float("inf"))
    assert place_pending(pipeline.engine, 10) == 60
    assert pauses == []
    assert pending_count(pipeline.engine) == 0


def test_a_waiting_writer_gets_a_pause_after_each_batch(
    sqlite_pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_feed(sqlite_pipeline, tmp_path, 60)
    pauses = count_pauses(monkeypatch)
    with waiting_for_lock(sqlite_pipeline.engine):  # as a writer stuck in BEGIN IMMEDIATE
        assert place_pending(sqlite_pipeline.engine, 10) == 60
    # Six full batches are each followed by one; the seventh finds nothing left.
    assert pauses == [event_batches.SQLITE_YIELD] * 6


def test_a_writer_that_does_not_say_it_waits_still_gets_a_pause_now_and_then(
    sqlite_pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_feed(sqlite_pipeline, tmp_path, 60)
    pauses = count_pauses(monkeypatch)
    monkeypatch.setattr(event_batches, "SQLITE_HOLD", 0.0)  # every batch has held on "long"
    assert place_pending(sqlite_pipeline.engine, 10) == 60
    assert pauses == [event_batches.SQLITE_YIELD] * 6
