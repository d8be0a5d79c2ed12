"""Versions for conditional GET: what changes whenever a response would.

A listing's version (`listings.listing_version`) is an aggregate over every
item it holds, which costs a scan on a busy topic. Every item change takes a
new, higher sequence number, so while the highest sequence number stays the
same no listing can have changed: `VersionMemo` keeps each listing's version
until it moves, and a feed reader's poll costs one index lookup.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Bill, BillAction, Entity, Event, Item, Topic, table_of
from tracker.store import memo
from tracker.store.listings import ListingFilter, listing_version

Version = tuple[int, datetime | None, int]


def head_seq(session: Session) -> int:
    """The highest item sequence number: read from the end of its unique index
    (once per request of the site, `memo.reading`)."""
    return memo.heads(session)[0]


def store_version(session: Session) -> tuple[int, int]:
    """(highest sequence number, items deleted so far): moves whenever any listing's
    version does (a new or changed item takes a new number; a deletion adds to the
    counter), read from the head alone."""
    seq, deletions, _ = memo.heads(session)
    return seq, deletions


class VersionMemo:
    """Listing versions remembered until any item changes; safe across threads.

    The head sequence number is read again at most every `ttl` seconds, so
    within that time a poll for a known listing touches no database at all
    (`peek`). Feeds say they may be cached for minutes; a second is nothing.
    """

    def __init__(
        self, size: int = 4096, ttl: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._size = size
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._head = -1
        self._head_read = float("-inf")
        self._known: OrderedDict[ListingFilter, Version] = OrderedDict()

    def peek(self, f: ListingFilter) -> Version | None:
        """The listing's version if known and the head was read within `ttl`, else None."""
        with self._lock:
            if self._clock() - self._head_read >= self._ttl:
                return None
            known = self._known.get(f)
            if known is not None:
                self._known.move_to_end(f)
            return known

    def version(self, session: Session, f: ListingFilter) -> Version:
        """`listing_version(session, f)`, computed at most once per item change."""
        head, read_at = head_seq(session), self._clock()
        with self._lock:
            if head != self._head:
                self._known.clear()
                self._head = head
            self._head_read = read_at
            known = self._known.get(f)
            if known is not None:
                self._known.move_to_end(f)
                return known
        found = listing_version(session, f)
        with self._lock:
            # Another thread may have seen a newer head meanwhile: keep only current answers.
            if head == self._head:
                self._known[f] = found
                if len(self._known) > self._size:
                    self._known.popitem(last=False)
        return found


def catalog_version(session: Session) -> tuple[object, ...]:
    """Changes whenever items, events, bills, their actions or the taxonomy change.

    Bills are stored by replacing their actions, so a re-stored bill gets new
    action ids even when nothing else moved.
    """
    item, event = table_of(Item).c, table_of(Event).c
    bill, action = table_of(Bill).c, table_of(BillAction).c
    stmt = sa.select(
        sa.select(sa.func.max(item.seq)).scalar_subquery(),
        sa.select(sa.func.max(item.changed_at)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(table_of(Event)).scalar_subquery(),
        sa.select(sa.func.max(event.id)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(table_of(Bill)).scalar_subquery(),
        sa.select(sa.func.max(bill.updated_at)).scalar_subquery(),
        sa.select(sa.func.max(action.id)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(table_of(Topic)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(table_of(Entity)).scalar_subquery(),
    )
    return tuple(session.execute(stmt).one())


def catalog_changed_at(version: tuple[object, ...]) -> datetime | None:
    """The latest time in a `catalog_version`, as aware UTC."""
    times = [v for v in version if isinstance(v, datetime)]
    if not times:
        return None
    latest = max(t if t.tzinfo else t.replace(tzinfo=UTC) for t in times)
    return latest.astimezone(UTC)
