"""Listings: the items of any view (a topic, an entity, a type, a source, a bill,
or several at once), newest first, with what pages and feeds need about them.

Every listing is one `ListingFilter`; the HTML page, its feeds, its CSV and its
API answer all call the same functions with the same filter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Bill, Item, ItemTag, Source, table_of
from tracker.store.id_params import ids_in
from tracker.store.items import ItemCard, card_columns, row_cards

T = TypeVar("T")
_WORKERS = "max_parallel_workers_per_gather"


@dataclass(frozen=True)
class ListingFilter:
    """Which items a view shows; every field narrows it, None means any."""

    topic: str | None = None
    entity: str | None = None
    doc_type: str | None = None
    source: str | None = None
    bill: str | None = None  # bill key, e.g. "119-s-4417"
    since: datetime | None = None
    until: datetime | None = None
    item_ids: tuple[int, ...] | None = None  # a search's hits


def where(f: ListingFilter) -> list[Any]:
    """The SQL conditions on `item` that select a listing's items: the one meaning of a filter."""
    item = table_of(Item).c
    clauses: list[Any] = []
    for slug in (f.topic, f.entity):
        if slug:
            tag = table_of(ItemTag).c
            clauses.append(
                sa.exists().where(
                    tag.item_id == item.id, tag.slug == slug, tag.status != "rejected"
                )
            )
    if f.doc_type:
        clauses.append(item.doc_type == f.doc_type)
    if f.source:
        source = table_of(Source).c
        clauses.append(
            item.source_id == sa.select(source.id).where(source.slug == f.source).scalar_subquery()
        )
    if f.bill:
        # The live bill when the demo snapshot holds one of the same number too.
        bill = table_of(Bill).c
        chosen = sa.select(bill.id).where(bill.key == f.bill).order_by(bill.sample).limit(1)
        clauses.append(item.bill_id == chosen.scalar_subquery())
    if f.since:
        clauses.append(item.published_at >= f.since)
    if f.until:
        clauses.append(item.published_at < f.until)
    if f.item_ids is not None:
        clauses.append(item.id.in_(f.item_ids or (-1,)))
    return clauses


def in_order(oldest: bool, *columns: Any) -> list[Any]:
    """ORDER BY terms: newest first, or oldest first when `oldest`."""
    return [c.asc() if oldest else c.desc() for c in columns]


def list_items(
    session: Session, f: ListingFilter, *, limit: int = 50, offset: int = 0, oldest: bool = False
) -> list[ItemCard]:
    """Items of a listing, newest first (oldest first when `oldest`)."""
    item, source = table_of(Item).c, table_of(Source).c
    stmt = (
        sa.select(*card_columns())
        .join(table_of(Source), source.id == item.source_id)
        .where(*where(f))
        .order_by(*in_order(oldest, item.published_at, item.id))
        .limit(limit)
        .offset(offset)
    )
    return row_cards(session, session.execute(stmt).all())


def export_cards(
    session: Session,
    f: ListingFilter,
    *,
    offset: int,
    limit: int,
    batch: int = 1000,
    oldest: bool = False,
) -> Iterator[list[ItemCard]]:
    """Up to `limit` items of a listing from `offset`, in batches of cards, newest first
    (oldest first when `oldest`).

    Only the columns an export shows are read (no text, no summary), and each
    batch continues from the last row of the one before, so a long export is
    many short queries, streamed, never one list held in memory.
    """
    item, source = table_of(Item).c, table_of(Source).c
    columns = (item.id, item.title, item.url, item.published_at, item.undated, item.doc_type,
               source.slug, source.name, item.sample)  # fmt: skip
    base = (
        sa.select(*columns)
        .join(table_of(Source), source.id == item.source_id)
        .where(*where(f))
        .order_by(*in_order(oldest, item.published_at, item.id))
    )
    stmt = base.offset(offset)
    while limit > 0:
        # In one process: a parallel plan's workers cost more to start than the batch.
        rows = in_one_process(session, partial(_batch, session, stmt.limit(min(batch, limit))))
        if not rows:
            return
        tags = _slugs(session, [row.id for row in rows])
        yield [_card(row, *tags.get(row.id, ([], []))) for row in rows]
        limit -= len(rows)
        last = rows[-1]
        stmt = base.where(_after(last, oldest))


def in_one_process(session: Session, run: Callable[[], T]) -> T:
    """`run()` on PostgreSQL without parallel workers, the setting put back after.

    A query that stops early (a page of a listing read down an index, newest
    first) gains nothing from a parallel plan: its workers start (tens of
    milliseconds on a busy machine) and read on past the page before the leader
    takes its rows (an export batch at a million items: ~140 ms against ~40 in
    one process). The old setting is read and the new one made in one
    statement, and put back for the rest of the transaction (a failed statement
    rolls the transaction, and the setting, back).
    """
    if session.get_bind().dialect.name != "postgresql":
        return run()
    was = session.execute(
        sa.text(f"SELECT current_setting('{_WORKERS}'), set_config('{_WORKERS}', '0', true)")
    ).first()[0]  # type: ignore[index]
    found = run()
    session.execute(sa.text(f"SELECT set_config('{_WORKERS}', :was, true)"), {"was": was})
    return found


def _batch(session: Session, stmt: Any) -> list[Any]:
    return list(session.execute(stmt).all())


def _after(last: Any, oldest: bool) -> Any:
    """Rows that come after `last` in the listing's order."""
    item = table_of(Item).c
    same = item.published_at == last.published_at
    if oldest:
        return sa.or_(item.published_at > last.published_at, sa.and_(same, item.id > last.id))
    return sa.or_(item.published_at < last.published_at, sa.and_(same, item.id < last.id))


def _card(row: Any, topics: list[str], entities: list[str]) -> ItemCard:
    item_id, title, url, published, undated, doc_type, slug, name, sample = row
    return ItemCard(id=item_id, title=title, url=url, published=published, undated=undated,
                    doc_type=doc_type, source_slug=slug, source_name=name, is_sample=sample,
                    summary_html="", topics=topics, entities=entities)  # fmt: skip


def _slugs(session: Session, item_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """{item id: (topics, entities)}: the slugs of the tags readers see."""
    tag = table_of(ItemTag).c
    found: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    stmt = (
        sa.select(tag.item_id, tag.kind, tag.slug)
        .where(ids_in(session, tag.item_id, item_ids), tag.status != "rejected")
        .order_by(tag.kind, tag.slug)
    )
    for item_id, kind, slug in session.execute(stmt):
        found[item_id][0 if kind == "topic" else 1].append(slug)
    return found


def count_items(session: Session, f: ListingFilter) -> int:
    """How many items a listing holds in all."""
    stmt = sa.select(sa.func.count()).select_from(table_of(Item)).where(*where(f))
    return int(session.execute(stmt).scalar_one())


def listing_version(session: Session, f: ListingFilter) -> tuple[int, datetime | None, int]:
    """(highest sequence number, when that item changed, count) of a listing.

    Any change to an item bumps its sequence number, so these three change
    whenever what the listing shows changes: an ETag without rendering anything.
    Kept up to date as items change (`kept_versions`).
    """
    from tracker.store import kept_versions  # it counts by timelines, which read listings

    return kept_versions.listing_version(session, f)


def activity(
    session: Session, f: ListingFilter, *, grain: str = "month"
) -> dict[tuple[int, int], dict[str, int]]:
    """Items per period and document type: {(year, month or ISO week): {type: count}}."""
    item = table_of(Item).c
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if grain == "month":
        # Counted by the database: a busy topic has tens of thousands of items.
        year, month = sa.extract("year", item.published_at), sa.extract("month", item.published_at)
        stmt = (
            sa.select(year, month, item.doc_type, sa.func.count())
            .where(*where(f))
            .group_by(year, month, item.doc_type)
        )
        for y, m, doc_type, n in session.execute(stmt):
            counts[(int(y), int(m))][doc_type] += int(n)
    else:
        stmt = sa.select(item.published_at, item.doc_type).where(*where(f))
        for published, doc_type in session.execute(stmt):
            iso_year, week, _ = published.isocalendar()
            counts[(iso_year, week)][doc_type] += 1
    return {k: dict(v) for k, v in sorted(counts.items())}
