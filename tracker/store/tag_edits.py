"""People's edits to tags: the review queue, confirming, rejecting, adding.

A decided tag (confirmed or rejected) and a manual tag are never touched by
the machine again (`tags.replace_rule_tags` keeps them), so a retag or a
re-fetch cannot undo a person's word. Every change is written to the audit
log and gives the item a new sequence number, so feeds and the search index
show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Entity, Event, Item, ItemTag, Source, Topic, table_of, utcnow
from tracker.store import EditRefused, NotFound, audit
from tracker.store.events import bump

DECISIONS = {"confirm": "confirmed", "reject": "rejected"}


@dataclass(frozen=True)
class ReviewRow:
    """A suggested tag in the queue, with what the reviewer needs to judge it."""

    tag_id: int
    slug: str
    kind: str
    origin: str
    evidence: list[dict[str, Any]]
    item_id: int
    title: str
    text: str
    published: datetime
    doc_type: str
    source_name: str
    status: str = "suggested"  # what the queue holds; lets the row read like an ItemTag


@dataclass(frozen=True)
class ItemReview:
    """One item with all its tags, rejected ones too, and its event."""

    item: Item
    source_name: str
    tags: list[ItemTag]
    event: Event | None
    event_size: int


def review_queue(
    session: Session, slug: str | None = None, *, limit: int = 50, offset: int = 0
) -> tuple[list[ReviewRow], int]:
    """Suggested tags, newest items first, optionally of one slug; and their total."""
    tag, item, source = table_of(ItemTag).c, table_of(Item).c, table_of(Source).c
    where = [tag.status == "suggested"] + ([tag.slug == slug] if slug else [])
    count = sa.select(sa.func.count()).select_from(table_of(ItemTag)).where(*where)
    total = session.execute(count).scalar_one()
    columns = (tag.id, tag.slug, tag.kind, tag.origin, tag.evidence, item.id, item.title,
               item.text, item.published_at, item.doc_type, source.name)  # fmt: skip
    rows = session.execute(
        sa.select(*columns)
        .join(table_of(Item), item.id == tag.item_id)
        .join(table_of(Source), source.id == item.source_id)
        .where(*where)
        .order_by(item.published_at.desc(), item.id.desc(), tag.kind, tag.slug)
        .limit(limit)
        .offset(offset)
    ).all()
    return [ReviewRow(*row) for row in rows], int(total)


def queue_slugs(session: Session) -> list[tuple[str, int]]:
    """Slugs with suggested tags, and how many each has, the most first."""
    tag = table_of(ItemTag).c
    rows = session.execute(
        sa.select(tag.slug, sa.func.count())
        .where(tag.status == "suggested")
        .group_by(tag.slug)
        .order_by(sa.func.count().desc(), tag.slug)
    )
    return [(slug, int(count)) for slug, count in rows]


def tag_choices(session: Session) -> list[tuple[str, str, str]]:
    """Every topic and entity as (kind, slug, name), topics first, by name."""
    topics = [("topic", t.slug, t.name) for t in session.exec(select(Topic).order_by(Topic.name))]
    entities = [
        ("entity", e.slug, e.name) for e in session.exec(select(Entity).order_by(Entity.name))
    ]
    return topics + entities


def item_review(session: Session, item_id: int) -> ItemReview:
    """The item as its review page shows it; `NotFound` if there is none."""
    row = session.exec(
        select(Item, Source.name)
        .join(Source, Source.id == Item.source_id)  # type: ignore[arg-type]
        .where(Item.id == item_id)
    ).first()
    if row is None:
        raise NotFound(f"There is no item {item_id}.")
    item, source_name = row
    tags = list(
        session.exec(
            select(ItemTag).where(ItemTag.item_id == item_id).order_by(ItemTag.kind, ItemTag.slug)
        )
    )
    event = session.get(Event, item.event_id) if item.event_id else None
    size = 0
    if event is not None:
        count = sa.select(sa.func.count()).where(table_of(Item).c.event_id == event.id)
        size = int(session.execute(count).scalar_one())
    return ItemReview(item, source_name, tags, event, size)


def decide_tags(session: Session, tag_ids: Iterable[int], decision: str, actor: str) -> int:
    """Confirm or reject tags; returns how many changed. Unknown ids are skipped."""
    if decision not in DECISIONS:
        raise EditRefused(f"unknown decision {decision!r}")
    status = DECISIONS[decision]
    ids = sorted(set(tag_ids))
    if not ids:
        raise EditRefused("Choose at least one tag.")
    now = utcnow()
    items: set[int] = set()
    count = 0
    rows = session.exec(select(ItemTag).where(ItemTag.id.in_(ids)))  # type: ignore[union-attr]
    for tag in rows:
        if tag.status == status:
            continue
        before = _tag_state(tag)
        tag.status, tag.decided_by, tag.decided_at = status, actor, now
        session.add(tag)
        audit.record(session, actor, f"tag.{decision}", ("tag", tag.id), before, _tag_state(tag))
        items.add(tag.item_id)
        count += 1
    session.flush()
    bump(session, sorted(items))
    return count


def add_manual_tag(session: Session, item_id: int, slug: str, actor: str) -> tuple[str, bool]:
    """Tag an item by hand (confirmed at once); returns the tag's kind, and
    True when it confirmed a tag the machine had suggested rather than added one.

    A tag the machine already suggested or a person rejected becomes confirmed;
    the first is logged as "tag.confirm", like a confirmation from the queue.
    """
    if session.get(Item, item_id) is None:
        raise NotFound(f"There is no item {item_id}.")
    kind = _kind_of(session, slug)
    now = utcnow()
    tag = session.exec(
        select(ItemTag).where(ItemTag.item_id == item_id, ItemTag.slug == slug)
    ).first()
    before = _tag_state(tag) if tag else None
    confirming = tag is not None and tag.status == "suggested"
    if tag is not None and tag.status == "confirmed":
        raise EditRefused(f"The item already carries {_name_of(session, slug)}, confirmed.")
    if tag is None:
        tag = ItemTag(item_id=item_id, slug=slug, kind=kind, origin="manual", evidence=[],
                      created_at=now)  # fmt: skip
    tag.status, tag.decided_by, tag.decided_at = "confirmed", actor, now
    session.add(tag)
    session.flush()
    action = "tag.confirm" if confirming else "tag.add"
    audit.record(session, actor, action, ("tag", tag.id), before, _tag_state(tag))
    _imply_parents(session, item_id, slug, actor, now)
    bump(session, [item_id])
    return kind, confirming


def _imply_parents(session: Session, item_id: int, slug: str, actor: str, now: datetime) -> None:
    """A tag added by hand implies its parents, as a tag the rules found does.

    The parents are confirmed, so a retag keeps them; a parent the item
    already carries, rejected by someone or not, is left as it is.
    """
    entity = session.get(Entity, slug)
    seen = {slug}
    while entity is not None and entity.parent and entity.parent not in seen:
        parent = entity.parent
        seen.add(parent)
        present = session.exec(
            select(ItemTag).where(ItemTag.item_id == item_id, ItemTag.slug == parent)
        ).first()
        if present is None:
            implied = ItemTag(item_id=item_id, slug=parent, kind="entity", origin="parent",
                              status="confirmed", evidence=[], created_at=now, decided_by=actor,
                              decided_at=now)  # fmt: skip
            session.add(implied)
            session.flush()
            audit.record(session, actor, "tag.add", ("tag", implied.id), None, _tag_state(implied))
        entity = session.get(Entity, parent)


def _name_of(session: Session, slug: str) -> str:
    found = session.get(Topic, slug) or session.get(Entity, slug)
    return found.name if found is not None else slug


def _kind_of(session: Session, slug: str) -> str:
    if session.get(Topic, slug) is not None:
        return "topic"
    if session.get(Entity, slug) is not None:
        return "entity"
    raise EditRefused(f"{slug!r} is neither a topic nor an entity of the taxonomy.")


def _tag_state(tag: ItemTag) -> dict[str, Any]:
    return {"item_id": tag.item_id, "slug": tag.slug, "kind": tag.kind, "origin": tag.origin,
            "status": tag.status}  # fmt: skip
