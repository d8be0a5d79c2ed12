"""What the home page asks: the week's events, the busiest tags, sources at a glance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, ItemTag, Source, table_of
from tracker.store.memo import remembered

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class NewsWeek:
    """The seven days the home page reports on."""

    start: datetime
    end: datetime
    is_current: bool  # False: nothing arrived in the last week, this is the latest with news


@dataclass
class ActiveTag:
    """A tag with its items per week, oldest week first."""

    slug: str
    kind: str
    total: int
    weekly: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class HealthSummary:
    """How the sources are doing, counted."""

    total: int
    ok: int
    failing: list[Source]
    never: int


def news_week(session: Session, now: datetime) -> NewsWeek | None:
    """The last seven days, or the seven up to the newest item when those are empty."""
    item = table_of(Item).c
    newest = session.execute(sa.select(sa.func.max(item.published_at))).scalar()
    if newest is None:
        return None
    if newest.tzinfo is None:
        newest = newest.replace(tzinfo=now.tzinfo)
    if newest >= now - WEEK:
        # To the next full hour: the same week (and its remembered aggregates) for an hour.
        end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return NewsWeek(end - WEEK, end, True)
    end = (newest + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return NewsWeek(end - WEEK, end, False)


def busiest_events(session: Session, since: datetime, until: datetime, limit: int = 8) -> list[int]:
    """Events with the most items published in [since, until), busiest first."""
    item = table_of(Item).c
    n, newest = sa.func.count().label("n"), sa.func.max(item.published_at).label("newest")
    stmt = (
        sa.select(item.event_id, n, newest)
        .where(item.published_at >= since, item.published_at < until, item.event_id.is_not(None))
        .group_by(item.event_id)
        .order_by(n.desc(), newest.desc(), item.event_id.desc())
        .limit(limit)
    )
    return [event_id for event_id, _, _ in session.execute(stmt)]


def active_tags(
    session: Session, until: datetime, *, weeks: int = 12, limit: int = 6
) -> dict[str, list[ActiveTag]]:
    """The topics and entities with the most items in the `weeks` before `until`.

    {"topic": [...], "entity": [...]}, each with its items per week for a sparkline.
    Remembered until items change.
    """
    key = ("active_tags", until, weeks, limit)
    return remembered(session, key, lambda: _active_tags(session, until, weeks, limit))


def _active_tags(
    session: Session, until: datetime, weeks: int, limit: int
) -> dict[str, list[ActiveTag]]:
    starts = [until - WEEK * (weeks - i) for i in range(weeks)]
    item, tag = table_of(Item).c, table_of(ItemTag).c
    # The week is worked out by the database with plain comparisons, which read
    # the same on SQLite and PostgreSQL.
    week = sa.case(
        *[(item.published_at < start + WEEK, i) for i, start in enumerate(starts)], else_=weeks
    ).label("week")
    stmt = (
        sa.select(tag.slug, tag.kind, week, sa.func.count())
        .join(table_of(Item), item.id == tag.item_id)
        .where(item.published_at >= starts[0], item.published_at < until, tag.status != "rejected")
        .group_by(tag.slug, tag.kind, week)
    )
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * weeks)
    for slug, kind, index, count in session.execute(stmt):
        if 0 <= index < weeks:
            found[(slug, kind)][index] += int(count)
    ranked = sorted(found.items(), key=lambda kv: (-sum(kv[1]), kv[0][0]))
    result: dict[str, list[ActiveTag]] = {"topic": [], "entity": []}
    for (slug, kind), weekly in ranked:
        if kind in result and len(result[kind]) < limit:
            result[kind].append(ActiveTag(slug, kind, sum(weekly), weekly))
    return result


def health_summary(session: Session) -> HealthSummary:
    """Sources counted by how their last fetch went; the failing ones named."""
    sources = list(session.execute(sa.select(Source)).scalars())
    failing = [s for s in sources if s.last_status == "error"]
    ok = sum(1 for s in sources if s.last_status in ("ok", "not-modified", "partial"))
    never = sum(1 for s in sources if s.last_status is None)
    failing.sort(key=lambda s: (-(s.failures or 0), s.name))
    return HealthSummary(len(sources), ok, failing, never)
