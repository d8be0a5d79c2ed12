"""What the home page asks: the week's leading events, the busiest tags, sources at a glance.

The front page leads with what moved in the fights the tracker follows: only
events with an item tagged with a topic or entity (not rejected, and not only by
who issued it) are shown,
and of those the ones led by an original document (a memo, rule, bill, letter,
hearing) come before reports on them, which come before news coverage; then
the events that touch the most tracked topics and entities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, ItemTag, Source, table_of
from tracker.store import front_kept
from tracker.store.memo import heads, kept_earlier, kept_up, remembered

WEEK = timedelta(days=7)
HOUR = timedelta(hours=1)


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


# How authoritative a document is: the act itself before a study of it, before coverage.
AUTHORITY: dict[str, int] = {
    **{t: 3 for t in ("memo", "executive-order", "proclamation", "notice", "export-control",
                      "letter", "bill", "rule", "hearing")},
    "report": 2,
    "press-release": 2,
    "news": 1,
}  # fmt: skip
AUTHORITY_LABELS = {3: "Original document", 2: "Report", 1: "Coverage"}


@dataclass(frozen=True)
class Lead:
    """An event of the week as the front page ranks it."""

    event_id: int
    authority: int  # the best of its tagged items in the week, per AUTHORITY
    doc_type: str  # the type of that best item
    tags: tuple[str, ...]  # the tracked topics and entities its items in the week carry
    confirmed: int  # how many of those a person confirmed
    newest: datetime

    @property
    def authority_label(self) -> str:
        return AUTHORITY_LABELS.get(self.authority, "Coverage")


@dataclass(frozen=True)
class Moved:
    """A topic or entity and how many of the week's items carry it."""

    slug: str
    kind: str
    items: int


@dataclass(frozen=True)
class FrontPage:
    """The week's events, best first, and the tags that moved in it, busiest first."""

    leads: list[Lead]
    moved: list[Moved]


def news_week(session: Session, now: datetime, *, tagged: bool = False) -> NewsWeek | None:
    """The last seven days, or the seven up to the newest item when those are empty.

    With `tagged`, only items carrying a topic or entity count: the week is
    the latest one in which something the tracker follows moved.
    """
    item = table_of(Item).c
    if tagged:
        newest = remembered(session, ("newest-tagged",), lambda: _newest_tagged(session))
    else:
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


def _newest_tagged(session: Session) -> datetime | None:
    # Newest first down the published_at index, stopping at the first tagged item.
    item, tag = table_of(Item).c, table_of(ItemTag).c
    has_tag = sa.exists().where(tag.item_id == item.id, front_kept.fights(tag))
    stmt = sa.select(item.published_at).where(has_tag).order_by(item.published_at.desc()).limit(1)
    return session.execute(stmt).scalar()  # type: ignore[no-any-return]


def front_page(session: Session, week: NewsWeek, limit: int = 8) -> FrontPage:
    """The week's events with tagged items, ranked; kept up to date day by day as items
    change (`front_kept`), and the days joined once per change."""
    key = ("front-page", week.start, week.end, limit)
    return remembered(session, key, lambda: _front_joined(session, week, limit))


def _front_joined(session: Session, week: NewsWeek, limit: int) -> FrontPage:
    parts = front_kept.week_parts(session, week.start, week.end)
    return _ranked_front(*front_kept.joined(parts), limit)


def _front_page(session: Session, week: NewsWeek, limit: int) -> FrontPage:
    """`front_page` counted afresh."""
    parts = front_kept._parts(session, week.start, week.end)
    return _ranked_front(*front_kept.joined(parts), limit)


def _ranked_front(
    events: dict[int, front_kept._Event], per_tag: dict[tuple[str, str], int], limit: int
) -> FrontPage:
    leads = [
        Lead(event_id, e.authority, e.doc_type, tuple(sorted(e.tags)), sum(e.tags.values()),
             e.newest)
        for event_id, e in events.items()
    ]  # fmt: skip
    leads.sort(
        key=lambda x: (-x.authority, -(len(x.tags) + x.confirmed), -x.newest.timestamp(),
                       -x.event_id)
    )  # fmt: skip
    moved = [Moved(slug, kind, n) for (slug, kind), n in per_tag.items()]
    moved.sort(key=lambda m: (-m.items, m.slug, m.kind))
    return FrontPage(leads[:limit], moved)


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
    The weekly counts are kept up to date as items change: only the weeks of the
    items changed since are counted again.
    """
    starts = [until - WEEK * (weeks - i) for i in range(weeks)]
    found = kept_up(
        session,
        ("weekly_tags", until, weeks),
        lambda: _slid(session, until, weeks) or _weekly_tags(session, starts, until),
        lambda kept, since: _weekly_refreshed(session, starts, until, kept, since),
    )
    return _ranked(found, limit)


def _slid(session: Session, until: datetime, weeks: int) -> Weekly | None:
    """The weeks up to `until` from those kept up to a day earlier (the home page's
    weeks end at the next full hour, so they move every hour): that count brought
    up to date, less each week's first hours and plus the hours after it. None when
    none is kept, or items were deleted since it was counted."""
    earlier = kept_earlier(session, lambda n: ("weekly_tags", until - HOUR * n, weeks))
    if earlier is None:
        return None
    hours, since, found = earlier
    was = until - HOUR * hours
    starts = [was - WEEK * (weeks - i) for i in range(weeks)]
    if since < heads(session)[0]:
        found = _weekly_refreshed(session, starts, was, found, since)
    return _shifted(session, [*starts, was], found, HOUR * hours)


def _shifted(session: Session, bounds: list[datetime], kept: Weekly, by: timedelta) -> Weekly:
    """`kept` (weeks between `bounds`) with every bound moved `by` later: each week
    loses the items of its first `by` and gains those after its end."""
    item, tag = table_of(Item).c, table_of(ItemTag).c
    span = sa.case(*[(item.published_at < b + by, j) for j, b in enumerate(bounds)],
                   else_=len(bounds))  # fmt: skip
    within = sa.or_(*(sa.and_(item.published_at >= b, item.published_at < b + by) for b in bounds))
    stmt = (
        sa.select(tag.slug, tag.kind, span, sa.func.count())
        .join(table_of(Item), item.id == tag.item_id)
        .where(within, front_kept.fights(tag))
        .group_by(tag.slug, tag.kind, span)
    )
    weeks = len(bounds) - 1
    fresh = {k: list(v) for k, v in kept.items()}
    for slug, kind, j, count in session.execute(stmt):
        row = fresh.setdefault((slug, kind), [0] * weeks)
        if j < weeks:  # the first hours of week j: gone from it
            row[j] -= int(count)
        if 0 < j <= weeks:  # the hours after week j - 1: come to it
            row[j - 1] += int(count)
    return {k: v for k, v in fresh.items() if any(v)}


def _active_tags(
    session: Session, until: datetime, weeks: int, limit: int
) -> dict[str, list[ActiveTag]]:
    """`active_tags` counted afresh."""
    starts = [until - WEEK * (weeks - i) for i in range(weeks)]
    return _ranked(_weekly_tags(session, starts, until), limit)


Weekly = dict[tuple[str, str], list[int]]


def _week(starts: list[datetime]) -> Any:
    """An item's week: the index in `starts` (the database works it out with plain
    comparisons, which read the same on SQLite and PostgreSQL)."""
    item = table_of(Item).c
    return sa.case(
        *[(item.published_at < start + WEEK, i) for i, start in enumerate(starts)],
        else_=len(starts),
    ).label("week")


def _weekly_tags(
    session: Session, starts: list[datetime], until: datetime, only: list[int] | None = None
) -> Weekly:
    """Items per tag and week from `starts[0]` to `until`: every week, or the weeks `only`."""
    weeks = len(starts)
    item, tag = table_of(Item).c, table_of(ItemTag).c
    week = _week(starts)
    ends = [*starts[1:], until]
    spans = [(starts[i], ends[i]) for i in only] if only is not None else [(starts[0], until)]
    within = sa.or_(*(sa.and_(item.published_at >= a, item.published_at < b) for a, b in spans))
    stmt = (
        sa.select(tag.slug, tag.kind, week, sa.func.count())
        .join(table_of(Item), item.id == tag.item_id)
        .where(within, front_kept.fights(tag))
        .group_by(tag.slug, tag.kind, week)
    )
    found: Weekly = defaultdict(lambda: [0] * weeks)
    for slug, kind, index, count in session.execute(stmt):
        if 0 <= index < weeks:
            found[(slug, kind)][index] += int(count)
    return dict(found)


def _weekly_refreshed(
    session: Session, starts: list[datetime], until: datetime, kept: Weekly, since: int
) -> Weekly:
    """`kept` (counted at sequence number `since`) with the weeks of every item changed
    since counted again; an update keeps an item's publication time."""
    item = table_of(Item).c
    week = _week(starts)
    stmt = sa.select(week).where(
        item.seq > since, item.published_at >= starts[0], item.published_at < until
    )
    touched = sorted(set(session.execute(stmt.distinct()).scalars()) & set(range(len(starts))))
    if not touched:
        return kept
    fresh = {k: list(v) for k, v in kept.items()}
    for counts in fresh.values():
        for i in touched:
            counts[i] = 0
    for k, counts in _weekly_tags(session, starts, until, touched).items():
        row = fresh.setdefault(k, [0] * len(starts))
        for i in touched:
            row[i] = counts[i]
    return {k: v for k, v in fresh.items() if any(v)}


def _ranked(found: Weekly, limit: int) -> dict[str, list[ActiveTag]]:
    ranked = sorted(found.items(), key=lambda kv: (-sum(kv[1]), kv[0][0]))
    result: dict[str, list[ActiveTag]] = {"topic": [], "entity": []}
    for (slug, kind), weekly in ranked:
        if kind in result and len(result[kind]) < limit:
            result[kind].append(ActiveTag(slug, kind, sum(weekly), list(weekly)))
    return result


def health_summary(session: Session) -> HealthSummary:
    """Sources counted by how their last fetch went; the failing ones named."""
    sources = list(session.execute(sa.select(Source)).scalars())
    failing = [s for s in sources if s.last_status == "error"]
    ok = sum(1 for s in sources if s.last_status in ("ok", "not-modified", "partial"))
    never = sum(1 for s in sources if s.last_status is None)
    failing.sort(key=lambda s: (-(s.failures or 0), s.name))
    return HealthSummary(len(sources), ok, failing, never)
