"""Tags as rows: the machine's tags are replaced, people's decisions kept."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.models import Counter, Item, ItemTag, Source, table_of, utcnow
from tracker.store.memo import DELETIONS
from tracker.types import Tag, TagResult

# A person's word outranks the machine's: these rows are never touched by a retag.
DECIDED = ("confirmed", "rejected")
CHUNK = 500


def next_seqs(session: Session, count: int) -> list[int]:
    """Reserve `count` sequence numbers; the counter row lock orders writers."""
    if count == 0:
        return []
    table = table_of(Counter)
    top = session.execute(
        sa.update(table)
        .where(table.c.name == "item_seq")
        .values(value=table.c.value + count)
        .returning(table.c.value)
    ).scalar_one()
    return list(range(top - count + 1, top + 1))


def note_deletions(session: Session, count: int) -> None:
    """Count `count` items deleted, in the deleting transaction: aggregates kept up to
    date (`memo.kept_up`) are counted afresh once they see the counter move."""
    if count <= 0:
        return
    table = table_of(Counter)
    from sqlalchemy.dialects import postgresql, sqlite

    sqlite_first = session.get_bind().dialect.name == "sqlite"
    insert = sqlite.insert if sqlite_first else postgresql.insert
    # The row is made by the first deletion; two at once both find it made.
    session.execute(insert(table).values(name=DELETIONS, value=0).on_conflict_do_nothing())
    session.execute(
        sa.update(table).where(table.c.name == DELETIONS).values(value=table.c.value + count)
    )


# The columns of a suggested tag, without their types: see `insert_suggested`.
_SUGGESTED = sa.table(
    "itemtag",
    *map(sa.column, ("item_id", "slug", "kind", "origin", "status", "evidence", "created_at")),
)


def insert_suggested(
    session: Session, tags: Iterable[tuple[int, Tag]], when: datetime
) -> list[int]:
    """Insert the machine's tags as suggestions; returns the item id of each row.

    Tags are most of the rows an ingest writes (nine an item is common), so
    their values are made here as the column types would make them (evidence
    as JSON text, the time as the dialect binds it, once for every row) and
    inserted through untyped columns, which skips a conversion per value.
    """
    created = _bind(session, table_of(ItemTag).c.created_at.type, when)
    rows = [
        {
            "item_id": item_id,
            "slug": tag.slug,
            "kind": tag.kind,
            "origin": tag.origin,
            "status": "suggested",
            "evidence": json.dumps(evidence_json(tag)),
            "created_at": created,
        }
        for item_id, tag in tags
    ]
    if rows:
        session.execute(sa.insert(_SUGGESTED), rows)
    return [row["item_id"] for row in rows]


def _bind(session: Session, type_: sa.types.TypeEngine[Any], value: Any) -> Any:
    """`value` as `type_` hands it to this session's database driver."""
    dialect = session.get_bind().dialect
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value


def evidence_json(tag: Tag) -> list[dict[str, Any]]:
    return [
        {"field": e.field, "start": e.start, "end": e.end, "text": e.text} for e in tag.evidence
    ]


def replace_rule_tags(session: Session, tags_by_item: dict[int, Sequence[Tag]]) -> set[int]:
    """Swap the machine's tags for new ones; manual and decided tags stay as they are.

    Returns the ids of the items whose tags changed.
    """
    changed: set[int] = set()
    now = utcnow()
    ids = sorted(tags_by_item)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        existing = session.exec(select(ItemTag).where(ItemTag.item_id.in_(chunk))).all()  # type: ignore[attr-defined]
        kept: set[tuple[int, str]] = set()
        for row in existing:
            wanted = {t.slug: t for t in tags_by_item[row.item_id]}
            if (
                row.origin == "manual"
                or row.status in DECIDED
                or (row.slug in wanted and _same(row, wanted[row.slug]))
            ):
                kept.add((row.item_id, row.slug))
            else:
                session.delete(row)
                changed.add(row.item_id)
        session.flush()
        fresh = (
            (item_id, tag)
            for item_id in chunk
            for tag in tags_by_item[item_id]
            if (item_id, tag.slug) not in kept
        )
        changed.update(insert_suggested(session, fresh, now))
    return changed


def _same(row: ItemTag, tag: Tag) -> bool:
    return row.origin == tag.origin and row.evidence == evidence_json(tag)


def items_to_retag(session: Session, batch: int = CHUNK) -> Iterator[list[tuple[Item, str]]]:
    """Every stored item with its source's default type, in id order, a batch at a time."""
    last = 0
    while True:
        rows = session.exec(
            select(Item, Source.doc_type)
            .join(Source, Source.id == Item.source_id)  # type: ignore[arg-type]
            .where(col(Item.id) > last)
            .order_by(col(Item.id))
            .limit(batch)
        ).all()
        if not rows:
            return
        yield [(item, default) for item, default in rows]
        last = rows[-1][0].id  # type: ignore[assignment]


def apply_retag(session: Session, results: dict[int, tuple[Item, TagResult]]) -> int:
    """Store new tags and types; items that changed get a new sequence number."""
    changed = replace_rule_tags(session, {i: r.tags for i, (_, r) in results.items()})
    changed |= {i for i, (item, r) in results.items() if item.doc_type != r.doc_type}
    if not changed:
        return 0
    now = utcnow()
    for seq, item_id in zip(next_seqs(session, len(changed)), sorted(changed), strict=True):
        item, result = results[item_id]
        item.doc_type, item.seq, item.changed_at = result.doc_type, seq, now
        session.add(item)
    return len(changed)
