"""People's edits to events: merging two events, moving an item out of one.

The machine groups items as they arrive (`events.assign_pending`) and never
regroups an item it has placed, so a person's merge or split stays. After
either edit the events' headlines and dates are worked out again
(`events.refresh_event`) and every moved item gets a new sequence number, so
feeds and the search index show its new event; after a split, so do the items
left in the old event.

`nearby_events` offers the events an editor may want to merge into another:
close in time, sharing tags, each with a button on the item's review page, so
merging never means looking up and typing an event number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Event, Item, ItemTag, table_of, utcnow
from tracker.store import EditRefused, NotFound, audit
from tracker.store.events import bump, refresh_event


def merge_events(session: Session, keep_id: int, other_id: int, actor: str) -> int:
    """Move every item of event `other_id` into `keep_id`; returns how many moved.

    The emptied event is removed; the kept one takes the headline of its most
    authoritative item, which may now be one of the newcomers.
    """
    if keep_id == other_id:
        raise EditRefused("An event cannot be merged with itself.")
    keep, other = _event(session, keep_id), _event(session, other_id)
    if _is_snapshot(session, keep_id) != _is_snapshot(session, other_id):
        raise EditRefused(
            "An event of the bundled demo snapshot cannot be merged with an event of live items."
        )
    before = {"kept": _state(session, keep), "merged": _state(session, other)}
    moved = list(session.exec(select(Item).where(Item.event_id == other_id)))
    for item in moved:
        item.event_id = keep_id
        session.add(item)
    session.flush()
    refresh_event(session, other_id)  # no members left: removed
    refresh_event(session, keep_id)
    session.flush()
    bump(session, [i.id for i in moved])  # type: ignore[misc]
    audit.record(session, actor, "event.merge", ("event", keep_id), before,
                 {"kept": _state(session, keep), "merged": None})  # fmt: skip
    return len(moved)


def split_item(session: Session, item_id: int, actor: str) -> int:
    """Move an item out of its event into a new event of its own; returns the new id."""
    item = session.get(Item, item_id)
    if item is None:
        raise NotFound(f"There is no item {item_id}.")
    old = session.get(Event, item.event_id) if item.event_id else None
    if old is not None and len(_members(session, old.id)) < 2:  # type: ignore[arg-type]
        raise EditRefused("This item is already alone in its event.")
    before = {"item_id": item_id, "event": _state(session, old) if old else None}
    event = Event(headline=item.title, event_date=item.published_at, lead_item_id=item.id,
                  created_at=utcnow())  # fmt: skip
    session.add(event)
    session.flush()
    item.event_id = event.id
    session.add(item)
    session.flush()
    if old is not None:
        refresh_event(session, old.id)  # type: ignore[arg-type]
    refresh_event(session, event.id)  # type: ignore[arg-type]
    # The items left behind are in a changed event too: kept event counts find an
    # event's earliest member among the changed items' events (timeline_counts.py).
    left = _members(session, old.id) if old is not None else []  # type: ignore[arg-type]
    bump(session, [item_id, *left])
    after = {"item_id": item_id, "event": _state(session, event),
             "left": _state(session, old) if old else None}  # fmt: skip
    audit.record(session, actor, "event.split", ("item", item_id), before, after)
    return event.id  # type: ignore[return-value]


def _event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"There is no event {event_id}.")
    return event


def _is_snapshot(session: Session, event_id: int) -> bool:
    """Whether the event holds items of the bundled demo snapshot."""
    stmt = select(Item.sample).where(Item.event_id == event_id).limit(1)
    return bool(session.exec(stmt).first())


def _members(session: Session, event_id: int) -> list[int]:
    stmt = select(Item.id).where(Item.event_id == event_id).order_by(Item.id)  # type: ignore[arg-type]
    return [i for i in session.exec(stmt) if i is not None]


def _state(session: Session, event: Event) -> dict[str, Any]:
    return {"id": event.id, "headline": event.headline, "date": event.event_date,
            "items": _members(session, event.id)}  # type: ignore[arg-type]  # fmt: skip


WINDOW = timedelta(days=10)  # reports of one happening come within days of it
SCANNED = 200  # events in the window looked at, nearest in time first


@dataclass(frozen=True)
class Candidate:
    """An event near another, with what they have in common."""

    id: int
    headline: str
    date: datetime
    size: int
    shared: tuple[str, ...]  # tag slugs both events' items carry


def nearby_events(session: Session, event_id: int, limit: int = 8) -> list[Candidate]:
    """Events within WINDOW of `event_id` that share a tag with it, most shared first,
    then nearest in time. Events of the demo snapshot and of live items never mix."""
    event = session.get(Event, event_id)
    if event is None:
        return []
    ev, item = table_of(Event).c, table_of(Item).c
    sample = session.execute(
        sa.select(item.sample).where(item.event_id == event_id).limit(1)
    ).scalar()
    # The nearest in time on each side, down the event_date index.
    when = event.event_date
    after = (
        sa.select(ev.id, ev.headline, ev.event_date)
        .where(ev.id != event_id, ev.event_date >= when, ev.event_date <= when + WINDOW)
        .order_by(ev.event_date, ev.id)
        .limit(SCANNED // 2)
    )
    before = (
        sa.select(ev.id, ev.headline, ev.event_date)
        .where(ev.event_date < when, ev.event_date >= when - WINDOW)
        .order_by(ev.event_date.desc(), ev.id.desc())
        .limit(SCANNED // 2)
    )
    rows = [*session.execute(after).all(), *session.execute(before).all()]
    if not rows:
        return []
    ids = [event_id, *(r[0] for r in rows)]
    tags, sizes, samples = _tags_and_sizes(session, ids)
    mine = tags.get(event_id, set())
    found = [
        Candidate(r[0], r[1], r[2], sizes.get(r[0], 0), tuple(sorted(mine & tags.get(r[0], set()))))
        for r in rows
        if samples.get(r[0], sample) == sample
    ]
    found = [c for c in found if c.shared]
    found.sort(
        key=lambda c: (-len(c.shared), abs((c.date - event.event_date).total_seconds()), c.id)
    )
    return found[:limit]


def _tags_and_sizes(
    session: Session, event_ids: list[int]
) -> tuple[dict[int, set[str]], dict[int, int], dict[int, bool]]:
    item, tag = table_of(Item).c, table_of(ItemTag).c
    sizes: dict[int, int] = defaultdict(int)
    samples: dict[int, bool] = {}
    for event_id, sample in session.execute(
        sa.select(item.event_id, item.sample).where(item.event_id.in_(event_ids))
    ):
        sizes[event_id] += 1
        samples[event_id] = bool(sample)
    tags: dict[int, set[str]] = defaultdict(set)
    for event_id, slug in session.execute(
        sa.select(item.event_id, tag.slug)
        .join(table_of(ItemTag), tag.item_id == item.id)
        .where(item.event_id.in_(event_ids), tag.status != "rejected")
    ):
        tags[event_id].add(slug)
    return tags, sizes, samples
