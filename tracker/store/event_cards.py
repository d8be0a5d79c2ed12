"""Events as cards: headline, date, types, sources, tags and the items to show.

A timeline page shows twenty events with a few items each, so cards are read
with a handful of narrow queries (no item text, no tag evidence), by id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.inputs import MAX_ID
from tracker.models import Event, Item, ItemTag, Source, table_of
from tracker.store.id_params import ids_in
from tracker.store.items import ItemCard
from tracker.store.listings import ListingFilter, list_items, where

# How many of an event's items a timeline shows; the event's page shows all.
ITEMS_PER_EVENT = 6


@dataclass
class EventCard:
    """One event as every view shows it (the event read model): its items in the
    listing, and their types, sources and tags. The HTML timelines and event page,
    and the API's events and timelines, are all formatted from it."""

    id: int
    headline: str
    date: datetime
    lead_item_id: int | None
    size: int
    items: list[ItemCard] = field(default_factory=list)
    # The event's other items, each still linked from the card: those past the
    # first few, and those outside the listing (`outside` of them).
    more: list[ItemCard] = field(default_factory=list)
    outside: int = 0
    doc_types: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)

    @property
    def single_item_id(self) -> int | None:
        """The item of a one-item event, which its card links to directly."""
        return self.items[0].id if self.size == 1 and self.items else None


def event_cards(
    session: Session, event_ids: Sequence[int], f: ListingFilter | None = None
) -> list[EventCard]:
    """Cards for these events, in the order given, showing their items in `f` first.

    The event's other items come after, in `more`: every item of an event is
    reachable from its card.
    """
    if not event_ids:
        return []
    events = {
        e.id: e
        for e in session.exec(select(Event).where(Event.id.in_(event_ids)))  # type: ignore[union-attr]
    }
    item = table_of(Item).c
    members = session.execute(
        sa.select(item.id, item.event_id).where(ids_in(session, item.event_id, event_ids))
    ).all()
    sizes: dict[int, int] = defaultdict(int)
    for _, event_id in members:
        sizes[event_id] += 1
    every = [item_id for item_id, _ in members]
    listed = set(every)
    if f is not None and f != ListingFilter():
        # Narrowed by id first, so the listing's conditions test a few rows only.
        listed = set(
            session.execute(
                sa.select(item.id).where(ids_in(session, item.id, every), *where(f))
            ).scalars()
        )
    by_event: dict[int, list[ItemCard]] = defaultdict(list)
    others: dict[int, list[ItemCard]] = defaultdict(list)
    # Items outside the listing are only linked from "more": their tags, which a
    # big event's hundreds of members would add, are never shown.
    for event_id, card in narrow_cards(session, every, tagged=listed):
        (by_event if card.id in listed else others)[event_id].append(card)
    return [
        _event_card(events[event_id], by_event[event_id], sizes[event_id], others[event_id])
        for event_id in event_ids
        if event_id in events
    ]


def event_members(session: Session, event_id: int) -> tuple[Event, list[int]] | None:
    """The event with id `event_id` and the ids of its items, or None."""
    event = session.get(Event, event_id)
    if event is None:
        return None
    ids = session.execute(
        sa.select(table_of(Item).c.id).where(table_of(Item).c.event_id == event_id)
    ).scalars()
    return event, list(ids)


def event_record(session: Session, event_id: int) -> EventCard | None:
    """The event with id `event_id` and every item in it, newest first, with text (the
    API's event), or None."""
    if not 0 < event_id <= MAX_ID:
        return None
    found = event_members(session, event_id)
    if found is None:
        return None
    event, ids = found
    members = tuple(ids)
    items = list_items(session, ListingFilter(item_ids=members), limit=max(len(members), 1))
    return event_card(event, items, len(items))


def event_detail(session: Session, event_id: int) -> EventCard | None:
    """An event with every one of its items, oldest first."""
    found = event_members(session, event_id)
    if found is None:
        return None
    event, ids = found
    members = [card for _, card in narrow_cards(session, ids)]
    card = _event_card(event, members, len(members), [], shown=len(members))
    card.items = sorted(members, key=lambda c: (c.published, c.id))
    return card


def narrow_cards(
    session: Session, item_ids: Sequence[int], tagged: Collection[int] | None = None
) -> list[tuple[int, ItemCard]]:
    """(event id, card) for these items, without their text: what a list shows; with
    their tags (only those of the items in `tagged`, when given)."""
    if not item_ids:
        return []
    item, source, tag = table_of(Item).c, table_of(Source).c, table_of(ItemTag).c
    rows = session.execute(
        sa.select(
            item.id,
            item.event_id,
            item.title,
            item.url,
            item.published_at,
            item.undated,
            item.doc_type,
            source.slug,
            source.name,
            item.sample,
        )
        .join(table_of(Source), source.id == item.source_id)
        .where(ids_in(session, item.id, item_ids))
    ).all()
    tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for item_id, slug, kind in session.execute(
        sa.select(tag.item_id, tag.slug, tag.kind)
        .where(ids_in(session, tag.item_id, item_ids if tagged is None else sorted(tagged)))
        .where(tag.status != "rejected")
        .order_by(tag.kind, tag.slug)
    ).all():
        tags[item_id].append((slug, kind))
    cards = []
    for item_id, event_id, title, url, published, undated, doc_type, s_slug, s_name, sample in rows:
        card = ItemCard(id=item_id, title=title, url=url, published=published, undated=undated,
                        doc_type=doc_type, source_slug=s_slug, source_name=s_name,
                        is_sample=sample, summary_html="")  # fmt: skip
        for slug, kind in tags[item_id]:
            (card.topics if kind == "topic" else card.entities).append(slug)
        cards.append((event_id, card))
    return cards


def _event_card(
    event: Event,
    items: list[ItemCard],
    size: int,
    others: list[ItemCard],
    shown: int = ITEMS_PER_EVENT,
) -> EventCard:
    # The lead item first, then oldest first: how the story unfolded.
    def unfolding(c: ItemCard) -> tuple[bool, datetime, int]:
        return (c.id != event.lead_item_id, c.published, c.id)

    items = sorted(items, key=unfolding)
    more = items[shown:] + sorted(others, key=unfolding)
    return event_card(event, items[:shown], size, more=more, outside=len(others))


def event_card(
    event: Event,
    items: list[ItemCard],
    size: int,
    more: list[ItemCard] | None = None,
    outside: int = 0,
) -> EventCard:
    """An event as a card with these items shown in the order given (the API's events:
    newest first) and `more` behind them, `outside` of which lie outside the listing;
    with no items, the event alone. Its types, sources and tags are those of every
    item it holds in the listing."""
    card = EventCard(
        id=event.id,  # type: ignore[arg-type]
        headline=event.headline,
        date=event.event_date,
        lead_item_id=event.lead_item_id,
        size=size,
        items=list(items),
        more=list(more or []),
        outside=outside,
    )
    held = len(card.more) - outside  # the listing's own items behind "more"
    _sum_up(card, card.items + card.more[:held])
    return card


def _sum_up(card: EventCard, items: list[ItemCard]) -> None:
    """The card's types, sources and tags: those of its items, first seen first."""
    for c in items:
        _add(card.doc_types, [c.doc_type])
        _add(card.sources, [c.source_name])
        _add(card.topics, c.topics)
        _add(card.entities, c.entities)


def _add(into: list[str], values: list[str]) -> None:
    for value in values:
        if value not in into:
            into.append(value)
