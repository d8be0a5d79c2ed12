"""A listing's version kept up to date: what its ETag and Last-Modified are made of.

A version is (the highest sequence number in the listing, when that item last
changed, how many items the listing holds). Counted afresh it reads every item
of the listing, a second at a million items, after every change; kept
(`memo.kept_up`) a change costs a look at the changed items:

- one of them is in the listing now: it has the highest number of all;
- none is, and the listing's latest item did not change: the latest stands
  (an unchanged item stays in or out of every listing);
- none is, and the latest changed (so left the listing): the latest of the
  unchanged ones is looked up, from the end of the sequence index.

The count is the sum of the listing's kept daily counts (`timelines.daily_counts`).
A listing of a bill or of a search's hits is counted afresh.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, table_of
from tracker.store.listings import ListingFilter, count_items, where
from tracker.store.memo import kept_up

Latest = tuple[int, datetime | None, int]  # (sequence number, changed at, item id); 0s: empty


def listing_version(session: Session, f: ListingFilter) -> tuple[int, datetime | None, int]:
    """(highest sequence number, when that item changed, count) of a listing."""
    from tracker.store import timelines  # it reads listings, as this module does

    if f.bill or f.item_ids is not None:
        seq, changed, _ = _latest(session, f)
        return seq, _aware(changed), count_items(session, f)
    seq, changed, _ = kept_up(
        session,
        ("latest", f),
        lambda: _latest(session, f),
        lambda kept, since: _latest_refreshed(session, f, kept, since),
    )
    return seq, _aware(changed), sum(timelines.daily_counts(session, f).values())


def _latest(session: Session, f: ListingFilter, below: int | None = None) -> Latest:
    """The listing's item with the highest sequence number (at most `below`)."""
    item = table_of(Item).c
    top = sa.select(sa.func.max(item.seq)).where(*where(f))
    if below is not None:
        top = top.where(item.seq <= below)
    stmt = sa.select(item.seq, item.changed_at, item.id).where(item.seq == top.scalar_subquery())
    row = session.execute(stmt).first()
    return (0, None, 0) if row is None else (int(row[0]), row[1], int(row[2]))


def _latest_refreshed(session: Session, f: ListingFilter, kept: Latest, since: int) -> Latest:
    item = table_of(Item).c
    changed = (
        sa.select(item.seq, item.changed_at, item.id)
        .where(item.seq > since, *where(f))
        .order_by(item.seq.desc())
        .limit(1)
    )
    row = session.execute(changed).first()
    if row is not None:
        return int(row[0]), row[1], int(row[2])
    if kept[2] == 0:
        return kept  # empty, and no changed item came into it
    now = session.execute(sa.select(item.seq).where(item.id == kept[2])).scalar()
    if now == kept[0]:
        return kept
    return _latest(session, f, below=since)


def _aware(changed: datetime | None) -> datetime | None:
    if isinstance(changed, datetime) and changed.tzinfo is None:
        return changed.replace(tzinfo=UTC)
    return changed
