"""The bundled demo snapshot as rows: what it holds, and removing all of it.

Demo rows are the items and bills flagged `sample` and the sample sources
they came from. Removing them leaves live data as it was: a live item never
shares a row, a bill or an event with them (migration 0007 took apart what
older versions had mixed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import (
    Bill,
    BillAction,
    FetchLog,
    Item,
    ItemSource,
    ItemTag,
    Source,
    table_of,
)
from tracker.store.events import bump, refresh_event
from tracker.store.memo import kept_up
from tracker.store.tags import note_deletions


@dataclass(frozen=True)
class SnapshotSummary:
    """How much of the database is the bundled demo snapshot."""

    items: int
    live_items: int
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class DemoRemoval:
    """What `remove_demo` deleted."""

    items: int
    bills: int
    events: int
    sources: int


def snapshot_summary(session: Session) -> SnapshotSummary:
    """Demo items, live items, and the demo's first and last dates.

    Kept up to date as items come (`memo.kept_up`): an item keeps its demo mark
    and its publication time, so only items with ids above the highest counted
    are counted; a deletion has everything counted afresh.
    """
    kept = kept_up(
        session,
        ("snapshot_summary",),
        lambda: _summary_after(session, None),
        lambda kept, since: _summary_after(session, kept),
    )
    return kept[0]


def _snapshot_summary(session: Session) -> SnapshotSummary:
    """`snapshot_summary` counted afresh."""
    return _summary_after(session, None)[0]


def _summary_after(
    session: Session, kept: tuple[SnapshotSummary, int] | None
) -> tuple[SnapshotSummary, int]:
    """`kept` (a summary and the highest item id it counted) with the items above that
    id added; every item when nothing is kept."""
    item = table_of(Item).c
    summary, top = kept if kept is not None else (SnapshotSummary(0, 0, None, None), 0)
    stmt = (
        sa.select(item.sample, sa.func.count(), sa.func.min(item.published_at),
                  sa.func.max(item.published_at), sa.func.max(item.id))
        .where(item.id > top)
        .group_by(item.sample)
    )  # fmt: skip
    items, live, first, last = summary.items, summary.live_items, summary.first, summary.last
    for sample, count, low, high, highest in session.execute(stmt):
        top = max(top, int(highest))
        if not sample:
            live += int(count)
            continue
        items += int(count)
        first = low if first is None else min(first, low)
        last = high if last is None else max(last, high)
    return SnapshotSummary(items=items, live_items=live, first=first, last=last), top


def sample_sources(session: Session) -> set[str]:
    """Slugs of the sources the demo snapshot loads under."""
    return set(session.exec(select(Source.slug).where(Source.is_sample == True)))  # noqa: E712


def remove_demo(session: Session) -> DemoRemoval:
    """Delete every demo item with its tags and links, demo bills and their actions,
    events left empty, and the sample sources with their fetch log."""
    item, bill = table_of(Item).c, table_of(Bill).c
    demo_items = sa.select(item.id).where(item.sample.is_(True))
    demo_bills = sa.select(bill.id).where(bill.sample.is_(True))
    demo_sources = sa.select(table_of(Source).c.id).where(table_of(Source).c.is_sample.is_(True))
    events = set(
        session.execute(
            sa.select(item.event_id).where(item.sample.is_(True), item.event_id.is_not(None))
        ).scalars()
    )
    counts = {
        "items": _count(session, demo_items),
        "bills": _count(session, demo_bills),
        "sources": _count(session, demo_sources),
    }
    _delete(session, ItemTag, table_of(ItemTag).c.item_id.in_(demo_items))
    link = table_of(ItemSource).c
    _delete(
        session, ItemSource, sa.or_(link.item_id.in_(demo_items), link.source_id.in_(demo_sources))
    )
    _delete(session, Item, item.sample.is_(True))
    note_deletions(session, counts["items"])  # in this transaction: kept aggregates recount
    # A live item linked to a demo bill by an older version loses the link only.
    session.execute(
        sa.update(table_of(Item)).where(item.bill_id.in_(demo_bills)).values(bill_id=None)
    )
    _delete(session, BillAction, table_of(BillAction).c.bill_id.in_(demo_bills))
    _delete(session, Bill, bill.sample.is_(True))
    _delete(session, FetchLog, table_of(FetchLog).c.source_id.in_(demo_sources))
    _delete(session, Source, table_of(Source).c.is_sample.is_(True))
    session.flush()
    emptied = 0
    for event_id in sorted(events):
        left = session.exec(select(Item.id).where(Item.event_id == event_id).limit(1)).first()
        emptied += left is None
        refresh_event(session, event_id)  # deleted when no member is left
    session.flush()
    _touch_newest(session)
    return DemoRemoval(events=emptied, **counts)


def _count(session: Session, ids: sa.Select[tuple[int]]) -> int:
    return int(session.execute(sa.select(sa.func.count()).select_from(ids.subquery())).scalar_one())


def _delete(session: Session, model: type, where: sa.ColumnElement[bool]) -> None:
    session.execute(sa.delete(table_of(model)).where(where))  # type: ignore[arg-type]


def _touch_newest(session: Session) -> None:
    # Caches, feed versions and the search index follow the highest sequence
    # number, which a deletion below it does not move: renumbering the newest
    # remaining item tells them the database changed.
    item = table_of(Item).c
    newest = session.execute(sa.select(item.id).order_by(item.seq.desc()).limit(1)).scalar()
    if newest is not None:
        bump(session, [newest])
