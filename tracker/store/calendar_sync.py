"""Calendar entries kept in step with the items they come from.

`refresh` runs in the ingest transaction for every item a batch touched (new,
updated, unchanged or linked): it works out the item's dates
(`tracker.calendar_dates.item_dates`) and writes only what differs. An entry
keeps its UID for life; a moved time, a new title or a cancellation bumps its
SEQUENCE and LAST-MODIFIED. A meeting that an item no longer gives is marked
cancelled rather than dropped, so a subscribed calendar shows it struck out;
a deadline that disappears is dropped.

`backfill` gives items stored before the calendar existed their entries
(migration 0012 runs it, so `tracker init` upgrades and fills at once).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from tracker.calendar_dates import CalendarDate, DateSource, item_dates
from tracker.types import ItemRecord, StatedDate

CHUNK = 500
UID_DOMAIN = "policy-tracker"
# The item types dates are read from; any item whose format stated dates counts too.
DATED_TYPES = ("rule", "notice", "hearing", "bill")
MEETINGS = ("hearing", "markup")

_meta = sa.MetaData()
ITEM = sa.Table(
    "item", _meta, sa.Column("id"), sa.Column("guid"), sa.Column("title"), sa.Column("text"),
    sa.Column("doc_type"), sa.Column("format_doc_type"), sa.Column("published_at", sa.DateTime()),
    sa.Column("updated_at", sa.DateTime()), sa.Column("bill_id"), sa.Column("sample"),
)  # fmt: skip
BILL = sa.Table(
    "bill", _meta, sa.Column("id"), sa.Column("key"), sa.Column("stage"),
    sa.Column("stage_dates", sa.JSON()),
)  # fmt: skip
ACTION = sa.Table(
    "billaction", _meta, sa.Column("bill_id"), sa.Column("position"),
    sa.Column("action_date", sa.Date()), sa.Column("text"),
)  # fmt: skip
LINK = sa.Table("itemsource", _meta, sa.Column("item_id"), sa.Column("source_id"),
                sa.Column("guid"))  # fmt: skip
ENTRY = sa.Table(
    "calendar_entry", _meta, sa.Column("id"), sa.Column("uid"), sa.Column("item_id"),
    sa.Column("kind"), sa.Column("summary"), sa.Column("day", sa.Date()),
    sa.Column("starts_at", sa.DateTime()), sa.Column("all_day"), sa.Column("status"),
    sa.Column("sequence"), sa.Column("created_at", sa.DateTime()),
    sa.Column("modified_at", sa.DateTime()), sa.Column("sample"),
)  # fmt: skip
# What, when changed, makes an entry a new SEQUENCE.
_COMPARED = ("kind", "summary", "day", "starts_at", "all_day", "status")


def uid_for(item_id: int, date_key: str) -> str:
    """The entry's iCalendar UID: from the item and the date's key, never from its values."""
    if date_key.startswith("bill:"):
        return f"{date_key.replace(':', '-')}@{UID_DOMAIN}"
    return f"item-{item_id}-{date_key.removeprefix('item:')}@{UID_DOMAIN}"


def refresh(
    conn: sa.Connection,
    item_ids: Iterable[int],
    stated: Mapping[int, tuple[StatedDate, ...]] | None = None,
    *,
    now: datetime | None = None,
    prune: bool = True,
) -> int:
    """Bring the calendar entries of these items up to date; returns how many rows changed.

    `stated`: the dates each item's format stated in this ingest. `prune`:
    also cancel or drop entries the items no longer give (off for a backfill,
    which sees only what was stored, not what the format stated).
    """
    stated = stated or {}
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    ids = sorted(set(item_ids))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        sources = _sources(conn, chunk, stated)
        wanted: dict[str, dict[str, Any]] = {}
        for item_id, source in sources:
            for found in item_dates(source):
                wanted.setdefault(uid_for(item_id, found.key), _row(item_id, found, source.sample))
        changed += _write(conn, chunk, wanted, moment, prune)
    return changed


def after_batch(
    conn: sa.Connection, source_id: int, records: Sequence[ItemRecord], item_ids: Sequence[int]
) -> int:
    """`refresh` for one stored batch: the items it touched, with the dates their format stated."""
    dated = {r.guid: r.dates for r in records if r.dates}
    stated: dict[int, tuple[StatedDate, ...]] = {}
    guids = sorted(dated)
    for start in range(0, len(guids), CHUNK):
        for item_id, guid in conn.execute(
            sa.select(LINK.c.item_id, LINK.c.guid).where(
                LINK.c.source_id == source_id, LINK.c.guid.in_(guids[start : start + CHUNK])
            )
        ):
            stated[item_id] = dated[guid]
    return refresh(conn, item_ids, stated)


def backfill(conn: sa.Connection, *, now: datetime | None = None) -> int:
    """Entries for every stored item that may have dates; returns rows written."""
    last, written = 0, 0
    while True:
        ids = list(
            conn.execute(
                sa.select(ITEM.c.id).where(ITEM.c.id > last, _maybe_dated())
                .order_by(ITEM.c.id).limit(CHUNK)
            ).scalars()
        )  # fmt: skip
        if not ids:
            return written
        last = ids[-1]
        written += refresh(conn, ids, now=now, prune=False)


def _maybe_dated() -> sa.ColumnElement[bool]:
    return sa.or_(
        ITEM.c.doc_type.in_(DATED_TYPES),
        ITEM.c.format_doc_type.in_(DATED_TYPES),
        ITEM.c.bill_id.is_not(None),
    )


def _sources(
    conn: sa.Connection, ids: Sequence[int], stated: Mapping[int, tuple[StatedDate, ...]]
) -> list[tuple[int, DateSource]]:
    with_dates = [i for i in ids if stated.get(i)]
    where = sa.or_(_maybe_dated(), ITEM.c.id.in_(with_dates)) if with_dates else _maybe_dated()
    rows = conn.execute(sa.select(ITEM).where(ITEM.c.id.in_(ids), where)).all()
    bills = _bills(conn, {r.bill_id for r in rows if r.bill_id and r.guid.startswith("bill:")})
    out = []
    for r in rows:
        bill = bills.get(r.bill_id) if r.guid.startswith("bill:") else None
        source = DateSource(
            guid=r.guid, title=r.title, text=r.text or "", doc_type=r.doc_type,
            published=_aware(r.published_at), stated=stated.get(r.id, ()),
            bill_key=bill[0] if bill else _bill_key_of(r.guid), sample=bool(r.sample),
            bill_actions=bill[1] if bill else (), law_day=bill[2] if bill else None,
            updated=_aware(r.updated_at) if r.updated_at is not None else None,
        )  # fmt: skip
        out.append((r.id, source))
    return out


def _bills(
    conn: sa.Connection, bill_ids: set[int]
) -> dict[int, tuple[str, tuple[tuple[date, str], ...], date | None]]:
    """Bill id → (key, its actions oldest first, the day it became law)."""
    if not bill_ids:
        return {}
    actions: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for bill_id, day, text in conn.execute(
        sa.select(ACTION.c.bill_id, ACTION.c.action_date, ACTION.c.text)
        .where(ACTION.c.bill_id.in_(sorted(bill_ids)))
        .order_by(ACTION.c.bill_id, ACTION.c.action_date, ACTION.c.position)
    ):  # fmt: skip
        actions[bill_id].append((_as_date(day), text))
    out = {}
    for bill_id, key, stage, stage_dates in conn.execute(
        sa.select(BILL.c.id, BILL.c.key, BILL.c.stage, BILL.c.stage_dates)
        .where(BILL.c.id.in_(sorted(bill_ids)))
    ):  # fmt: skip
        law = (stage_dates or {}).get("law") if stage == "law" else None
        out[bill_id] = (key, tuple(actions[bill_id]), date.fromisoformat(law) if law else None)
    return out


def _bill_key_of(guid: str) -> str | None:
    """The bill of a congress.gov action item, from its guid (…:action:119-hr-8283:…)."""
    if guid.startswith("congress-api:action:"):
        return guid.split(":")[2]
    return None


def _row(item_id: int, found: CalendarDate, sample: bool) -> dict[str, Any]:
    if found.at is not None:
        starts = found.at.astimezone(UTC).replace(tzinfo=None)
    else:
        starts = datetime(found.day.year, found.day.month, found.day.day)
    return {
        "item_id": item_id, "kind": found.kind, "summary": found.summary[:1000],
        "day": found.day, "starts_at": starts, "all_day": found.at is None,
        "status": "cancelled" if found.cancelled else "confirmed", "sample": sample,
    }  # fmt: skip


def _write(
    conn: sa.Connection,
    item_ids: Sequence[int],
    wanted: dict[str, dict[str, Any]],
    now: datetime,
    prune: bool,
) -> int:
    stored = {
        r.uid: r
        for r in conn.execute(
            sa.select(ENTRY).where(
                sa.or_(ENTRY.c.item_id.in_(item_ids), ENTRY.c.uid.in_(sorted(wanted) or [""]))
            )
        )
    }
    inserts, changed = [], 0
    for uid, row in wanted.items():
        old = stored.get(uid)
        if old is not None and old.item_id != row["item_id"]:
            continue  # a bill's markup that its record and an action item both give: first wins
        if old is None:
            inserts.append({"uid": uid, **row, "sequence": 0, "created_at": now,
                            "modified_at": now})  # fmt: skip
        elif any(_same(getattr(old, name)) != _same(row[name]) for name in _COMPARED):
            values = {name: row[name] for name in _COMPARED}
            _update(conn, old, values, now)
            changed += 1
    if inserts:
        conn.execute(sa.insert(ENTRY), inserts)
    if prune:
        for uid, old in stored.items():
            if uid in wanted or old.item_id not in item_ids:
                continue
            if old.kind in MEETINGS:
                if old.status != "cancelled":
                    _update(conn, old, {"status": "cancelled"}, now)
                    changed += 1
            else:
                conn.execute(sa.delete(ENTRY).where(ENTRY.c.id == old.id))
                changed += 1
    return changed + len(inserts)


def _update(conn: sa.Connection, old: Any, values: dict[str, Any], now: datetime) -> None:
    conn.execute(
        sa.update(ENTRY).where(ENTRY.c.id == old.id)
        .values(**values, sequence=old.sequence + 1, modified_at=now)
    )  # fmt: skip


def _same(value: Any) -> Any:
    """Values as both databases return them: naive datetimes to the second."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    return value


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _aware(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
