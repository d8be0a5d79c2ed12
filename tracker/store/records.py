"""Single records with everything the API shows of them: an item, an event, a bill."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.inputs import MAX_ID
from tracker.models import Bill, BillAction, Event, Item, ItemSource, ItemTag, Source, table_of
from tracker.store import directory
from tracker.store.listings import ListedItem, ListingFilter, count_items, list_items


@dataclass(frozen=True)
class SourceLink:
    """One source an item came from, under that source's own guid and URL."""

    slug: str
    name: str
    kind: str
    guid: str
    url: str | None


@dataclass
class ItemFull:
    """An item with its tags and their evidence, sources, event and bill: the read model
    of one stored item (`tracker.types.ItemRecord` is a parsed item before it is stored)."""

    listed: ListedItem
    author: str | None
    tags: list[ItemTag]
    sources: list[SourceLink]
    event: Event | None
    bill: Bill | None


@dataclass
class EventRecord:
    """An event and its items, newest first."""

    event: Event
    items: list[ListedItem]


@dataclass
class BillRecordView:
    """A bill, its dated actions in order, and how many items cite it."""

    bill: Bill
    actions: list[BillAction]
    items: int


def item_record(session: Session, item_id: int) -> ItemFull | None:
    """The item with id `item_id`, or None."""
    if not 0 < item_id <= MAX_ID:
        return None
    listed = list_items(session, ListingFilter(item_ids=(item_id,)), limit=1)
    if not listed:
        return None
    item = session.get(Item, item_id)
    assert item is not None  # just listed
    tags = list(
        session.exec(
            select(ItemTag)
            .where(ItemTag.item_id == item_id, ItemTag.status != "rejected")
            .order_by(ItemTag.kind, ItemTag.slug)
        )
    )
    rows = session.exec(
        select(ItemSource, Source)
        .join(Source, Source.id == ItemSource.source_id)  # type: ignore[arg-type]
        .where(ItemSource.item_id == item_id)
        .order_by(ItemSource.first_seen, ItemSource.id)  # type: ignore[arg-type]
    )
    sources = [SourceLink(s.slug, s.name, s.kind, link.guid, link.url) for link, s in rows]
    return ItemFull(
        listed=listed[0],
        author=item.author,
        tags=tags,
        sources=sources,
        event=session.get(Event, item.event_id) if item.event_id else None,
        bill=session.get(Bill, item.bill_id) if item.bill_id else None,
    )


def event_record(session: Session, event_id: int) -> EventRecord | None:
    """The event with id `event_id` and every item in it, or None."""
    if not 0 < event_id <= MAX_ID:
        return None
    event = session.get(Event, event_id)
    if event is None:
        return None
    ids = session.execute(
        sa.select(table_of(Item).c.id).where(table_of(Item).c.event_id == event_id)
    ).scalars()
    members = tuple(ids)
    items = list_items(session, ListingFilter(item_ids=members), limit=max(len(members), 1))
    return EventRecord(event=event, items=items)


def bills_page(session: Session, *, limit: int, offset: int) -> tuple[list[Bill], int]:
    """Bills with the latest action first, and how many there are in all."""
    stmt = (
        select(Bill)
        .order_by(
            Bill.latest_action_date.desc().nulls_last(),  # type: ignore[union-attr]
            Bill.id.desc(),  # type: ignore[union-attr]
        )
        .limit(limit)
        .offset(offset)
    )
    total = session.execute(sa.select(sa.func.count()).select_from(table_of(Bill))).scalar_one()
    return list(session.exec(stmt)), int(total)


def bill_record(session: Session, key: str) -> BillRecordView | None:
    """The bill with key ``119-s-1705``, its actions and its item count, or None."""
    bill = directory.bill(session, key)
    if bill is None:
        return None
    actions = list(
        session.exec(
            select(BillAction).where(BillAction.bill_id == bill.id).order_by(BillAction.position)  # type: ignore[arg-type]
        )
    )
    return BillRecordView(bill, actions, count_items(session, ListingFilter(bill=key)))
