"""Items as readers see them: a card in a list, and one item with everything its page shows.

The item's read models live here (`ItemCard` for lists, `ItemDetail` for its
page; `records.ItemFull` is what the API adds); listings, timelines, events
and exports build on them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from tracker.models import Bill, Item, ItemSource, ItemTag, Source


@dataclass
class ItemCard:
    """What a listing shows of one item."""

    id: int
    title: str
    url: str | None
    published: datetime
    undated: bool
    doc_type: str
    source_slug: str
    source_name: str
    is_sample: bool
    summary_html: str
    topics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)


@dataclass
class ItemDetail:
    """One item with everything its page shows."""

    card: ItemCard
    item: Item
    sources: list[Source]
    tags: list[ItemTag]
    bill: Bill | None


def item_cards(session: Session, rows: list[tuple[Item, Source]]) -> list[ItemCard]:
    """Cards for (item, source) rows, in the same order, with their visible tags."""
    tags = visible_tags(session, [item.id for item, _ in rows])  # type: ignore[misc]
    cards = []
    for item, source in rows:
        card = ItemCard(
            id=item.id,  # type: ignore[arg-type]
            title=item.title,
            url=item.url,
            published=item.published_at,
            undated=item.undated,
            doc_type=item.doc_type,
            source_slug=source.slug,
            source_name=source.name,
            is_sample=item.sample,
            summary_html=item.summary_html,
        )
        for tag in tags.get(card.id, []):
            (card.topics if tag.kind == "topic" else card.entities).append(tag.slug)
        cards.append(card)
    return cards


def visible_tags(session: Session, item_ids: list[int]) -> dict[int, list[ItemTag]]:
    """Tags a reader sees (all but rejected), by item."""
    found: dict[int, list[ItemTag]] = defaultdict(list)
    if not item_ids:
        return found
    stmt = (
        select(ItemTag)
        .where(ItemTag.item_id.in_(item_ids), ItemTag.status != "rejected")  # type: ignore[attr-defined]
        .order_by(ItemTag.kind, ItemTag.slug)
    )
    for tag in session.exec(stmt):
        found[tag.item_id].append(tag)
    return found


def item_detail(session: Session, item_id: int) -> ItemDetail | None:
    """The item, every source it came from, its tags and its bill."""
    row = session.exec(
        select(Item, Source).join(Source, Source.id == Item.source_id).where(Item.id == item_id)  # type: ignore[arg-type]
    ).first()
    if row is None:
        return None
    item, _source = row
    card = item_cards(session, [row])[0]
    sources = list(
        session.exec(
            select(Source)
            .join(ItemSource, ItemSource.source_id == Source.id)  # type: ignore[arg-type]
            .where(ItemSource.item_id == item_id)
            .order_by(col(ItemSource.first_seen))
        )
    )
    tags = list(
        session.exec(
            select(ItemTag)
            .where(ItemTag.item_id == item_id, ItemTag.status != "rejected")
            .order_by(ItemTag.kind, ItemTag.slug)
        )
    )
    bill = session.get(Bill, item.bill_id) if item.bill_id else None
    return ItemDetail(card=card, item=item, sources=sources, tags=tags, bill=bill)
