"""A timeline's event count and a tag page's co-occurring tags, kept up to date.

Both are aggregates over every item of a listing or a tag (a million items:
seconds), so each is kept per database (`memo.kept_up`) in parts that only a
change to an item published in them can move, and after a change only the
parts of the changed items (sequence numbers above the kept one) are counted
again:

- events, by the day of each event's earliest item in the listing. When items
  change, an event's earliest listed item was either among them (its day is
  recounted) or is the earliest unchanged listed member of one of their
  events (that day is recounted too). Events lose members only to a merge,
  which moves every member, or a split, which gives the members left behind
  new numbers as well (`event_edits.split_item`), so no event is missed;
- co-occurring tags, by blocks of item ids (`BLOCK` ids each), read from the
  tag rows alone: a block with no changed item has the same pairs as before.
  New items come with the highest ids, so what arrives touches the last block.

Deleted items are seen by `kept_up` itself, which counts everything afresh.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, ItemTag, table_of
from tracker.store.day_spans import as_date, changed_days, day_of, day_ranges, tag_driven
from tracker.store.listings import ListingFilter, where
from tracker.store.memo import kept_up

# More days (events) or blocks of item ids (co-occurring tags) changed at once
# than this, and the aggregate is counted afresh.
CHANGED_DAYS = 60
CHANGED_BLOCKS = 12
BLOCK = 8192  # item ids per block of co-occurrence counts

Firsts = dict[date, int]  # events by the day of their earliest item in the listing
Pairs = dict[int, dict[str, int]]  # block of item ids -> {other tag: items with both}


def event_total(session: Session, f: ListingFilter) -> int:
    """How many events hold items of the listing, kept up to date as items change."""
    firsts = kept_up(
        session,
        ("event-firsts", f),
        lambda: _firsts(session, f),
        lambda kept, since: _firsts_refreshed(session, f, kept, since),
    )
    return sum(firsts.values())


def _firsts(session: Session, f: ListingFilter, days: list[date] | None = None) -> Firsts:
    """Events counted by the day of their earliest listed item: all, or those on `days`."""
    item = table_of(Item).c
    if days:  # the events with a listed item on those days, found by the date index
        touching = sa.select(item.event_id).where(*where(f), day_ranges(days))
        chosen = [*where(f), item.event_id.in_(touching)]
    else:
        chosen = [*tag_driven(f), item.event_id.is_not(None)]
    first = sa.func.min(item.published_at).label("first")
    per_event = sa.select(item.event_id, first).where(*chosen).group_by(item.event_id).subquery()
    day = day_of(session, per_event.c.first)
    stmt = sa.select(day, sa.func.count()).select_from(per_event).group_by(day)
    if days:
        stmt = stmt.where(day_ranges(days, per_event.c.first))
    return {as_date(d): int(n) for d, n in session.execute(stmt)}


def _firsts_refreshed(
    session: Session, f: ListingFilter, kept: Firsts, since: int
) -> Firsts | None:
    """`kept` (counted at sequence number `since`) with every day an event's earliest
    listed item may have left or come to counted again; None when too many."""
    days = changed_days(session, since, CHANGED_DAYS)
    if days is None:
        return None
    if not days:
        return kept
    item = table_of(Item).c
    # The events the changed items are in now; the days of their earliest listed
    # members that did not change (where each may have been counted before).
    changed = sa.select(item.event_id).where(item.seq > since, item.event_id.is_not(None))
    first = sa.func.min(item.published_at).label("first")
    stayed = (
        sa.select(first)
        .where(*where(f), item.event_id.in_(changed), item.seq <= since)
        .group_by(item.event_id)
        .subquery()
    )
    stmt = sa.select(day_of(session, stayed.c.first)).distinct().limit(CHANGED_DAYS + 1)
    counted = sorted(set(days) | {as_date(d) for d in session.execute(stmt).scalars()})
    if len(counted) > CHANGED_DAYS:
        return None
    fresh = {d: n for d, n in kept.items() if d not in set(counted)}
    fresh.update(_firsts(session, f, counted))
    return fresh


def cooccurring(session: Session, slug: str, kind: str, limit: int) -> list[tuple[str, int]]:
    """Tags of `kind` that share the most items with `slug`: [(slug, items)], most
    first; kept up to date as items change."""
    blocks = kept_up(
        session,
        ("pairs", slug, kind),
        lambda: _pairs(session, slug, kind),
        lambda kept, since: _pairs_refreshed(session, slug, kind, kept, since),
    )
    totals: Counter[str] = Counter()
    for counts in blocks.values():
        totals.update(counts)
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _pairs(session: Session, slug: str, kind: str, blocks: list[int] | None = None) -> Pairs:
    """Items carrying `slug` and another tag of `kind`, per block of item ids and other
    tag: every block, or only `blocks`. Read from the tag rows alone."""
    mine, other = table_of(ItemTag).alias("mine"), table_of(ItemTag).alias("other")
    block = (mine.c.item_id // BLOCK).label("block")
    conditions: list[Any] = [
        mine.c.slug == slug,
        mine.c.status != "rejected",
        other.c.kind == kind,
        other.c.slug != slug,
        other.c.status != "rejected",
    ]
    if blocks:  # on both sides (the same ids): each read by its id index, not the other
        # wholly (a scan of every tag row, a second at a million items, was the plan)
        for side in (mine, other):
            spans = [sa.and_(side.c.item_id >= b * BLOCK, side.c.item_id < (b + 1) * BLOCK)
                     for b in blocks]  # fmt: skip
            conditions.append(sa.or_(*spans))
    stmt = (
        sa.select(block, other.c.slug, sa.func.count())
        .select_from(mine)
        .join(other, other.c.item_id == mine.c.item_id)
        .where(*conditions)
        .group_by(block, other.c.slug)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for b, tag, n in session.execute(stmt):
        found[int(b)][tag] = int(n)
    return dict(found)


def _pairs_refreshed(
    session: Session, slug: str, kind: str, kept: Pairs, since: int
) -> Pairs | None:
    """`kept` (counted at sequence number `since`) with the blocks of every item
    changed since counted again; None when too many blocks changed."""
    item = table_of(Item).c
    stmt = sa.select(item.id // BLOCK).where(item.seq > since).distinct().limit(CHANGED_BLOCKS + 1)
    blocks = sorted(int(b) for b in session.execute(stmt).scalars())
    if len(blocks) > CHANGED_BLOCKS:
        return None
    if not blocks:
        return kept
    fresh = {b: counts for b, counts in kept.items() if b not in set(blocks)}
    fresh.update(_pairs(session, slug, kind, blocks))
    return fresh
