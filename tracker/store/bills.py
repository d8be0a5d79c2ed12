"""Bills as pages show them, and items linked to the bills they name.

An item names a bill in its words ("H.R. 8283"); it is linked to the stored
bill of that type and number in the Congress sitting when the item was
published, of its own kind: a live item only ever to a live bill, an item of
the bundled demo snapshot only to the snapshot's bill. Linking runs after
every ingest (`link_bill_mentions`): new items are read against every stored
bill, and a bill stored later is looked for in the items already there, so the
order of arrival does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Bill, BillAction, Counter, Item, table_of
from tracker.store.events import bump
from tracker.store.listings import ListingFilter, count_items
from tracker.tag import find_bill_refs

T = TypeVar("T")
BATCH = 1000
# Bookkeeping rows in `counter`: how far linking has read.
SEQ_READ = "bill_links_seq"  # items up to this sequence number were read
BILLS_READ = "bill_links_bill"  # bills up to this id were looked for in old items


@dataclass(frozen=True)
class BillActionRow:
    """A dated action, with its bill, for lists of recent actions."""

    bill_key: str
    congress: int
    bill_type: str
    number: int
    bill_title: str
    action_date: date
    text: str
    sample: bool = False


def congress_for(day: date | datetime) -> int:
    """The Congress sitting on `day`: the 119th from 3 January 2025 to 3 January 2027."""
    year = day.year
    if year % 2 == 1 and (day.month, day.day) < (1, 3):
        year -= 1  # the old Congress sits until 3 January of an odd year
    return (year - 1789) // 2 + 1


def bill_key(congress: int, bill_type: str, number: int) -> str:
    """The stored key of a bill: 119, "s", 4417 → "119-s-4417"."""
    return f"{congress}-{bill_type}-{number}"


def bill_by_number(session: Session, congress: int, bill_type: str, number: int) -> Bill | None:
    """The stored bill, the live one when the demo snapshot holds it too; or None."""
    return bill_by_key(session, bill_key(congress, bill_type.lower(), number))


def bill_by_key(session: Session, key: str) -> Bill | None:
    """The bill with key ``119-hr-8283``, the live one before the demo snapshot's; or None."""
    stmt = select(Bill).where(Bill.key == key).order_by(Bill.sample)  # type: ignore[arg-type]
    return session.exec(stmt).first()


def has_snapshot(session: Session, key: str) -> bool:
    """Whether the bundled demo snapshot holds a bill with this key."""
    stmt = select(Bill.id).where(Bill.key == key, Bill.sample == True)  # noqa: E712
    return session.exec(stmt).first() is not None


def bill_keys_stored(session: Session, keys: Iterable[str], sample: bool | None = None) -> set[str]:
    """Which of `keys` name a stored bill (of one kind, demo or live, when `sample` says)."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    stmt = select(Bill.key).where(Bill.key.in_(wanted)).distinct()  # type: ignore[attr-defined]
    if sample is not None:
        stmt = stmt.where(Bill.sample == sample)
    return set(session.exec(stmt))


def all_bills(session: Session, limit: int = 200) -> list[Bill]:
    """Stored bills, the most recently active first."""
    stmt = (
        select(Bill)
        .order_by(Bill.latest_action_date.desc(), Bill.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    )
    return list(session.exec(stmt))


@dataclass(frozen=True)
class TextVersionRow:
    """One printed version of a bill's text ("Reported in House"), its day and address."""

    name: str
    day: date | None
    url: str | None


def text_versions(bill: Bill) -> list[TextVersionRow]:
    """The bill's printed text versions as BILLSTATUS lists them, oldest first (undated last).

    Only web addresses are kept as links; a version without one is listed by name and day.
    """
    rows = []
    for v in bill.text_versions or []:
        name = str(v.get("name") or "").strip()
        if not name:
            continue
        try:
            day = date.fromisoformat(str(v.get("day") or "")[:10])
        except ValueError:
            day = None
        url = str(v.get("url") or "")
        link = url if url.startswith(("https://", "http://")) else None
        rows.append(TextVersionRow(name, day, link))
    return sorted(rows, key=lambda r: (r.day is None, r.day or date.min))


def bill_actions(session: Session, bill_id: int) -> list[BillAction]:
    """A bill's actions, oldest first, each told once.

    A BILLSTATUS file lists an action once per system that recorded it (the
    House clerk and the Library of Congress); readers need it once.
    """
    stmt = (
        select(BillAction)
        .where(BillAction.bill_id == bill_id)
        .order_by(BillAction.action_date, BillAction.position)  # type: ignore[arg-type]
    )
    return _once(session.exec(stmt), lambda a: (a.action_date, a.text))


def recent_actions(session: Session, limit: int = 8) -> list[BillActionRow]:
    """The latest actions on any bill, newest first."""
    action, bill = table_of(BillAction).c, table_of(Bill).c
    stmt = (
        sa.select(
            bill.key,
            bill.congress,
            bill.bill_type,
            bill.number,
            bill.title,
            action.action_date,
            action.text,
            bill.sample,
        )
        .join(table_of(Bill), bill.id == action.bill_id)
        .order_by(action.action_date.desc(), action.position.desc())
        .limit(limit * 3)
    )
    rows = [BillActionRow(*row) for row in session.execute(stmt)]
    return _once(rows, lambda a: (a.bill_key, a.sample, a.action_date, a.text))[:limit]


def _once(rows: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    seen: set[Hashable] = set()
    kept = []
    for row in rows:
        if key(row) not in seen:
            seen.add(key(row))
            kept.append(row)
    return kept


def link_bill_mentions(session: Session) -> int:
    """Link unlinked items to the stored bills of their kind their words name; returns how many."""
    bills: dict[tuple[str, bool], int] = {
        (b.key, b.sample): b.id for b in session.exec(select(Bill)) if b.id is not None
    }
    if not bills:
        return 0
    item = table_of(Item).c
    top_seq = session.execute(sa.select(sa.func.max(item.seq))).scalar() or 0
    read_to = _counter(session, SEQ_READ)
    links = _links_in(session, bills, [item.seq > read_to, item.seq <= top_seq])
    bills_read = _counter(session, BILLS_READ)
    for bill in session.exec(select(Bill).where(Bill.id > bills_read)):  # type: ignore[operator]
        links.update(_links_in(session, bills, _older_mentions(bill, read_to)))
    for item_id, bill_id in links.items():
        session.execute(sa.update(table_of(Item)).where(item.id == item_id).values(bill_id=bill_id))
    bump(session, sorted(links))  # feeds and the index show the bill with the item
    _set_counter(session, SEQ_READ, top_seq)
    _set_counter(session, BILLS_READ, max(bills.values()))
    return len(links)


def _older_mentions(bill: Bill, read_to: int) -> list[sa.ColumnElement[bool]]:
    # Only items whose words hold the number can name the bill; the database
    # narrows them down before the pattern reads them.
    item = table_of(Item).c
    digits = f"%{bill.number}%"
    return [
        item.seq <= read_to,
        item.sample == bill.sample,
        sa.or_(item.title.like(digits), item.text.like(digits)),
    ]


def _links_in(
    session: Session, bills: dict[tuple[str, bool], int], clauses: list[sa.ColumnElement[bool]]
) -> dict[int, int]:
    """item id → bill id for unlinked items matching `clauses` that name a stored bill
    of their own kind."""
    item = table_of(Item).c
    stmt = (
        sa.select(item.id, item.title, item.text, item.published_at, item.sample)
        .where(item.bill_id.is_(None), *clauses)
        .order_by(item.id)
        .execution_options(yield_per=BATCH)
    )
    found: dict[int, int] = {}
    for item_id, title, text, published, sample in session.execute(stmt):
        congress = congress_for(published)
        for bill_type, number in find_bill_refs(f"{title}\n{text}"):
            bill_id = bills.get((bill_key(congress, bill_type, number), bool(sample)))
            if bill_id is not None:
                found[item_id] = bill_id
                break
    return found


def _counter(session: Session, name: str) -> int:
    row = session.get(Counter, name)
    return row.value if row else 0


def _set_counter(session: Session, name: str, value: int) -> None:
    row = session.get(Counter, name) or Counter(name=name)
    row.value = value
    session.add(row)


@dataclass
class BillRecordView:
    """A bill, its dated actions in order, and how many items cite it."""

    bill: Bill
    actions: list[BillAction]
    items: int


def bills_page(session: Session, *, limit: int, offset: int) -> tuple[list[Bill], int]:
    """Bills with the latest action first, and how many there are in all."""
    stmt = (
        select(Bill)
        .order_by(
            Bill.latest_action_date.desc().nulls_last(),  # type: ignore[union-attr]
            Bill.id.desc(),  # type: ignore[union-attr]
        )
        .limit(limit)
        .offset(offset)
    )
    total = session.execute(sa.select(sa.func.count()).select_from(table_of(Bill))).scalar_one()
    return list(session.exec(stmt)), int(total)


def bill_record(session: Session, key: str) -> BillRecordView | None:
    """The bill with key ``119-s-1705``, its actions and its item count, or None."""
    bill = bill_by_key(session, key)
    if bill is None:
        return None
    actions = list(
        session.exec(
            select(BillAction).where(BillAction.bill_id == bill.id).order_by(BillAction.position)  # type: ignore[arg-type]
        )
    )
    return BillRecordView(bill, actions, count_items(session, ListingFilter(bill=key)))
