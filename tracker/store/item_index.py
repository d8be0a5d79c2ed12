"""What the index pages ask: the latest items, a page at a time, and the
topics and entities with their item counts (remembered until items change)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Entity, Item, ItemTag, Source, Topic, table_of
from tracker.store.directory import TagEntry
from tracker.store.event_cards import narrow_cards
from tracker.store.items import ItemCard
from tracker.store.memo import remembered


@dataclass(frozen=True)
class ItemsPage:
    """One page of the latest items, newest first, and how many items there are."""

    items: list[ItemCard]
    total: int


def latest_items(session: Session, *, limit: int = 50, offset: int = 0) -> ItemsPage:
    """Items newest first (down the published_at index), with the total."""
    item = table_of(Item).c
    ids = list(
        session.execute(
            sa.select(item.id)
            .order_by(item.published_at.desc(), item.id.desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
    cards = {card.id: card for _, card in narrow_cards(session, ids)}
    count = sa.select(sa.func.count()).select_from(table_of(Item))
    total = remembered(
        session, ("index-item-total",), lambda: int(session.execute(count).scalar_one())
    )
    return ItemsPage([cards[i] for i in ids if i in cards], total)


def tag_entries(session: Session, kind: str) -> list[TagEntry]:
    """Every topic (kind "topic") or entity (any other kind) by name, with item counts.

    Both kinds are counted in one pass over the tags, remembered until items
    change, so /topics and /entities after a change pay for one scan between them.
    """
    counts = remembered(session, ("index-tag-counts",), lambda: _tag_counts(session))
    if kind == "topic":
        entries = [TagEntry(t.slug, t.name, "topic", t.description, counts.get(t.slug, 0))
                   for t in session.exec(select(Topic))]  # fmt: skip
    else:
        entries = [TagEntry(e.slug, e.name, e.kind, e.description, counts.get(e.slug, 0), e.parent)
                   for e in session.exec(select(Entity))]  # fmt: skip
    # By name as a reader sorts, whatever the case: "AMD" among the A's, not before them.
    return sorted(entries, key=lambda e: (e.name.casefold(), e.slug))


def _tag_counts(session: Session) -> dict[str, int]:
    tag = table_of(ItemTag).c
    # (item_id, slug) is unique, so counting rows counts items.
    stmt = sa.select(tag.slug, sa.func.count()).where(tag.status != "rejected").group_by(tag.slug)
    return {slug: int(n) for slug, n in session.execute(stmt)}


def source_names(session: Session) -> dict[str, str]:
    """Every source's name by slug: what a reader sees where a slug is stored."""
    source = table_of(Source).c
    return dict((slug, name) for slug, name in session.execute(sa.select(source.slug, source.name)))
