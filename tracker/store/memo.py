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
own, so they are noticed from the item count: when it differs from what the
inserts since explain, every kept aggregate is computed again in full.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import Item, table_of
from tracker.store.bounded import BoundedLru

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
        # Aggregates kept up to date: key -> (sequence number computed at, value).
        self._kept = BoundedLru(size, max_bytes // 2)
        self._shape: _Shape | None = None  # the item table when last looked at
        self._deleted_at = 0  # kept values older than this may count deleted items

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The remembered answer for `key`, or `compute()` remembered for next time."""
        head = _head(session)
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
        seq = _head(session)[0]
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == seq:
            return kept[1]  # type: ignore[no-any-return]
        self._look(session, seq)
        found: T | None = None
        if kept is not None and kept[0] < seq and kept[0] >= self._deleted_at:
            found = refresh(kept[1], kept[0])
        if found is None:
            found = compute()
        with self._lock:
            now = self._kept.get(key)
            if now is None or now[0] <= seq:
                self._kept.put(key, (seq, found))
        return found

    def _look(self, session: Session, seq: int) -> None:
        """Notice deletions since the item table was last looked at (before `seq`)."""
        with self._lock:
            before = self._shape
        if before is not None and before.seq >= seq:
            return
        now = _shape(session, before)
        with self._lock:
            if self._shape is not before:
                return  # another thread looked meanwhile; its look covers this one
            if before is None or not now.follows(before):
                self._deleted_at = max(self._deleted_at, now.seq)
            self._shape = now


@dataclass(frozen=True)
class _Shape:
    """The item table at one moment, enough to tell whether items were deleted since."""

    seq: int  # highest sequence number
    count: int  # items
    top_id: int  # highest id
    added: int  # items with an id above the previous look's highest
    top_seq: int | None  # the previous look's highest id's sequence number now

    def follows(self, before: _Shape) -> bool:
        """True when nothing was deleted between `before` and this look.

        Items only come with ids above every earlier one, so the count grows by
        exactly the items above the last highest id unless some were deleted. The
        last highest item unchanged (not renumbered) also rules out SQLite giving
        a deleted highest id to a new item.
        """
        unchanged = self.top_seq is not None and self.top_seq <= before.seq
        return self.count == before.count + self.added and (unchanged or before.top_id == 0)


def _shape(session: Session, before: _Shape | None) -> _Shape:
    item = table_of(Item).c
    top_id = before.top_id if before else 0
    one = sa.select(  # one statement: one snapshot
        sa.select(sa.func.max(item.seq)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(table_of(Item)).scalar_subquery(),
        sa.select(sa.func.max(item.id)).scalar_subquery(),
        sa.select(sa.func.count()).where(item.id > top_id).scalar_subquery(),
        sa.select(item.seq).where(item.id == top_id).scalar_subquery(),
    )
    seq, count, top, added, top_seq = session.execute(one).one()
    return _Shape(int(seq or 0), int(count), int(top or 0), int(added), top_seq)


def _head(session: Session) -> tuple[int, int]:
    """(highest sequence number, items waiting for an event)."""
    item = table_of(Item).c
    # Two scalar subqueries: each is answered from the end of its own index.
    top = sa.select(sa.func.max(item.seq)).scalar_subquery()
    waiting = sa.select(sa.func.count()).where(item.event_id.is_(None)).scalar_subquery()
    seq, pending = session.execute(sa.select(top, waiting)).one()
    return int(seq or 0), int(pending)


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


def _memo(session: Session) -> SeqMemo:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _memos_lock:
        memo = _memos.get(engine)
        if memo is None:
            memo = _memos[engine] = SeqMemo()
    return memo
