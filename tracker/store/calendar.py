"""The calendar of a listing: its items' hearings, markups, deadlines and effective dates.

A listing here is a `ListingFilter` (topic, entity, type, source, bill, or
all), read the way the listings read it: a tag counts unless rejected; a bill
key means the live bill when the demo snapshot holds one of the same number.
Queries walk `calendar_entry` by its start (`ix_calendar_entry_starts`) and
check each entry's item against the filter, so a busy topic's calendar costs
its window of entries, not the topic's items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Bill, CalendarEntry, Item, ItemTag, Source, table_of
from tracker.store.listings import ListingFilter

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
    clauses: list[Any] = []
    for slug in (f.topic, f.entity):
        if slug:
            tag = table_of(ItemTag).c
            clauses.append(
                sa.exists().where(
                    tag.item_id == ENTRY.item_id, tag.slug == slug, tag.status != "rejected"
                )
            )
    if f.doc_type:
        clauses.append(ITEM.doc_type == f.doc_type)
    if f.source:
        source = table_of(Source).c
        chosen = sa.select(source.id).where(source.slug == f.source).scalar_subquery()
        clauses.append(ITEM.source_id == chosen)
    if f.bill:
        bill = table_of(Bill).c
        live_first = sa.select(bill.id).where(bill.key == f.bill).order_by(bill.sample).limit(1)
        clauses.append(ITEM.bill_id == live_first.scalar_subquery())
    if f.item_ids is not None:
        clauses.append(ENTRY.item_id.in_(f.item_ids or (-1,)))
    return clauses


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


def calendar_version(session: Session, f: ListingFilter, start: datetime) -> tuple[Any, ...]:
    """What changes whenever a calendar from `start` on would: count, latest change, items.

    An entry moved, cancelled or added changes the count or the latest
    `modified_at`; an item re-tagged into or out of a topic changes the highest
    sequence number of the items shown.
    """
    stmt = (
        sa.select(sa.func.count(), sa.func.max(ENTRY.modified_at), sa.func.max(ITEM.seq))
        .select_from(table_of(CalendarEntry))
        .join(table_of(Item), ITEM.id == ENTRY.item_id)
        .where(ENTRY.starts_at >= start, *_where(f))
    )
    count, modified, seq = session.execute(stmt).one()
    if isinstance(modified, datetime) and modified.tzinfo is None:
        modified = modified.replace(tzinfo=UTC)
    return int(count), modified, int(seq or 0)
