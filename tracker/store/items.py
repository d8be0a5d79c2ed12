"""Items as readers see them: the one read model of an item, in a list and alone.

`ItemCard` is what every list shows of an item: the HTML timelines, event
cards, feeds, CSV and the API's item summaries are all formatted from it (a CSV
export fills only the columns it shows). `ItemFull` is one item alone: its card
plus the stored row, tags with evidence, sources, event and bill, for the item
page and the API's item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.inputs import MAX_ID
from tracker.models import Bill, Event, Item, ItemSource, ItemTag, Source, table_of
from tracker.store.id_params import ids_in


@dataclass
class ItemCard:
    """One item as a list, a feed, an export and the API show it."""

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
    summary_text: str = ""
    updated: datetime | None = None
    changed_at: datetime | None = None
    seq: int = 0
    guid: str = ""
    event_id: int | None = None
    event_headline: str | None = None


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
    """One item alone: its card, the stored row, its tags (with their evidence), every
    source it came from, its event and its bill (`tracker.types.ItemRecord` is a parsed
    item before it is stored)."""

    card: ItemCard
    item: Item
    tags: list[ItemTag]
    sources: list[SourceLink]
    event: Event | None
    bill: Bill | None
    source_type: str  # the type the item's own source gives what does not say its own


def item_cards(session: Session, rows: list[tuple[Item, Source]]) -> list[ItemCard]:
    """Cards for (item, source) rows, in the same order, with their visible tags and events:
    `row_cards` of the rows' `card_columns()`."""
    item_table = table_of(Item)
    # Each column's row object and attribute (the models' attributes are their columns).
    read = [(c.table is item_table, str(c.key)) for c in card_columns()]  # type: ignore[attr-defined]
    return row_cards(
        session,
        [
            tuple(getattr(item if of_item else source, key) for of_item, key in read)
            for item, source in rows
        ],
    )


def card_columns() -> tuple[sa.ColumnElement[object], ...]:
    """The columns of an item and its source that a card shows, in `row_cards`' order:
    select these (joined to the source) rather than whole rows, whose other columns
    (three JSON lists, the content hash, ...) a list never shows."""
    item, source = table_of(Item).c, table_of(Source).c
    return (item.id, item.title, item.url, item.published_at, item.undated, item.doc_type,
            source.slug, source.name, item.sample, item.summary_html, item.text,
            item.updated_at, item.changed_at, item.seq, item.guid, item.event_id)  # fmt: skip


def row_cards(session: Session, rows: Sequence[Sequence[Any]]) -> list[ItemCard]:
    """Cards for rows of `card_columns()`, in the same order: what `item_cards` makes
    of whole rows, read without them (a feed of fifty items spent a third of its
    time building and decoding ORM rows and tag evidence it never showed)."""
    tags = tag_slugs(session, [row[0] for row in rows])
    headlines = _headlines(session, {row[15] for row in rows if row[15]})
    cards = []
    for (item_id, title, url, published, undated, doc_type, source_slug, source_name, sample,
         summary_html, text, updated, changed, seq, guid, event_id) in rows:  # fmt: skip
        card = ItemCard(id=item_id, title=title, url=url, published=published, undated=undated,
                        doc_type=doc_type, source_slug=source_slug, source_name=source_name,
                        is_sample=sample, summary_html=summary_html, summary_text=text,
                        updated=updated, changed_at=changed, seq=seq, guid=guid,
                        event_id=event_id,
                        event_headline=headlines.get(event_id) if event_id else None)  # fmt: skip
        _add_tags(card, tags.get(item_id, []))
        cards.append(card)
    return cards


def _add_tags(card: ItemCard, tags: list[tuple[str, str]]) -> None:
    for slug, kind in tags:
        (card.topics if kind == "topic" else card.entities).append(slug)


def tag_slugs(session: Session, item_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(slug, kind) of the tags a reader sees (all but rejected), by item, by kind then
    slug: no tag rows, whose evidence a list never shows."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not item_ids:
        return found
    tag = table_of(ItemTag).c
    stmt = (
        sa.select(tag.item_id, tag.slug, tag.kind)
        .where(ids_in(session, tag.item_id, item_ids), tag.status != "rejected")
        .order_by(tag.kind, tag.slug)
    )
    for item_id, slug, kind in session.execute(stmt).all():
        found[item_id].append((slug, kind))
    return found


def _headlines(session: Session, event_ids: set[int]) -> dict[int, str]:
    if not event_ids:
        return {}
    event = table_of(Event).c
    stmt = sa.select(event.id, event.headline).where(ids_in(session, event.id, sorted(event_ids)))
    return {event_id: headline for event_id, headline in session.execute(stmt).all()}


def item_record(session: Session, item_id: int) -> ItemFull | None:
    """The item with id `item_id` and everything its page shows, or None."""
    if not 0 < item_id <= MAX_ID:
        return None
    row = session.exec(
        select(Item, Source).join(Source, Source.id == Item.source_id).where(Item.id == item_id)  # type: ignore[arg-type]
    ).first()
    if row is None:
        return None
    item = row[0]
    tags = list(
        session.exec(
            select(ItemTag)
            .where(ItemTag.item_id == item_id, ItemTag.status != "rejected")
            .order_by(ItemTag.kind, ItemTag.slug)
        )
    )
    links = session.exec(
        select(ItemSource, Source)
        .join(Source, Source.id == ItemSource.source_id)  # type: ignore[arg-type]
        .where(ItemSource.item_id == item_id)
        .order_by(ItemSource.first_seen, ItemSource.id)  # type: ignore[arg-type]
    )
    return ItemFull(
        card=item_cards(session, [row])[0],
        item=item,
        tags=tags,
        sources=[SourceLink(s.slug, s.name, s.kind, link.guid, link.url) for link, s in links],
        event=session.get(Event, item.event_id) if item.event_id else None,
        bill=session.get(Bill, item.bill_id) if item.bill_id else None,
        source_type=row[1].doc_type,
    )
