"""Kept aggregates saved in the database, so a process need not count them from scratch.

Each process keeps its aggregates in memory (`memo.kept_up`). Counting one
from scratch reads every item of a listing (seconds at a million items), and
every gunicorn worker would pay that once per aggregate. So whenever a process
counts or brings one up to date it saves it here — its parts, and the sequence
number and deletion count it was counted at — and a process without it in
memory loads it and counts only the parts changed since, as `kept_up` does
with its own copy.

- Saving happens on a thread of its own, in short transactions of its own, never
  inside a request's (or a writer's) transaction; a newer save is never
  overwritten by an older one. The thread waits until no save was asked for
  `QUIET` seconds (at most `LATEST` after the first): encoding a large aggregate
  holds the interpreter, and the request that asked for it is still answering.
  Failures are logged and harmless: the process counts for itself, as before.
- An aggregate larger than `MAX_BYTES` compressed is not saved; the table keeps
  the `MAX_ROWS` most recently saved or loaded aggregates.
- The key includes the format versions of its kind (`kept_formats`): a release
  that does not change what a kind's parts mean reads what an earlier one
  saved (and recounts only what changed since); one that does bumps the
  version, and that kind's older saves are never read. A kind with no version
  is never saved.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import weakref
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from tracker.models import KeptAggregate, table_of
from tracker.store import kept_codec, kept_formats

log = logging.getLogger(__name__)

MAX_BYTES = 2_000_000  # a larger aggregate (compressed) is counted by each process
MAX_ROWS = 2000  # aggregates kept in the table, the most recently used
PRUNE_EVERY = 100  # saves between two prunings of the table
QUIET = 0.15  # seconds without a new save before the thread writes what is pending
LATEST = 1.0  # ... but no later than this after the first of them

Kept = tuple[int, int, Any]  # (sequence number, deletions, value)


def load(engine: Engine, key: Hashable) -> Kept | None:
    """The saved aggregate for `key`, or None (none saved, or unreadable)."""
    table = table_of(KeptAggregate).c
    try:
        digest = _digest(key)
    except (TypeError, ValueError):  # a kind with no version, or a key JSON cannot hold
        return None
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(table.seq, table.deletions, table.body).where(table.key == digest)
            ).first()
        if row is None:
            return None
        value = kept_codec.loads(row.body)
    except Exception:  # any failure: count afresh, as before
        log.warning("could not load kept aggregate %r", key, exc_info=True)
        return None
    _writer.put(engine, digest, None)  # used: kept in the table a while longer
    return int(row.seq), int(row.deletions), value


def save(engine: Engine, key: Hashable, seq: int, deletions: int, value: Any) -> None:
    """Save the aggregate for `key` as counted at (seq, deletions), soon, on the
    saving thread (kept values are never changed in place); one too large or of a
    kind JSON cannot hold is not saved."""
    try:
        digest = _digest(key)
    except (TypeError, ValueError):
        log.warning("kept aggregate %r cannot be saved", key, exc_info=True)
        return
    _writer.put(engine, digest, (seq, deletions, value))


def flush(timeout: float = 10.0) -> bool:
    """Wait until every save asked for so far is written (tests); False on timeout."""
    return _writer.idle(timeout)


def _digest(key: Hashable) -> str:
    text = f"{kept_formats.mark(key)}\n{kept_codec.key_text(key)}"
    return hashlib.sha256(text.encode()).hexdigest()


Pending = tuple[int, int, Any] | None  # a save, or None: mark as used


class _Writer:
    """Writes saves on a thread of its own; the latest save of a key wins."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._pending: dict[tuple[int, str], tuple[Engine, Pending]] = {}
        self._busy = False
        self._pid = -1
        self._saves = 0
        self._puts = 0  # saves asked for so far: the thread waits until it stays put
        self._hurry = 0  # callers waiting in `idle`: the thread writes at once

    def put(self, engine: Engine, digest: str, row: Pending) -> None:
        with self._lock:
            if self._pid != os.getpid():  # a new process (forked): its own thread
                self._pid = os.getpid()
                self._pending.clear()
                self._busy = False
                threading.Thread(target=self._run, name="kept-store", daemon=True).start()
            _gone.discard(engine)  # in use again
            if not sa.event.contains(engine, "engine_disposed", _disposed):
                sa.event.listen(engine, "engine_disposed", _disposed)
            slot = (id(engine), digest)
            if row is None and slot in self._pending:
                return  # a save is pending: it marks the row used too
            self._pending[slot] = (engine, row)
            self._puts += 1
            self._lock.notify_all()

    def drop(self, engine: Engine, timeout: float) -> None:
        """Forget the saves pending for `engine` and wait for the one being written."""
        with self._lock:
            self._pending = {k: v for k, v in self._pending.items() if v[0] is not engine}
        self.idle(timeout)

    def idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            self._hurry += 1
            self._lock.notify_all()
            try:
                while self._pending or self._busy:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._lock.wait(left)
            finally:
                self._hurry -= 1
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._pending:
                    self._lock.wait()
                self._settle()
                batch, self._pending = self._pending, {}
                self._busy = True
            try:
                self._write_all(batch)
            finally:
                batch = {}  # no engine held while waiting: it may be closed and dropped
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()

    def _settle(self) -> None:
        """Wait (the condition's lock released meanwhile) until no save came for
        `QUIET` seconds or `LATEST` passed; not at all while someone waits in `idle`."""
        first = time.monotonic()
        while not self._hurry:
            seen = self._puts
            left = min(QUIET, first + LATEST - time.monotonic())
            if left <= 0:
                return
            self._lock.wait(left)
            if self._puts == seen:
                return

    def _write_all(self, batch: dict[tuple[int, str], tuple[Engine, Pending]]) -> None:
        for (_, digest), (engine, row) in batch.items():
            _write(engine, digest, row)
            self._saves += row is not None
            if row is not None and self._saves % PRUNE_EVERY == 0:
                _prune(engine)


_writer = _Writer()


# Engines closed (`Engine.dispose`) since their last save was asked for.
_gone: weakref.WeakSet[Engine] = weakref.WeakSet()


def _disposed(engine: Engine) -> None:
    """A closed engine's saves are dropped: none opens a connection after it closed."""
    _gone.add(engine)
    _writer.drop(engine, 5.0)


@contextmanager
def _transaction(engine: Engine) -> Iterator[sa.Connection]:
    """`engine.begin()`, but a connection of an engine closed meanwhile is closed
    too: it would go back to the pool the engine let go of, open until collected
    (saves wait for the request to end, so one may still be written as it closes)."""
    with engine.connect() as conn:
        try:
            with conn.begin():
                yield conn
        finally:
            if engine in _gone:
                conn.invalidate()


def _write(engine: Engine, digest: str, row: Pending) -> None:
    """One save (kept only if newer than the saved one) or mark of use, in its own
    short transaction; a failure is logged."""
    table = table_of(KeptAggregate)
    now = int(time.time())
    try:
        with _transaction(engine) as conn:
            if row is None:
                conn.execute(table.update().where(table.c.key == digest).values(used_at=now))
                return
            seq, deletions, value = row
            body = kept_codec.dumps(value)
            if len(body) > MAX_BYTES:
                log.info("kept aggregate %s not saved: %d bytes", digest, len(body))
                return
            values = {"key": digest, "seq": seq, "deletions": deletions, "body": body}
            insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)
            stmt = insert.values(**values, used_at=now)
            newer = sa.or_(
                stmt.excluded.deletions > table.c.deletions,
                sa.and_(
                    stmt.excluded.deletions == table.c.deletions, stmt.excluded.seq > table.c.seq
                ),
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["key"],
                    set_={
                        "seq": stmt.excluded.seq,
                        "deletions": stmt.excluded.deletions,
                        "body": stmt.excluded.body,
                        "used_at": stmt.excluded.used_at,
                    },
                    where=newer,
                )
            )
    except Exception:  # harmless: processes count for themselves
        log.warning("could not save kept aggregate %s", digest, exc_info=True)


def _prune(engine: Engine) -> None:
    """Drop all but the `MAX_ROWS` most recently used aggregates."""
    table = table_of(KeptAggregate)
    cutoff = (
        sa.select(table.c.used_at)
        .order_by(table.c.used_at.desc())
        .limit(1)
        .offset(MAX_ROWS)
        .scalar_subquery()
    )
    try:
        with _transaction(engine) as conn:
            conn.execute(table.delete().where(table.c.used_at <= cutoff))
    except Exception:
        log.warning("could not prune kept aggregates", exc_info=True)
