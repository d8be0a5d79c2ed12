"""Aggregates remembered until any item changes.

A busy topic's chart, item count and co-occurring tags are aggregates over
tens of thousands of rows. Every change to an item (new, updated, retagged)
takes a new, higher sequence number, so while the highest sequence number
stays put none of those aggregates can have moved: they are computed once per
change and then read from memory. New items are placed in events a moment
after they are stored, without a new number, so the count of items still
waiting for an event is part of the head too. Reading the head costs two
index lookups.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import Item, table_of

T = TypeVar("T")


class SeqMemo:
    """Answers by key, dropped as soon as the head sequence number moves; thread-safe."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._head: tuple[int, int] = (-1, -1)
        self._known: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The remembered answer for `key`, or `compute()` remembered for next time."""
        head = _head(session)
        with self._lock:
            if head != self._head:
                self._known.clear()
                self._head = head
            if key in self._known:
                self._known.move_to_end(key)
                return self._known[key]  # type: ignore[no-any-return]
        found = compute()
        with self._lock:
            if head == self._head:  # a newer head meanwhile: this answer may be stale
                self._known[key] = found
                if len(self._known) > self._size:
                    self._known.popitem(last=False)
        return found


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
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _memos_lock:
        memo = _memos.get(engine)
        if memo is None:
            memo = _memos[engine] = SeqMemo()
    return memo.get(session, key, compute)
