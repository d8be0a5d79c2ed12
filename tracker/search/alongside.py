"""Indexing on the second core while this process groups a large ingest into events.

After a big ingest, grouping (one process: its decisions depend on order)
and indexing ran one after the other, each on one core. Indexed before it
is grouped, an item is indexed again once it has its event, since search
folds results by event. So a helper process indexes only items already
grouped, batch by batch as grouping commits them, while grouping goes on.

The helper never moves the index's state document (the sequence number up
to which everything is indexed): items still waiting to be grouped sit
below the ones it indexes, so it could not say that everything below is
done. It only adds documents, which a consistent index may hold ahead of
its state. The catch-up after grouping then goes from the state as before,
skipping the items the index already holds at their current sequence
number (`follow(..., skip_present=True)`), and writes the state.

Every failure stays inside the helper: it stops, and the catch-up indexes
what it left. Killed at any moment, it leaves the index as a whoosh commit
does, whole or not at all; it stops on its own when the process that
started it is gone.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.gcpause import gc_paused
from tracker.search.schema import document
from tracker.search.storage import IndexBusy, index_writer, open_index, open_or_create, read_state
from tracker.store.engine import make_engine, session_scope
from tracker.store.event_batches import pending_count
from tracker.store.indexing import grouped_since, items_since

# Below this many items waiting for grouping, a helper costs more than it saves.
ALONGSIDE_FROM = 1000
# Items a commit holds: each commit costs a segment and a searcher more.
BATCH = 1000
# How long the helper waits for the index lock before trying again later (a
# web process catching up holds it), and between looks for newly grouped items.
LOCK_WAIT = 1.0
POLL = 0.5
# How long grouping's end waits for the helper to finish its batch.
JOIN_TIMEOUT = 60.0


@dataclass
class Helper:
    """What the catch-up after grouping needs to know: whether a helper indexed."""

    started: bool = False


@contextmanager
def index_alongside(settings: Settings, engine: Engine, enabled: bool = True) -> Iterator[Helper]:
    """Run an indexing helper process for the block when much waits to be grouped."""
    helper = Helper()
    if not enabled or not _worth_it(settings, engine):
        yield helper
        return
    ctx: Any = multiprocessing.get_context("fork")
    stop = ctx.Event()
    process = ctx.Process(
        target=_run, args=(settings, stop, os.getpid()), daemon=True, name="tracker-index-alongside"
    )
    process.start()
    helper.started = True
    try:
        yield helper
    finally:
        stop.set()
        process.join(JOIN_TIMEOUT)
        if process.is_alive():  # stuck: its uncommitted batch is simply lost
            process.kill()
            process.join()


def _worth_it(settings: Settings, engine: Engine) -> bool:
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        ix = open_index(settings.index_dir)  # None: none yet, the helper makes it
        if ix is not None:
            with ix.searcher() as searcher:
                if not read_state(searcher).current:
                    return False  # a rebuild's business, not a catch-up's
    except Exception:  # an unreadable index: the catch-up rebuilds it
        return False
    return pending_count(engine) >= ALONGSIDE_FROM


def _run(settings: Settings, stop: Any, parent: int) -> None:
    """The helper: index grouped items as they are committed, until told to stop."""
    # What it inherited from the parent lives as long as it does: left out of
    # collections, which would walk (and copy) every page of it.
    gc.freeze()
    engine = make_engine(settings)
    try:
        ix = open_or_create(settings.index_dir)
        with ix.searcher() as searcher:
            cursor = read_state(searcher).seq
        while not stop.is_set() and os.getppid() == parent:
            indexed = _index_batch(ix, engine, cursor)
            if indexed is None:
                stop.wait(POLL)
            else:
                cursor = indexed
    except (KeyboardInterrupt, Exception):  # the catch-up after grouping does its work
        return
    finally:
        engine.dispose()


@gc_paused()
def _index_batch(ix: Any, engine: Engine, cursor: int) -> int | None:
    """Index the next grouped items above `cursor`; the last seq indexed, or None."""
    with session_scope(engine) as session:
        # Looked at often: a count of the grouped items ahead first, the items
        # themselves only when a full batch waits (what is left at the end,
        # the catch-up does).
        if grouped_since(session, cursor, BATCH) < BATCH:
            return None
        docs = items_since(session, cursor, BATCH, grouped=True)
    try:
        with index_writer(ix, LOCK_WAIT) as writer:
            for doc in docs:
                writer.update_document(**document(doc))
            writer.commit(merge=False)  # the catch-up after merges, if need be
    except IndexBusy:
        return None  # another writer has it: look again later
    return docs[-1].seq
