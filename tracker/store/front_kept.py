"""The home page's week, kept up to date by day: only the days of changed items are read.

The week's leading events and busiest tags are built from every tagged item
published in the week (thousands at a million items, a fifth of a second of
Python after each change). They are kept (`memo.kept_up`) as one part per day
of the week: what each event and tag gathered from that day's items. An item
keeps its publication time, so after a change only the days of the changed
items are read again, and the parts are joined into the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, ItemTag, table_of
from tracker.store.memo import kept_up

DAY = timedelta(days=1)
DAYS = 7


@dataclass
class _Event:
    """What an event gathered from one day's tagged items."""

    authority: int
    doc_type: str
    tags: dict[str, bool]  # slug -> confirmed by a person
    newest: datetime


Part = tuple[dict[int, _Event], dict[tuple[str, str], int]]  # events; (slug, kind) -> items


def week_parts(session: Session, start: datetime, end: datetime) -> list[Part]:
    """The week from `start` to `end` as one part per day, kept up to date."""
    return kept_up(
        session,
        ("front-days", start, end),
        lambda: _parts(session, start, end),
        lambda kept, since: _refreshed(session, start, end, kept, since),
    )


def _day(start: datetime) -> Any:
    item = table_of(Item).c
    return sa.case(
        *[(item.published_at < start + DAY * (i + 1), i) for i in range(DAYS)], else_=DAYS
    )


def _parts(
    session: Session, start: datetime, end: datetime, only: list[int] | None = None
) -> list[Part]:
    """Every day's part, or (with `only`) those days' parts and empty ones elsewhere."""
    from tracker.store.home import AUTHORITY

    item, tag = table_of(Item).c, table_of(ItemTag).c
    days = range(DAYS) if only is None else only
    spans = [(start + DAY * i, min(start + DAY * (i + 1), end)) for i in days]
    within = sa.or_(*(sa.and_(item.published_at >= a, item.published_at < b) for a, b in spans))
    stmt = (
        sa.select(item.id, item.event_id, item.doc_type, item.published_at, tag.slug, tag.kind,
                  tag.status, _day(start))
        .join(table_of(ItemTag), tag.item_id == item.id)
        .where(within, tag.status != "rejected")
    )  # fmt: skip
    events: list[dict[int, _Event]] = [{} for _ in range(DAYS)]
    per_tag: list[dict[tuple[str, str], set[int]]] = [defaultdict(set) for _ in range(DAYS)]
    for item_id, event_id, doc_type, published, slug, kind, status, day in session.execute(stmt):
        if not 0 <= day < DAYS:
            continue
        per_tag[day][(slug, kind)].add(item_id)
        if event_id is None:  # not grouped yet: shown once it has its event
            continue
        weight = AUTHORITY.get(doc_type, 1)
        found = events[day].get(event_id)
        if found is None:
            found = events[day][event_id] = _Event(weight, doc_type, {}, published)
        _gather(found, _Event(weight, doc_type, {slug: status == "confirmed"}, published))
    return [(events[d], {k: len(v) for k, v in per_tag[d].items()}) for d in range(DAYS)]


def _gather(into: _Event, more: _Event) -> None:
    """`more` added to `into`: the best authority (of equals, the first type by name),
    every tag (confirmed if confirmed anywhere), the newest time."""
    if (-more.authority, more.doc_type) < (-into.authority, into.doc_type):
        into.authority, into.doc_type = more.authority, more.doc_type
    for slug, confirmed in more.tags.items():
        into.tags[slug] = into.tags.get(slug, False) or confirmed
    into.newest = max(into.newest, more.newest)


def _refreshed(
    session: Session, start: datetime, end: datetime, kept: list[Part], since: int
) -> list[Part]:
    item = table_of(Item).c
    stmt = sa.select(_day(start)).where(
        item.seq > since, item.published_at >= start, item.published_at < end
    )
    touched = sorted(set(session.execute(stmt.distinct()).scalars()) & set(range(DAYS)))
    if not touched:
        return kept
    fresh = _parts(session, start, end, touched)
    return [fresh[d] if d in touched else kept[d] for d in range(DAYS)]


def joined(parts: list[Part]) -> tuple[dict[int, _Event], dict[tuple[str, str], int]]:
    """The week's events and per-tag item counts from its days' parts."""
    events: dict[int, _Event] = {}
    per_tag: dict[tuple[str, str], int] = defaultdict(int)
    for day_events, day_tags in parts:
        for event_id, e in day_events.items():
            if event_id not in events:
                events[event_id] = _Event(e.authority, e.doc_type, dict(e.tags), e.newest)
            else:
                _gather(events[event_id], e)
        for key, n in day_tags.items():
            per_tag[key] += n
    return events, dict(per_tag)
