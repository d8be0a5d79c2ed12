"""Timelines: the events of any listing, newest or oldest first, and what a tag's page adds.

A timeline lists events, not items: an event is shown when at least one of its
items is in the listing (`ListingFilter`), and it shows those items. Events are
paged in the database so that a topic with tens of thousands of items costs
about the same as one with ten.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Entity, Event, Item, ItemTag, Topic, table_of
from tracker.store import day_spans, timeline_counts
from tracker.store.event_cards import EventCard, event_cards
from tracker.store.listings import ListingFilter, in_one_process, in_order, where
from tracker.store.memo import kept_up, remembered

# Up to this many matching items, their events are collected from the items
# (and remembered); above it, events are walked newest first and tested, which
# stops early because matching events are dense.
SPARSE_ITEMS = 3000
# More days than this changed at once, and a listing's daily counts are counted afresh.
CHANGED_DAYS = 60


@dataclass(frozen=True)
class TagInfo:
    """A topic or an entity as its page introduces it."""

    slug: str
    kind: str  # topic | entity
    name: str
    description: str
    entity_kind: str | None = None
    parent: str | None = None


@dataclass
class TimelinePage:
    """One page of a timeline."""

    events: list[EventCard]
    has_next: bool
    item_total: int


def tag_names(session: Session) -> dict[str, TagInfo]:
    """Every topic and entity by slug."""
    found = {
        t.slug: TagInfo(t.slug, "topic", t.name, t.description) for t in session.exec(select(Topic))
    }
    for e in session.exec(select(Entity)):
        found[e.slug] = TagInfo(e.slug, "entity", e.name, e.description, e.kind, e.parent)
    return found


def tag_info(session: Session, kind: str, slug: str) -> TagInfo | None:
    """The topic or entity `slug`, or None when the taxonomy has no such tag."""
    if kind == "topic":
        topic = session.get(Topic, slug)
        return TagInfo(slug, "topic", topic.name, topic.description) if topic else None
    entity = session.get(Entity, slug)
    if entity is None:
        return None
    return TagInfo(slug, "entity", entity.name, entity.description, entity.kind, entity.parent)


def timeline(
    session: Session, f: ListingFilter, *, limit: int = 20, offset: int = 0, oldest: bool = False
) -> TimelinePage:
    """Events holding items of the listing, newest first (oldest first when `oldest`),
    with those items."""
    total = sum(daily_counts(session, f).values())
    ids = event_ids(session, f, limit=limit + 1, offset=offset, oldest=oldest)
    return TimelinePage(event_cards(session, ids[:limit], f), len(ids) > limit, total)


def event_ids(
    session: Session, f: ListingFilter, *, limit: int, offset: int = 0, oldest: bool = False
) -> list[int]:
    """The ids of a page of the listing's events: the one query every timeline reads."""
    total = sum(daily_counts(session, f).values())
    if total == 0:
        return []
    if total <= SPARSE_ITEMS:
        ids = _sparse_events(session, f)
        return (ids[::-1] if oldest else ids)[offset : offset + limit]
    # A page of a walk is remembered too: a sparse listing's walk reads thousands of rows.
    key = ("walked", f, limit, offset, oldest)
    return remembered(session, key, lambda: _events_walked(session, f, limit, offset, oldest))


def event_count(session: Session, f: ListingFilter) -> int:
    """How many events hold items of the listing.

    A small listing's events are remembered until items change; a large one's
    count is kept up to date (`timeline_counts.event_total`).
    """
    total = sum(daily_counts(session, f).values())
    if total == 0:
        return 0
    if total <= SPARSE_ITEMS:
        return len(_sparse_events(session, f))
    if f.bill or f.item_ids is not None:  # a bill key's items can change with no item changing
        return remembered(session, ("event-count", f), lambda: _event_count(session, f))
    return timeline_counts.event_total(session, f)


def _event_count(session: Session, f: ListingFilter) -> int:
    """`event_count` counted afresh."""
    total = sum(daily_counts(session, f).values())
    if total == 0:
        return 0
    if total <= SPARSE_ITEMS:
        return len(_sparse_events(session, f))
    item = table_of(Item).c
    stmt = sa.select(sa.func.count(sa.distinct(item.event_id))).where(
        *_tag_driven(f), item.event_id.is_not(None)
    )
    return int(session.execute(stmt).scalar_one())


def _sparse_events(session: Session, f: ListingFilter) -> list[int]:
    """Every event of a small listing, newest first; remembered until items change."""
    return remembered(session, ("sparse-events", f), lambda: _events_from_items(session, f))


def daily_counts(session: Session, f: ListingFilter) -> dict[tuple[date, str], int]:
    """Items of the listing per day and document type; kept up to date as items change.

    Charts by week or month, and the listing's total, are sums of these. After
    a change only the days of the items changed since are counted again.
    """
    if f.bill:  # which bill a key names can change with no item changing: counted afresh
        return remembered(session, ("daily", f), lambda: _daily_counts(session, f))
    return kept_up(
        session,
        ("daily", f),
        lambda: _daily_counts(session, f),
        lambda kept, since: _daily_refreshed(session, f, kept, since),
    )


def monthly_counts(session: Session, f: ListingFilter) -> dict[tuple[int, int], dict[str, int]]:
    """Items per month and document type, {(year, month): {type: count}}, oldest first:
    sums of the remembered `daily_counts`."""
    months: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (day, doc_type), n in daily_counts(session, f).items():
        months[(day.year, day.month)][doc_type] += n
    return {k: dict(v) for k, v in sorted(months.items())}


_day = day_spans.day_of
_day_ranges = day_spans.day_ranges
_as_date = day_spans.as_date
_tag_driven = day_spans.tag_driven


def _daily_refreshed(
    session: Session, f: ListingFilter, kept: dict[tuple[date, str], int], since: int
) -> dict[tuple[date, str], int] | None:
    """`kept` (counted at sequence number `since`) with the days of every item
    changed since counted again; None when too many days changed to be worth it.

    An item keeps its publication time when it is updated, so the days of the
    changed items are every day whose count may have moved (by a new item, a
    new type or a tag added or taken away).
    """
    days = day_spans.changed_days(session, since, CHANGED_DAYS)
    if days is None:
        return None
    fresh = {k: n for k, n in kept.items() if k[0] not in set(days)}
    if days:
        fresh.update(_daily_counts(session, f, days))
    return fresh


def _daily_counts(
    session: Session, f: ListingFilter, days: list[date] | None = None
) -> dict[tuple[date, str], int]:
    """Counted in the database: every day, or only `days`."""
    item = table_of(Item).c
    day = _day(session)
    stmt = (
        sa.select(day, item.doc_type, sa.func.count())
        # A few days: their items by the date index, each tested for the tags.
        .where(*([*where(f), _day_ranges(days)] if days else _tag_driven(f)))
        .group_by(day, item.doc_type)
    )
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for when, doc_type, n in session.execute(stmt):
        counts[(_as_date(when), doc_type)] += int(n)
    return dict(counts)


def _events_from_items(session: Session, f: ListingFilter) -> list[int]:
    """Every event with an item in a small listing, newest first."""
    item = table_of(Item).c
    event = table_of(Event).c
    matching = sa.select(item.event_id).where(*_tag_driven(f), item.event_id.is_not(None))
    stmt = (
        sa.select(event.id)
        .where(event.id.in_(matching))
        .order_by(event.event_date.desc(), event.id.desc())
    )
    return list(session.execute(stmt).scalars())


def _events_walked(
    session: Session, f: ListingFilter, limit: int, offset: int, oldest: bool = False
) -> list[int]:
    # Walks the event_date index (newest or oldest first), testing each event
    # for a member in the listing; with many matching items a page is found
    # within a few dozen events.
    item = table_of(Item).c
    event = table_of(Event).c
    member = sa.exists().where(item.event_id == event.id, *where(f))
    stmt = sa.select(event.id).where(member)
    if f.until:
        stmt = stmt.where(event.event_date < f.until)  # an event starts with its first item
    order = in_order(oldest, event.event_date, event.id)
    stmt = stmt.order_by(*order).limit(limit).offset(offset)
    return _in_one_process(session, stmt)


def _in_one_process(session: Session, stmt: sa.Select[tuple[int]]) -> list[int]:
    """`stmt`'s ids, read on PostgreSQL without parallel workers.

    A walk stops after a page of events, but a parallel plan (Gather Merge over
    a parallel backward scan of the event_date index) has each worker walk on
    far past the page before the leader takes its rows: at a million items a
    sparse listing's page tested ~42,000 events in 0.7-1.1 s where one process
    tests ~1,400 in 15-50 ms (`listings.in_one_process`).
    """
    return in_one_process(session, lambda: list(session.execute(stmt).scalars()))


def cooccurring(session: Session, slug: str, kind: str, *, limit: int = 8) -> list[tuple[str, int]]:
    """Tags of `kind` that share the most items with `slug`: [(slug, items)].

    Kept up to date as items change (`timeline_counts.cooccurring`).
    """
    return timeline_counts.cooccurring(session, slug, kind, limit)


def _cooccurring(session: Session, slug: str, kind: str, limit: int) -> list[tuple[str, int]]:
    """`cooccurring` counted afresh."""
    mine = table_of(ItemTag).alias("mine")
    other = table_of(ItemTag).alias("other")
    n = sa.func.count().label("n")
    stmt = (
        sa.select(other.c.slug, n)
        .join(mine, mine.c.item_id == other.c.item_id)
        .where(
            mine.c.slug == slug,
            mine.c.status != "rejected",
            other.c.kind == kind,
            other.c.slug != slug,
            other.c.status != "rejected",
        )
        .group_by(other.c.slug)
        .order_by(n.desc(), other.c.slug)
        .limit(limit)
    )
    return [(s, int(count)) for s, count in session.execute(stmt)]
