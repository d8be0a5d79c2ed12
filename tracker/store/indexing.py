"""What the search index reads from the database: items in sequence order.

The index follows `Item.seq`, so every read here is ordered by it. Tags a
reader does not see (status ``rejected``) are left out, exactly as the pages
leave them out; those staff confirmed are also listed apart, because search
ranks a confirmed tag above a suggested one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Bill, Item, ItemTag, Source, table_of

# Keeps every IN (...) well under SQLite's limit of bound parameters.
CHUNK = 500


@dataclass(frozen=True)
class IndexDoc:
    """One item as the search index stores it."""

    id: int
    seq: int
    title: str
    text: str
    source: str
    doc_type: str
    topics: tuple[str, ...]
    entities: tuple[str, ...]
    bill: str | None
    published: datetime
    event: int | None = None
    source_name: str = ""
    confirmed: tuple[str, ...] = ()


def items_since(
    session: Session,
    seq: int,
    limit: int,
    *,
    upto: int | None = None,
    shard: tuple[int, int] = (0, 1),
) -> list[IndexDoc]:
    """Items with `seq` above `seq` (and at most `upto`), oldest change first.

    `shard=(k, n)` keeps the items whose id is k modulo n, so n processes can
    share one scan without reading the same row twice.
    """
    stmt = _doc_query().where(Item.seq > seq).order_by(Item.seq).limit(limit)  # type: ignore[arg-type]
    if upto is not None:
        stmt = stmt.where(Item.seq <= upto)
    k, n = shard
    if n > 1:
        stmt = stmt.where(Item.id % n == k)  # type: ignore[operator]
    return _docs(session, stmt)


def items_by_id(session: Session, item_ids: list[int]) -> list[IndexDoc]:
    """The index documents of the items named, in sequence order."""
    docs: list[IndexDoc] = []
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start : start + CHUNK]
        docs.extend(_docs(session, _doc_query().where(Item.id.in_(chunk))))  # type: ignore[union-attr]
    return sorted(docs, key=lambda doc: doc.seq)


def _doc_query() -> Any:
    return (
        select(  # type: ignore[call-overload]
            Item.id,
            Item.seq,
            Item.title,
            Item.text,
            Source.slug,
            Item.doc_type,
            Bill.key,
            Item.published_at,
            Item.event_id,
            Source.name,
        )
        .join(Source, Source.id == Item.source_id)  # type: ignore[arg-type]
        .outerjoin(Bill, Bill.id == Item.bill_id)  # type: ignore[arg-type]
    )


def _docs(session: Session, stmt: Any) -> list[IndexDoc]:
    rows = session.exec(stmt).all()
    tags = _visible_tags(session, [row[0] for row in rows])
    docs = []
    for item_id, item_seq, title, text, source, doc_type, bill, published, event, name in rows:
        topics, entities, confirmed = tags.get(item_id, ((), (), ()))
        docs.append(
            IndexDoc(
                id=item_id,
                seq=item_seq,
                title=title,
                text=text,
                source=source,
                doc_type=doc_type,
                topics=topics,
                entities=entities,
                bill=bill,
                published=published,
                event=event,
                source_name=name,
                confirmed=confirmed,
            )
        )
    return docs


def _visible_tags(
    session: Session, item_ids: list[int]
) -> dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """Item id → (topics, entities, the slugs of both that staff confirmed)."""
    if not item_ids:
        return {}
    found: dict[int, dict[str, list[str]]] = defaultdict(
        lambda: {"topic": [], "entity": [], "confirmed": []}
    )
    stmt = (
        select(ItemTag.item_id, ItemTag.kind, ItemTag.slug, ItemTag.status)
        .where(ItemTag.item_id.in_(item_ids), ItemTag.status != "rejected")  # type: ignore[attr-defined]
        .order_by(ItemTag.item_id, ItemTag.slug)  # type: ignore[arg-type]
    )
    for item_id, kind, slug, status in session.exec(stmt):
        found[item_id].setdefault(kind, []).append(slug)
        if status == "confirmed":
            found[item_id]["confirmed"].append(slug)
    return {
        i: (tuple(k["topic"]), tuple(k["entity"]), tuple(k["confirmed"])) for i, k in found.items()
    }


def max_seq(session: Session) -> int:
    """The highest sequence number any item carries (0 for no items)."""
    return session.exec(select(sa.func.coalesce(sa.func.max(Item.seq), 0))).one()


def item_total(session: Session, upto: int | None = None) -> int:
    """How many items are stored (with a sequence number of at most `upto`)."""
    stmt = select(sa.func.count()).select_from(Item)
    if upto is not None:
        stmt = stmt.where(Item.seq <= upto)
    return session.exec(stmt).one()


def item_totals(session: Session, upto: int) -> tuple[int, int]:
    """How many items have a sequence number of at most `upto`, and how many are stored:
    one scan of the items, not two."""
    upto_count = sa.func.count().filter(table_of(Item).c.seq <= upto)
    stmt = select(upto_count, sa.func.count()).select_from(Item)
    below, total = session.exec(stmt).one()
    return int(below), int(total)


def all_item_ids(session: Session) -> dict[int, int]:
    """Every stored item's id with its sequence number, for consistency checks."""
    return dict(session.exec(select(Item.id, Item.seq)).all())  # type: ignore[arg-type]
