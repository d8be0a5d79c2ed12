"""Timelines as the API gives them: the events of a listing, each with its
items in full (`ItemCard`), and the listing's activity per month.

The events are the ones the pages show: `timelines.event_ids` is the one query
that picks a page of a listing's events, in either order. An event is in a
listing when at least one of its items is; it shows the items that are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.inputs import MAX_ID
from tracker.models import Event, Item, table_of
from tracker.store import timelines
from tracker.store.event_cards import EventCard, event_card, event_members
from tracker.store.items import ItemCard
from tracker.store.listings import ListingFilter, list_items


@dataclass
class Timeline:
    """One page of a listing's events, their total, and activity per month."""

    events: list[EventCard]
    total: int
    months: dict[tuple[int, int], dict[str, int]]


def events_page(
    session: Session, f: ListingFilter, *, limit: int, offset: int, oldest: bool = False
) -> tuple[list[EventCard], int]:
    """Events holding at least one item of the listing, newest first (oldest first when
    `oldest`), with their sizes, and their total: the timelines' own query."""
    ids = timelines.event_ids(session, f, limit=limit, offset=offset, oldest=oldest)
    found = {e.id: e for e in session.exec(select(Event).where(Event.id.in_(ids)))}  # type: ignore[union-attr]
    sizes = event_sizes(session, [i for i in ids if i in found])
    cards = [event_card(found[i], [], sizes.get(i, 0)) for i in ids if i in found]
    return cards, timelines.event_count(session, f)


def event_sizes(session: Session, event_ids: list[int]) -> dict[int, int]:
    """How many items each event holds in all."""
    if not event_ids:
        return {}
    item = table_of(Item).c
    stmt = (
        sa.select(item.event_id, sa.func.count())
        .where(item.event_id.in_(event_ids))
        .group_by(item.event_id)
    )
    return {int(e): int(n) for e, n in session.execute(stmt)}


def timeline(
    session: Session, f: ListingFilter, *, limit: int, offset: int, oldest: bool = False
) -> Timeline:
    """A page of the listing's events with their items, and the listing's months."""
    events, total = events_page(session, f, limit=limit, offset=offset, oldest=oldest)
    ids = [e.id for e in events]
    members: list[int] = []
    if ids:
        item = table_of(Item).c
        members = list(session.execute(sa.select(item.id).where(item.event_id.in_(ids))).scalars())
    listed = list_items(session, replace(f, item_ids=tuple(members)), limit=max(len(members), 1))
    by_event: dict[int, list[ItemCard]] = defaultdict(list)
    for entry in listed:
        if entry.event_id is not None:
            by_event[entry.event_id].append(entry)
    return Timeline(
        events=[replace(e, items=by_event.get(e.id, [])) for e in events],
        total=total,
        months=timelines.monthly_counts(session, f),
    )


def event_record(session: Session, event_id: int) -> EventCard | None:
    """The event with id `event_id` and every item in it, newest first, or None."""
    if not 0 < event_id <= MAX_ID:
        return None
    found = event_members(session, event_id)
    if found is None:
        return None
    event, ids = found
    members = tuple(ids)
    items = list_items(session, ListingFilter(item_ids=members), limit=max(len(members), 1))
    return event_card(event, items, len(items))
