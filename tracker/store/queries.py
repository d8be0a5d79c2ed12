"""Named read queries for the views and the command line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.models import Bill, FetchLog, Item, ItemSource, ItemTag, Source


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


def cards_for_items(session: Session, clauses: list[Any]) -> list[tuple[int | None, ItemCard]]:
    """(event id, card) of every item matching `clauses`, newest first."""
    stmt = (
        select(Item, Source)
        .join(Source, Source.id == Item.source_id)  # type: ignore[arg-type]
        .where(*clauses)
        .order_by(Item.published_at.desc(), Item.id.desc())  # type: ignore[attr-defined, union-attr]
    )
    rows = list(session.exec(stmt))
    return list(zip([item.event_id for item, _ in rows], item_cards(session, rows), strict=True))


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


def source_health(session: Session) -> list[dict[str, Any]]:
    """Every source with its item count and last attempt."""
    counts = dict(
        session.exec(
            select(ItemSource.source_id, sa.func.count()).group_by(ItemSource.source_id)  # type: ignore[arg-type]
        ).all()
    )
    rows = []
    for source in session.exec(select(Source).order_by(col(Source.is_sample), Source.name)):
        rows.append({"source": source, "items": counts.get(source.id or 0, 0)})
    return rows


def recent_fetches(session: Session, limit: int = 20) -> list[tuple[FetchLog, Source]]:
    stmt = (
        select(FetchLog, Source)
        .join(Source, Source.id == FetchLog.source_id)  # type: ignore[arg-type]
        .order_by(FetchLog.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    )
    return list(session.exec(stmt))
