"""Aggregates remembered until any item changes.

A busy topic's chart, item count and co-occurring tags are aggregates over
tens of thousands of rows. Every change to an item (new, updated, retagged)
takes a new, higher sequence number, so while the highest sequence number
stays put none of those aggregates can have moved: they are computed once per
change and then read from memory. New items are placed in events a moment
after they are stored, without a new number, so the count of items still
waiting for an event is part of the head too. Reading the head costs two
index lookups.

Some aggregates are kept up to date instead (`kept_up`): each is kept with the
highest sequence number it was computed at, and on a newer one only what
changed since is recounted (`refresh`). Deletions take no new number of their
own; whatever deletes items adds to the `item_deletions` counter in the same
transaction (`tags.note_deletions`), and a kept aggregate computed before the
counter last moved is computed again in full. Reading the head and the counter
is one statement of two index lookups, however large the store.

A request of the site reads the head once (`reading`): every aggregate it asks
for is then taken at that head, however many it asks for (a timeline asks for a
dozen). An older head is always safe: what is counted after it was read holds
at least what it names, and anything newer is counted again next time.

Whatever a process counts or brings up to date is also saved for the others
(`kept_store`); a process that has an aggregate in neither memory nor a newer
form loads the saved parts and brings them up to date the same way, instead
of counting everything.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import Counter, Item, table_of
from tracker.store import kept_store
from tracker.store.bounded import BoundedLru

DELETIONS = "item_deletions"  # the counter every deletion of items adds to

T = TypeVar("T")
# Bytes of aggregates one process keeps per database, half remembered, half kept up.
MAX_BYTES = 64 * 2**20


class SeqMemo:
    """Answers by key, dropped as soon as the head sequence number moves; thread-safe."""

    def __init__(self, size: int = 1024, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._head: tuple[int, int] = (-1, -1)
        # Each bounded in bytes too: see `tracker.store.bounded`.
        self._known = BoundedLru(size, max_bytes // 2)
        # Aggregates kept up to date: key -> (sequence number and deletions counted
        # when computed, value).
        # A kept aggregate may take half of its share: the home page's week, kept
        # by hour, is some 12 MB at a million items; not kept, every request after
        # a change would load and decode the saved one (0.2 s) before refreshing it.
        self._kept = BoundedLru(size, max_bytes // 2, largest=max_bytes // 4)

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The remembered answer for `key`, or `compute()` remembered for next time."""
        head = heads(session)[::2]  # (sequence number, items waiting)
        with self._lock:
            if head != self._head:
                self._known.clear()
                self._head = head
            if key in self._known:
                return self._known.get(key)  # type: ignore[no-any-return]
        found = compute()
        with self._lock:
            if head == self._head:  # a newer head meanwhile: this answer may be stale
                self._known.put(key, found)
        return found

    def kept_up(
        self,
        session: Session,
        key: Hashable,
        compute: Callable[[], T],
        refresh: Callable[[T, int], T | None],
    ) -> T:
        """The value for `key` at the current head: kept, brought up to date by
        `refresh(kept, seq_it_was_computed_at)` (None: cannot), or `compute()`d."""
        seq, deletions, _ = heads(session)
        with self._lock:
            kept = self._kept.get(key)
        loaded = kept is None
        if kept is None:  # another process may have counted it: start from its parts
            kept = kept_store.load(_engine(session), key)
        if kept is not None and kept[:2] == (seq, deletions):
            if loaded:
                self._keep(key, seq, deletions, kept[2])
            return kept[2]  # type: ignore[no-any-return]
        found: T | None = None
        if kept is not None and kept[0] < seq and kept[1] == deletions:
            found = refresh(kept[2], kept[0])
        if found is None:
            found = compute()
        self._keep(key, seq, deletions, found)
        kept_store.save(_engine(session), key, seq, deletions, found)
        return found

    def peek(self, session: Session, key: Hashable) -> tuple[int, int, Any] | None:
        """What is kept for `key` (in memory, or saved by any process), at whatever
        (sequence number, deletions) it was counted; None when nothing is."""
        with self._lock:
            kept = self._kept.get(key)
        return kept if kept is not None else kept_store.load(_engine(session), key)  # type: ignore[no-any-return]

    def _keep(self, key: Hashable, seq: int, deletions: int, found: object) -> None:
        with self._lock:
            now = self._kept.get(key)
            if now is None or now[:2] <= (seq, deletions):
                self._kept.put(key, (seq, deletions, found))


Heads = tuple[int, int, int]  # (highest sequence number, deletions, items waiting)

# What one request has read once (heads, changed days), by engine and key; None
# outside `reading`.
_read: ContextVar[dict[Hashable, Any] | None] = ContextVar("tracker_heads", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Within it, the head of each database is read once (see the module's text).
    For reads only: a writer must see the numbers its own changes take."""
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


def start_reading() -> None:
    """`reading` for a request whose start and end are two hooks (`stop_reading`)."""
    _read.set({})


def stop_reading() -> None:
    _read.set(None)


def once_per_read(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`; within `reading`, once per database and `key` (for what changes
    only with newer sequence numbers than the head the read started from)."""
    seen = _read.get()
    if seen is None:
        return compute()
    slot = (id(_engine(session)), key)
    if slot not in seen:
        seen[slot] = compute()
    return seen[slot]  # type: ignore[no-any-return]


def heads(session: Session) -> Heads:
    """(highest sequence number, items deleted so far, items waiting for an event),
    read in one statement: three scalar subqueries, each answered from the end of
    its own index or a single row. Within `reading`, once per database."""
    return once_per_read(session, "heads", lambda: _heads(session))


def _heads(session: Session) -> Heads:
    item, counter = table_of(Item).c, table_of(Counter).c
    top = sa.select(sa.func.max(item.seq)).scalar_subquery()
    gone = sa.select(counter.value).where(counter.name == DELETIONS).scalar_subquery()
    waiting = sa.select(sa.func.count()).where(item.event_id.is_(None)).scalar_subquery()
    seq, deletions, pending = session.execute(sa.select(top, gone, waiting)).one()
    return int(seq or 0), int(deletions or 0), int(pending)


_memos: weakref.WeakKeyDictionary[Engine, SeqMemo] = weakref.WeakKeyDictionary()
_memos_lock = threading.Lock()


def remembered(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, remembered per database until any item changes."""
    return _memo(session).get(session, key, compute)


def kept_up(
    session: Session,
    key: Hashable,
    compute: Callable[[], T],
    refresh: Callable[[T, int], T | None],
) -> T:
    """`compute()` per database, kept up to date with `refresh(kept, since_seq)`
    as items change (see `SeqMemo.kept_up`)."""
    return _memo(session).kept_up(session, key, compute, refresh)


def kept_peek(session: Session, key: Hashable) -> tuple[int, int, Any] | None:
    """(sequence number, deletions, value) kept for `key`, however old; None: none."""
    return _memo(session).peek(session, key)


SLIDE_HOURS = 24  # an hourly aggregate kept up to this many hours earlier is moved, not recounted


def kept_earlier(
    session: Session, key_at: Callable[[int], Hashable], hours: int = SLIDE_HOURS
) -> tuple[int, int, Any] | None:
    """An aggregate whose key moves with the hour, kept under an earlier hour's key:
    (n, sequence number it was counted at, value) for the nearest n in 1..`hours`
    with something kept under `key_at(n)`; None when nothing is, or when items were
    deleted since it was counted (it cannot be brought up to date, only recounted)."""
    seq, deletions, _ = heads(session)
    for n in range(1, hours + 1):
        kept = kept_peek(session, key_at(n))
        if kept is None:
            continue
        if kept[1] != deletions or kept[0] > seq:
            return None
        return n, kept[0], kept[2]
    return None


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _memo(session: Session) -> SeqMemo:
    engine = _engine(session)
    with _memos_lock:
        memo = _memos.get(engine)
        if memo is None:
            memo = _memos[engine] = SeqMemo()
    return memo
