"""The calendar of a listing: its items' hearings, markups, deadlines and effective dates.

A listing here is a `ListingFilter` (topic, entity, type, source, bill, or
all), read the way the listings read it: a tag counts unless rejected; a bill
key means the live bill when the demo snapshot holds one of the same number.
Queries walk `calendar_entry` by its start (`ix_calendar_entry_starts`) and
check each entry's item against the filter, so a busy topic's calendar costs
its window of entries, not the topic's items.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import CalendarEntry, Item, Source, table_of
from tracker.store.listings import ListingFilter, where

T = TypeVar("T")
ENTRY = table_of(CalendarEntry).c
ITEM = table_of(Item).c


@dataclass(frozen=True)
class CalendarRow:
    """One entry as pages and `.ics` files show it, with the item it links back to."""

    uid: str
    kind: str
    summary: str
    day: date
    starts_at: datetime  # UTC; midnight UTC of `day` when all-day
    all_day: bool
    cancelled: bool
    sequence: int
    created_at: datetime
    modified_at: datetime
    item_id: int
    item_title: str
    item_url: str | None
    doc_type: str
    source_name: str
    sample: bool


def _where(f: ListingFilter) -> list[Any]:
    """A listing's filter on the entries' items; its dates are the entries' own window."""
    return where(replace(f, since=None, until=None))


def _select() -> sa.Select[Any]:
    source = table_of(Source).c
    columns = (
        ENTRY.uid, ENTRY.kind, ENTRY.summary, ENTRY.day, ENTRY.starts_at, ENTRY.all_day,
        ENTRY.status, ENTRY.sequence, ENTRY.created_at, ENTRY.modified_at, ENTRY.item_id,
        ITEM.title, ITEM.url, ITEM.doc_type, source.name, ENTRY.sample,
    )  # fmt: skip
    return (
        sa.select(*columns)
        .select_from(table_of(CalendarEntry))
        .join(table_of(Item), ITEM.id == ENTRY.item_id)
        .join(table_of(Source), source.id == ITEM.source_id)
    )


def _row(r: Any) -> CalendarRow:
    return CalendarRow(
        uid=r[0], kind=r[1], summary=r[2], day=r[3], starts_at=r[4], all_day=bool(r[5]),
        cancelled=r[6] == "cancelled", sequence=r[7], created_at=r[8], modified_at=r[9],
        item_id=r[10], item_title=r[11], item_url=r[12], doc_type=r[13], source_name=r[14],
        sample=bool(r[15]),
    )  # fmt: skip


def upcoming(session: Session, f: ListingFilter, start: datetime, limit: int) -> list[CalendarRow]:
    """Entries starting at or after `start`, soonest first."""
    stmt = (
        _select()
        .where(ENTRY.starts_at >= start, *_where(f))
        .order_by(ENTRY.starts_at, ENTRY.id)
        .limit(limit)
    )
    return [_row(r) for r in session.execute(stmt)]


def recent(
    session: Session, f: ListingFilter, start: datetime, end: datetime, limit: int
) -> list[CalendarRow]:
    """Entries starting in [`start`, `end`), latest first."""
    stmt = (
        _select()
        .where(ENTRY.starts_at >= start, ENTRY.starts_at < end, *_where(f))
        .order_by(ENTRY.starts_at.desc(), ENTRY.id.desc())
        .limit(limit)
    )
    return [_row(r) for r in session.execute(stmt)]


def calendar_head(session: Session) -> tuple[Any, ...]:
    """What changes whenever any calendar could: every entry's count and latest change,
    and the highest item sequence number (an item re-tagged or retitled)."""
    count, modified = session.execute(
        sa.select(sa.func.count(), sa.func.max(ENTRY.modified_at))
    ).one()
    seq = session.execute(sa.select(sa.func.max(ITEM.seq))).scalar()
    return int(count), modified, int(seq or 0)


class HeadMemo(Generic[T]):
    """Values kept until the head (`calendar_head`) moves; thread-safe.

    A subscribed calendar is polled often and changes rarely: while nothing in
    the store moved, a poll costs the head's two aggregates, not a read of the
    calendar's window.
    """

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._head: tuple[Any, ...] | None = None
        self._known: OrderedDict[Hashable, T] = OrderedDict()

    def value(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key`, or `compute()` when the head moved since."""
        head = calendar_head(session)
        with self._lock:
            if head != self._head:
                self._known.clear()
                self._head = head
            found = self._known.get(key)
            if found is not None:
                self._known.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            if head == self._head:
                self._known[key] = found
                if len(self._known) > self._size:
                    self._known.popitem(last=False)
        return found
