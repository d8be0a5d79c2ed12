"""Write what the pipeline brings: items stored once, updates in place, tags kept.

Everything one call receives is written in the caller's transaction, so a
crash leaves either all of a batch or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Bill, BillAction, Item, ItemSource, Source, table_of, utcnow
from tracker.store.bill_rows import bill_extras
from tracker.store.item_versions import keep_versions
from tracker.store.tags import insert_suggested, next_seqs, replace_rule_tags
from tracker.types import BillRecord, ItemRecord, TagResult

# SQLite accepts at most 32,766 bound parameters per statement; chunks of 500
# keep every IN (...) well under that on both databases.
CHUNK = 500
# Ids selected through the table's columns: the model types them as optional.
ITEM = table_of(Item).c


@dataclass
class StoreReport:
    """What one batch did to the database."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    item_ids: list[int] = field(default_factory=list)

    def add(self, other: StoreReport) -> None:
        """Count another batch of the same transaction in this report."""
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.linked += other.linked
        self.item_ids.extend(other.item_ids)


def store_items(
    session: Session,
    source: Source,
    batch: Sequence[tuple[ItemRecord, TagResult | None]],
    fetched_at: datetime,
) -> StoreReport:
    """Insert new items, update changed ones, link ones another source already has."""
    report = StoreReport()
    batch = _dedupe(batch)
    if not batch:
        return report
    own = _own_items(session, source.id, [r.guid for r, _ in batch])  # type: ignore[arg-type]
    fresh = [(r, t) for r, t in batch if r.guid not in own]
    elsewhere = _items_elsewhere(session, source, fresh)
    bills = _bill_ids(session, {r.bill_key for r, _ in batch if r.bill_key}, source.is_sample)

    changed = [(own[r.guid], r, t) for r, t in batch if r.guid in own]
    _update_changed(session, changed, source, bills, report)

    new_rows = [(r, t) for r, t in fresh if _match_key(r, elsewhere) is None]
    links = [(elsewhere[k], r) for r, _ in fresh if (k := _match_key(r, elsewhere)) is not None]
    _link(session, source.id, links, fetched_at)  # type: ignore[arg-type]
    report.linked = len(links)
    report.item_ids.extend(item_id for item_id, _ in links)
    _insert_new(session, source, new_rows, bills, fetched_at, report)
    return report


def _dedupe(
    batch: Sequence[tuple[ItemRecord, TagResult | None]],
) -> list[tuple[ItemRecord, TagResult | None]]:
    """One record per guid and per document number: a feed may repeat an entry."""
    seen: set[str] = set()
    kept = []
    for record, tags in batch:
        keys = {"g:" + record.guid}
        if record.document_number:
            keys.add("d:" + record.document_number)
        if keys & seen:
            continue
        seen |= keys
        kept.append((record, tags))
    return kept


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _own_items(session: Session, source_id: int, guids: list[str]) -> dict[str, tuple[int, str]]:
    """guid → (item id, content hash) for items this source already delivered."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(guids):
        rows = session.exec(
            select(ItemSource.guid, ITEM.id, ITEM.content_hash)
            .join(Item, Item.id == ItemSource.item_id)  # type: ignore[arg-type]
            .where(ItemSource.source_id == source_id, ItemSource.guid.in_(chunk))  # type: ignore[attr-defined]
        )
        for guid, item_id, digest in rows:
            found[guid] = (item_id, digest)
    return found


def _items_elsewhere(
    session: Session, source: Source, fresh: list[tuple[ItemRecord, TagResult | None]]
) -> dict[str, int]:
    """Items other sources of the same kind delivered with the same document number
    or canonical URL.

    The URL only counts across sources: within one source, two entries with
    one link (an index page) are still two documents, told apart by guid. And
    only within a kind: a live document is never absorbed into the bundled demo
    snapshot's copy of it, nor the other way round.
    """
    numbers = sorted({r.document_number for r, _ in fresh if r.document_number})
    urls = sorted({r.url for r, _ in fresh if r.url})
    found: dict[str, int] = {}
    same_kind = Item.sample == source.is_sample
    for chunk in _chunks(numbers):
        stmt = select(Item.document_number, ITEM.id).where(
            Item.document_number.in_(chunk),  # type: ignore[union-attr]
            same_kind,
        )
        found.update({f"d:{number}": item_id for number, item_id in session.exec(stmt)})
    for chunk in _chunks(urls):
        stmt = select(Item.url, ITEM.id).where(
            Item.url.in_(chunk),  # type: ignore[union-attr]
            Item.source_id != source.id,
            same_kind,
        )
        for url, item_id in session.exec(stmt):
            found.setdefault(f"u:{url}", item_id)
    return found


def _match_key(record: ItemRecord, elsewhere: dict[str, int]) -> str | None:
    if record.document_number and f"d:{record.document_number}" in elsewhere:
        return f"d:{record.document_number}"
    if record.url and f"u:{record.url}" in elsewhere:
        return f"u:{record.url}"
    return None


def _bill_ids(session: Session, keys: set[str], sample: bool) -> dict[str, int]:
    """Bill key → id among the bills of one kind (demo or live)."""
    if not keys:
        return {}
    rows = session.exec(
        select(Bill.key, table_of(Bill).c.id).where(
            Bill.key.in_(sorted(keys)),  # type: ignore[attr-defined]
            Bill.sample == sample,
        )
    )
    return {key: bill_id for key, bill_id in rows}


def _item_values(
    record: ItemRecord, source: Source, tags: TagResult | None, bills: dict[str, int]
) -> dict[str, Any]:
    return {
        "url": record.url,
        "title": record.title,
        "summary_html": record.summary_html,
        "text": record.text,
        "author": record.author,
        "published_at": record.published,
        "updated_at": record.updated,
        "undated": record.undated,
        "doc_type": tags.doc_type if tags else (record.format_doc_type or source.doc_type),
        "format_doc_type": record.format_doc_type,
        "document_number": record.document_number,
        "agencies": list(record.agencies),
        "categories": list(record.categories),
        "rins": list(record.rins),
        "content_hash": record.content_hash,
        "bill_id": bills.get(record.bill_key) if record.bill_key else None,
    }


def _update_changed(
    session: Session,
    changed: list[tuple[tuple[int, str], ItemRecord, TagResult | None]],
    source: Source,
    bills: dict[str, int],
    report: StoreReport,
) -> None:
    todo = [(item_id, r, t) for (item_id, digest), r, t in changed if digest != r.content_hash]
    report.unchanged += len(changed) - len(todo)
    report.item_ids.extend(item_id for (item_id, digest), r, _ in changed)
    if not todo:
        return
    now = utcnow()
    keep_versions(session, {item_id: record for item_id, record, _ in todo}, now)
    rows = []
    for (item_id, record, tags), seq in zip(todo, next_seqs(session, len(todo)), strict=True):
        values = _item_values(record, source, tags, bills)
        # An update keeps its first publication time: readers sort by it.
        values.pop("published_at")
        rows.append({"id": item_id, "seq": seq, "changed_at": now, **values})
    session.execute(sa.update(Item), rows)
    replace_rule_tags(session, {item_id: t.tags for item_id, _, t in todo if t is not None})
    report.updated += len(todo)


def _link(
    session: Session, source_id: int, links: list[tuple[int, ItemRecord]], when: datetime
) -> None:
    rows = [
        {"item_id": i, "source_id": source_id, "guid": r.guid, "url": r.url, "first_seen": when}
        for i, r in links
    ]
    if rows:
        session.execute(sa.insert(table_of(ItemSource)), rows)


def _insert_new(
    session: Session,
    source: Source,
    rows: list[tuple[ItemRecord, TagResult | None]],
    bills: dict[str, int],
    fetched_at: datetime,
    report: StoreReport,
) -> None:
    if not rows:
        return
    seqs = next_seqs(session, len(rows))
    values = [
        {
            **_item_values(r, source, t, bills),
            "source_id": source.id,
            "guid": r.guid,
            "fetched_at": fetched_at,
            "seq": seq,
            "changed_at": fetched_at,
            "sample": source.is_sample,
        }
        for (r, t), seq in zip(rows, seqs, strict=True)
    ]
    # Plain executemany, then ids looked up by the sequence numbers just given
    # out: RETURNING would make SQLite insert one row per statement.
    table = table_of(Item)
    session.execute(sa.insert(table), values)
    by_seq = dict(
        session.execute(
            sa.select(table.c.seq, table.c.id).where(table.c.seq.between(seqs[0], seqs[-1]))
        ).all()
    )
    item_ids = [by_seq[seq] for seq in seqs]
    _link(session, source.id, list(zip(item_ids, [r for r, _ in rows], strict=True)), fetched_at)  # type: ignore[arg-type]
    insert_suggested(
        session,
        (
            (item_id, tag)
            for item_id, (_, tags) in zip(item_ids, rows, strict=True)
            if tags is not None
            for tag in tags.tags
        ),
        fetched_at,
    )
    report.new += len(item_ids)
    report.item_ids.extend(item_ids)


def store_bill(session: Session, bill: BillRecord, sample: bool = False) -> int:
    """Insert or update a bill of one kind (demo or live) and replace its actions;
    returns the bill id."""
    row = session.exec(select(Bill).where(Bill.key == bill.key, Bill.sample == sample)).first()
    latest = bill.actions[-1] if bill.actions else None
    values: dict[str, Any] = {
        "congress": bill.congress,
        "bill_type": bill.bill_type,
        "number": bill.number,
        "title": bill.title,
        "introduced": bill.introduced,
        "sponsor_name": bill.sponsor.full_name if bill.sponsor else None,
        "sponsor_party": bill.sponsor.party if bill.sponsor else None,
        "sponsor_state": bill.sponsor.state if bill.sponsor else None,
        "policy_area": bill.policy_area,
        "subjects": list(bill.subjects),
        "stage": bill.stage,
        "latest_summary": bill.latest_summary,
        "latest_action_date": latest.action_date if latest else None,
        "latest_action_text": latest.text if latest else None,
        "updated_at": bill.updated,
        **bill_extras(bill),
    }
    if row is None:
        row = Bill(key=bill.key, sample=sample, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    session.execute(sa.delete(BillAction).where(BillAction.bill_id == row.id))  # type: ignore[arg-type]
    if bill.actions:
        session.execute(
            sa.insert(table_of(BillAction)),
            [
                {
                    "bill_id": row.id,
                    "position": position,
                    "action_date": action.action_date,
                    "text": action.text,
                    "code": action.code,
                    "action_type": action.action_type,
                    "source_system": action.source_system,
                    "committee": action.committee,
                }
                for position, action in enumerate(bill.actions)
            ],
        )
    return row.id  # type: ignore[return-value]
