"""Event grouping in short transactions that let other writers in between.

Placing 200,000 waiting items in one transaction held SQLite's write lock for
many minutes: `tracker create-user` failed with "database is locked" and
`tracker serve` could not start. Here each batch of waiting items is placed
in its own transaction, which takes the write lock first (`write_scope`) and
commits. On SQLite the loop then pauses a moment when another writer says it
waits for the lock (`engine.writers_waiting`), since a waiting writer only
retries every 100 ms or so and would otherwise lose every race for the lock;
nobody waiting, it goes straight on. A writer that does not say it waits (one
outside `take_write_lock`) is let in by a pause after every `SQLITE_HOLD`
seconds of grouping.

Which event an item joins is decided by `assign_pending`, oldest items first;
batches of a fixed size make the same decisions whoever runs them, so two
processes placing at once build what one would.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker.models import Item
from tracker.store.engine import session_scope, writers_waiting
from tracker.store.events import assign_pending
from tracker.store.locks import write_scope

# SQLite's busy handler sleeps up to 100 ms between tries: a gap this long
# between two batches lets one waiting writer in.
SQLITE_YIELD = 0.12
# Grouping this long without a pause pauses anyway, for writers nobody sees waiting.
SQLITE_HOLD = 2.0


def pending_count(engine: Engine) -> int:
    """How many items wait to be placed into events."""
    with session_scope(engine) as session:
        return session.exec(
            select(sa.func.count()).select_from(Item).where(Item.event_id == None)  # noqa: E711
        ).one()


def place_pending(
    engine: Engine, batch_size: int, progress: Callable[[int], None] | None = None
) -> int:
    """Place every waiting item, `batch_size` per transaction; returns how many.

    Safe to run from several processes at once and to kill at any point: a
    batch is placed whole or not at all, and the next run goes on from there.
    """
    placed = 0
    since_pause = time.monotonic()
    while True:
        with write_scope(engine) as session:
            done = assign_pending(session, limit=batch_size)
        placed += done
        if progress and done:
            progress(placed)
        if done < batch_size:  # none left waiting (what arrives since, its own run places)
            return placed
        if engine.dialect.name == "sqlite" and (
            writers_waiting(engine) or time.monotonic() - since_pause > SQLITE_HOLD
        ):
            time.sleep(SQLITE_YIELD)
            since_pause = time.monotonic()
