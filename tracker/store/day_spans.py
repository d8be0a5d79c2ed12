"""Days in SQL, read the same way on SQLite and PostgreSQL, and a listing's conditions
shaped for counting: what the kept timeline aggregates count by."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, ItemTag, table_of
from tracker.store import memo
from tracker.store.listings import ListingFilter, where

# The most changed days any kept aggregate recounts (`changed_days`' `most` never exceeds it).
LOOKED_AT = 60


def day_of(session: Session, column: Any = None) -> Any:
    """The day (UTC) of a timestamp column, `item.published_at` by default, in SQL."""
    column = table_of(Item).c.published_at if column is None else column
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column, type_=sa.String)  # stored as naive UTC text
    return sa.cast(column, sa.Date)


def day_ranges(days: list[date], column: Any = None) -> Any:
    """`column` (`item.published_at` by default) within any of `days` (sorted), as
    ranges an index on it can read."""
    column = table_of(Item).c.published_at if column is None else column
    spans: list[list[date]] = []
    for d in days:
        if spans and d - spans[-1][1] <= timedelta(days=1):
            spans[-1][1] = d
        else:
            spans.append([d, d])
    return sa.or_(*(sa.and_(column >= midnight(lo), column < midnight(hi, 1)) for lo, hi in spans))


def midnight(d: date, later: int = 0) -> datetime:
    return datetime.combine(d + timedelta(days=later), time(), tzinfo=UTC)


def as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def tag_driven(f: ListingFilter) -> list[Any]:
    """The listing's conditions, with its tags as `id IN (tagged items)`.

    Same meaning as the listing's own; the database reads a tag's items from
    the tag index instead of testing every item for the tag.
    """
    item, tag = table_of(Item).c, table_of(ItemTag).c
    clauses = where(replace(f, topic=None, entity=None))
    for slug in (f.topic, f.entity):
        if slug:
            tagged = sa.select(tag.item_id).where(tag.slug == slug, tag.status != "rejected")
            clauses.append(item.id.in_(tagged))
    return clauses


def changed_days(session: Session, since: int, most: int) -> list[date] | None:
    """The publication days of the items changed after sequence number `since`, sorted;
    None when there are more than `most`. An update keeps an item's publication time,
    so these are the only days any per-day count can have moved on. Within a read
    of the site (`memo.reading`), read once for all the aggregates it refreshes."""
    days = memo.once_per_read(session, ("changed-days", since), lambda: _days(session, since))
    return None if days is None or len(days) > most else days


def _days(session: Session, since: int) -> list[date] | None:
    """Up to `LOOKED_AT` days, sorted; None when there are more."""
    item = table_of(Item).c
    stmt = sa.select(day_of(session)).where(item.seq > since).distinct().limit(LOOKED_AT + 1)
    days = sorted(as_date(d) for d in session.execute(stmt).scalars())
    return None if len(days) > LOOKED_AT else days
