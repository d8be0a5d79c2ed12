"""The directory of listings: topics, entities, sources and bills by key, with counts.

Feeds, the feed list, OPML and the API ask here whether a slug names anything
and what to call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Bill, Entity, Item, ItemTag, Source, Topic, table_of


@dataclass(frozen=True)
class TagEntry:
    """A topic or an entity with how many items carry it."""

    slug: str
    name: str
    kind: str  # "topic", or the entity's kind: company, model, agency, ...
    description: str
    items: int
    parent: str | None = None


@dataclass(frozen=True)
class SourceEntry:
    """A source with how many items it holds."""

    slug: str
    name: str
    kind: str
    url: str
    doc_type: str
    is_sample: bool
    items: int


def _tag_counts(session: Session, kind: str) -> dict[str, int]:
    tag = table_of(ItemTag).c
    # (item_id, slug) is unique, so counting rows counts items.
    stmt = (
        sa.select(tag.slug, sa.func.count())
        .where(tag.kind == kind, tag.status != "rejected")
        .group_by(tag.slug)
    )
    return {slug: int(n) for slug, n in session.execute(stmt)}


def topics(session: Session) -> list[TagEntry]:
    """Every topic of the taxonomy, by name, with its item count."""
    counts = _tag_counts(session, "topic")
    rows = session.exec(select(Topic).order_by(Topic.name))
    return [TagEntry(t.slug, t.name, "topic", t.description, counts.get(t.slug, 0)) for t in rows]


def entities(session: Session) -> list[TagEntry]:
    """Every entity of the taxonomy, by name, with its item count."""
    counts = _tag_counts(session, "entity")
    rows = session.exec(select(Entity).order_by(Entity.name))
    return [
        TagEntry(e.slug, e.name, e.kind, e.description, counts.get(e.slug, 0), e.parent)
        for e in rows
    ]


def sources(session: Session) -> list[SourceEntry]:
    """Every source with items, real ones first, by name."""
    item = table_of(Item).c
    counts = dict(
        session.execute(sa.select(item.source_id, sa.func.count()).group_by(item.source_id)).all()
    )
    rows = session.exec(select(Source).order_by(Source.is_sample, Source.name))  # type: ignore[arg-type]
    return [
        SourceEntry(s.slug, s.name, s.kind, s.url, s.doc_type, s.is_sample, int(counts[s.id]))
        for s in rows
        if counts.get(s.id)
    ]


def topic(session: Session, slug: str) -> Topic | None:
    """The topic `slug`, or None."""
    return session.get(Topic, slug)


def entity(session: Session, slug: str) -> Entity | None:
    """The entity `slug`, or None."""
    return session.get(Entity, slug)


def source(session: Session, slug: str) -> Source | None:
    """The source `slug`, or None."""
    return session.exec(select(Source).where(Source.slug == slug)).first()


def bill(session: Session, key: str) -> Bill | None:
    """The bill with key ``119-s-1705`` (the live one before a demo snapshot's), or None."""
    stmt = select(Bill).where(Bill.key == key).order_by(Bill.sample)  # type: ignore[arg-type]
    return session.exec(stmt).first()


def tag_names(session: Session) -> dict[str, str]:
    """Display names of every topic and entity, by slug."""
    topic, entity = table_of(Topic).c, table_of(Entity).c
    names: dict[str, str] = dict(session.execute(sa.select(topic.slug, topic.name)).all())
    names.update(session.execute(sa.select(entity.slug, entity.name)).all())
    return names
