"""People's edits to events: merging two events, moving an item out of one.

The machine groups items as they arrive (`events.assign_pending`) and never
regroups an item it has placed, so a person's merge or split stays. After
either edit the events' headlines and dates are worked out again
(`events.refresh_event`) and every moved item gets a new sequence number, so
feeds and the search index show its new event.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from tracker.models import Event, Item, utcnow
from tracker.store import NotFound, audit
from tracker.store.editing import EditRefused
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
    bump(session, [item_id])
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
