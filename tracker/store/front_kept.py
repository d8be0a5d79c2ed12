"""The home page's week, kept up to date by hour: only the hours of changed items are
read again, and a new hour moves the week instead of counting it.

The week's leading events and busiest tags are built from every tagged item
published in the week (thousands at a million items, a fifth of a second of
Python after each change). They are kept (`memo.kept_up`) in one part per hour
of the week: what each event and tag gathered from that hour's items, in two
flat maps keyed by hour (flat, so that a memo measuring the value's size
samples it instead of walking some 13,000 parts at a million items). An item
keeps its publication time, so after a change only the hours of the changed
items are read again, and the parts are joined into the page.

The current week ends at the next full hour, so its key changes every hour.
Its first count at a new hour starts from the week kept up to a day earlier
(`_slid`): that week brought up to date, its first hours dropped and the hours
after its end counted, one part each. A part is what one hour's items make,
whatever week it sits in, so the moved week equals a count afresh.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlmodel import Session

from tracker.models import Item, ItemTag, table_of
from tracker.store.memo import heads, kept_earlier, kept_up

HOUR = timedelta(hours=1)
HOURS = 7 * 24  # parts of a week


def fights(tag: ReadOnlyColumnCollection[str, sa.Column[Any]]) -> sa.ColumnElement[bool]:
    """The tags the front page counts: not rejected, and not given only because of who
    issued the document (tracker/issuers.py: every proclamation is the White House's,
    an observance's too, which moves no fight) unless a person confirmed one."""
    return sa.and_(
        tag.status != "rejected", sa.or_(tag.origin != "issuer", tag.status == "confirmed")
    )


@dataclass
class _Event:
    """What an event gathered from one hour's tagged items."""

    authority: int
    doc_type: str
    tags: dict[str, bool]  # slug -> confirmed by a person
    newest: datetime


# (hour, event id) -> what the event gathered in that hour; (hour, slug, kind) -> items.
Parts = tuple[dict[tuple[int, int], _Event], dict[tuple[int, str, str], int]]


def week_parts(session: Session, start: datetime, end: datetime) -> Parts:
    """The week from `start` to `end` as one part per hour, kept up to date."""
    return kept_up(
        session,
        ("front-days", start, end),
        lambda: _slid(session, start, end) or _parts(session, start, end),
        lambda kept, since: _refreshed(session, start, end, kept, since),
    )


def _hour(published: datetime, start: datetime) -> int:
    """The part an item published at `published` falls in (the column reads as UTC)."""
    return (published - start) // HOUR


def _runs(hours: list[int]) -> list[tuple[int, int]]:
    """Sorted hours as [first, last + 1) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for h in hours:
        if runs and runs[-1][1] == h:
            runs[-1] = (runs[-1][0], h + 1)
        else:
            runs.append((h, h + 1))
    return runs


def _parts(
    session: Session, start: datetime, end: datetime, only: list[int] | None = None
) -> Parts:
    """Every hour's parts, or (with `only`, sorted) those hours' parts alone."""
    from tracker.store.home import AUTHORITY

    item, tag = table_of(Item).c, table_of(ItemTag).c
    runs = [(0, HOURS)] if only is None else _runs(only)
    spans = [(start + HOUR * a, min(start + HOUR * b, end)) for a, b in runs]
    within = sa.or_(*(sa.and_(item.published_at >= a, item.published_at < b) for a, b in spans))
    stmt = (
        sa.select(item.id, item.event_id, item.doc_type, item.published_at, tag.slug, tag.kind,
                  tag.status)
        .join(table_of(ItemTag), tag.item_id == item.id)
        .where(within, fights(tag))
    )  # fmt: skip
    events: dict[tuple[int, int], _Event] = {}
    per_tag: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for item_id, event_id, doc_type, published, slug, kind, status in session.execute(stmt):
        hour = _hour(published, start)
        if not 0 <= hour < HOURS:
            continue
        per_tag[(hour, slug, kind)].add(item_id)
        if event_id is None:  # not grouped yet: shown once it has its event
            continue
        weight = AUTHORITY.get(doc_type, 1)
        found = events.get((hour, event_id))
        if found is None:
            found = events[(hour, event_id)] = _Event(weight, doc_type, {}, published)
        _gather(found, _Event(weight, doc_type, {slug: status == "confirmed"}, published))
    return events, {k: len(v) for k, v in per_tag.items()}


def _gather(into: _Event, more: _Event) -> None:
    """`more` added to `into`: the best authority (of equals, the first type by name),
    every tag (confirmed if confirmed anywhere), the newest time."""
    if (-more.authority, more.doc_type) < (-into.authority, into.doc_type):
        into.authority, into.doc_type = more.authority, more.doc_type
    for slug, confirmed in more.tags.items():
        into.tags[slug] = into.tags.get(slug, False) or confirmed
    into.newest = max(into.newest, more.newest)


def _refreshed(
    session: Session, start: datetime, end: datetime, kept: Parts, since: int
) -> Parts | None:
    """`kept` (counted at sequence number `since`) with the hours of every item changed
    since read again; an update keeps an item's publication time."""
    if not isinstance(kept, tuple) or len(kept) != 2:
        return None
    item = table_of(Item).c
    stmt = sa.select(item.published_at).where(
        item.seq > since, item.published_at >= start, item.published_at < end
    )
    touched = sorted({_hour(p, start) for p in session.execute(stmt).scalars()} & set(range(HOURS)))
    if not touched:
        return kept
    changed = set(touched)
    events, per_tag = _parts(session, start, end, touched)
    events.update((k, e) for k, e in kept[0].items() if k[0] not in changed)
    per_tag.update((k, n) for k, n in kept[1].items() if k[0] not in changed)
    return events, per_tag


def _slid(session: Session, start: datetime, end: datetime) -> Parts | None:
    """The week from `start` to `end` from the one kept up to a day earlier: that week
    brought up to date, less its first hours, plus the parts of the hours after its
    end. None when none is kept, or items were deleted since it was counted."""
    earlier = kept_earlier(session, lambda n: ("front-days", start - HOUR * n, end - HOUR * n))
    if earlier is None:
        return None
    hours, since, parts = earlier
    if since < heads(session)[0]:
        parts = _refreshed(session, start - HOUR * hours, end - HOUR * hours, parts, since)
    if parts is None:
        return None
    events, per_tag = _parts(session, start, end, list(range(HOURS - hours, HOURS)))
    events.update(((h - hours, e), v) for (h, e), v in parts[0].items() if h >= hours)
    per_tag.update(
        ((h - hours, slug, kind), n) for (h, slug, kind), n in parts[1].items() if h >= hours
    )
    return events, per_tag


def joined(parts: Parts) -> tuple[dict[int, _Event], dict[tuple[str, str], int]]:
    """The week's events and per-tag item counts from its hours' parts."""
    events: dict[int, _Event] = {}
    per_tag: dict[tuple[str, str], int] = defaultdict(int)
    for (_, event_id), e in parts[0].items():
        if event_id not in events:
            events[event_id] = _Event(e.authority, e.doc_type, dict(e.tags), e.newest)
        else:
            _gather(events[event_id], e)
    for (_, slug, kind), n in parts[1].items():
        per_tag[(slug, kind)] += n
    return events, dict(per_tag)
