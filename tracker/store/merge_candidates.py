"""Events an editor may want to merge into another: close in time, sharing tags.

Offered on an item's review page with a button each, so merging never means
looking up and typing an event number. The merge itself is
`tracker.store.event_edits.merge_events`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Event, Item, ItemTag, table_of

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
