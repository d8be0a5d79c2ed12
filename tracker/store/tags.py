"""Tags as rows: the machine's tags are replaced, people's decisions kept."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Counter, Item, ItemTag, Source, utcnow
from tracker.types import Tag, TagResult

# A person's word outranks the machine's: these rows are never touched by a retag.
DECIDED = ("confirmed", "rejected")
CHUNK = 500


def next_seqs(session: Session, count: int) -> list[int]:
    """Reserve `count` sequence numbers; the counter row lock orders writers."""
    if count == 0:
        return []
    table = Counter.__table__
    top = session.execute(
        sa.update(table)
        .where(table.c.name == "item_seq")
        .values(value=table.c.value + count)
        .returning(table.c.value)
    ).scalar_one()
    return list(range(top - count + 1, top + 1))


def tag_row(item_id: int, tag: Tag, when: datetime) -> dict[str, Any]:
    """The ItemTag row for a tag the machine suggests."""
    return {
        "item_id": item_id,
        "slug": tag.slug,
        "kind": tag.kind,
        "origin": tag.origin,
        "status": "suggested",
        "evidence": evidence_json(tag),
        "created_at": when,
    }


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
        fresh = [
            tag_row(item_id, tag, now)
            for item_id in chunk
            for tag in tags_by_item[item_id]
            if (item_id, tag.slug) not in kept
        ]
        if fresh:
            session.execute(sa.insert(ItemTag.__table__), fresh)
            changed.update(row["item_id"] for row in fresh)
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
            .where(Item.id > last)
            .order_by(Item.id)  # type: ignore[arg-type]
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
