"""Events as rows: every item joins the event `tracker.events` scores it into.

Items wait with no event until `assign_pending` places them, oldest first, so
a crash between storing and grouping loses nothing: the next run picks up
where this one stopped. Every item ends in an event, alone if need be, which
lets a timeline list events only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker import events as grouping
from tracker.models import Event, Item, ItemTag, Source, utcnow
from tracker.store.tags import next_seqs

BATCH = 200
# How many nearby items an arriving item is compared with, at most: enough for
# a busy week on one entity, few enough that grouping stays cheap at scale.
CANDIDATE_LIMIT = 300


def assign_pending(session: Session, limit: int | None = None) -> int:
    """Place every item that has no event yet; returns how many were placed."""
    placed = 0
    while limit is None or placed < limit:
        batch = list(
            session.exec(
                select(Item)
                .where(Item.event_id == None)  # noqa: E711
                .order_by(Item.published_at, Item.id)  # type: ignore[arg-type]
                .limit(BATCH)
            )
        )
        if not batch:
            break
        for item in batch:
            _place(session, item)
            placed += 1
        session.flush()
    return placed


def _place(session: Session, item: Item) -> None:
    arriving = _event_items(session, [item])[item.id]  # type: ignore[index]
    candidates = _candidates(session, item, arriving)
    event_id = grouping.assign(arriving, candidates)
    if event_id is None:
        event = Event(headline=item.title, event_date=item.published_at, lead_item_id=item.id,
                      created_at=utcnow())  # fmt: skip
        session.add(event)
        session.flush()
        item.event_id = event.id
        session.add(item)
        return
    item.event_id = event_id
    session.add(item)
    session.flush()
    refresh_event(session, event_id)


def refresh_event(session: Session, event_id: int) -> None:
    """Headline and date from the event's members: the most authoritative item leads.

    Members whose event headline changes get a new sequence number, since feeds
    and the index show the headline with them.
    """
    members = list(session.exec(select(Item).where(Item.event_id == event_id)))
    event = session.get(Event, event_id)
    if event is None:
        return
    if not members:
        session.delete(event)
        return
    as_events = _event_items(session, members)
    lead = grouping.headline_item(as_events.values())
    lead_row = next(m for m in members if m.id == lead.id)
    event.event_date = grouping.event_date(as_events.values())
    if event.lead_item_id != lead.id or event.headline != lead_row.title:
        event.headline, event.lead_item_id = lead_row.title, lead.id
        bump(session, [m.id for m in members])  # type: ignore[misc]
    session.add(event)


def bump(session: Session, item_ids: Sequence[int]) -> None:
    """Give items new sequence numbers: something readers see about them changed."""
    now = utcnow()
    for item_id, seq in zip(sorted(item_ids), next_seqs(session, len(item_ids)), strict=True):
        table = Item.__table__
        session.execute(
            sa.update(table).where(table.c.id == item_id).values(seq=seq, changed_at=now)
        )


def _candidates(
    session: Session, item: Item, arriving: grouping.EventItem
) -> list[grouping.EventCandidate]:
    """Events with a member near in time that names one of the same entities or topics."""
    slugs = sorted(arriving.entities | arriving.topics)
    if not slugs:
        return []
    low, high = item.published_at - grouping.WINDOW, item.published_at + grouping.WINDOW
    rows = session.exec(
        select(Item.id, Item.event_id, Item.published_at)
        .join(ItemTag, ItemTag.item_id == Item.id)  # type: ignore[arg-type]
        .where(
            Item.event_id != None,  # noqa: E711
            Item.published_at >= low,
            Item.published_at <= high,
            ItemTag.slug.in_(slugs),  # type: ignore[attr-defined]
            ItemTag.status != "rejected",
        )
        .distinct()
        .order_by(Item.published_at.desc())  # type: ignore[attr-defined]
        .limit(CANDIDATE_LIMIT)
    ).all()
    if not rows:
        return []
    # An event is judged by all its members, not only those the query found.
    event_ids = sorted({event_id for _, event_id, _ in rows})  # type: ignore[type-var]
    members = list(session.exec(select(Item).where(Item.event_id.in_(event_ids))))  # type: ignore[union-attr]
    as_events = _event_items(session, members)
    by_event: dict[int, list[grouping.EventItem]] = defaultdict(list)
    for member in members:
        by_event[member.event_id].append(as_events[member.id])  # type: ignore[index]
    return [grouping.EventCandidate(eid, tuple(by_event[eid])) for eid in event_ids]


def _event_items(session: Session, items: Iterable[Item]) -> dict[int, grouping.EventItem]:
    items = list(items)
    ids = [i.id for i in items]
    tags: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for item_id, slug, kind in session.exec(
        select(ItemTag.item_id, ItemTag.slug, ItemTag.kind).where(
            ItemTag.item_id.in_(ids),  # type: ignore[attr-defined]
            ItemTag.status != "rejected",
        )
    ):
        tags[item_id][0 if kind == "entity" else 1].add(slug)
    sources = dict(session.exec(select(Source.id, Source.slug)).all())
    return {
        i.id: grouping.EventItem(  # type: ignore[misc]
            id=i.id,  # type: ignore[arg-type]
            title=i.title,
            text=i.text,
            entities=frozenset(tags[i.id][0]),  # type: ignore[index]
            topics=frozenset(tags[i.id][1]),  # type: ignore[index]
            published=i.published_at,
            doc_type=i.doc_type,
            source=sources.get(i.source_id, ""),
        )
        for i in items
    }
