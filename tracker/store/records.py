"""Bills as the API shows them (an item's record is `tracker.store.items.item_record`,
still importable here; an event's is `tracker.store.event_listings.event_record`)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Bill, BillAction, table_of
from tracker.store import directory
from tracker.store.items import ItemCard, ItemFull, item_record  # noqa: F401  (old home)
from tracker.store.listings import ListingFilter, count_items


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
    bill = directory.bill(session, key)
    if bill is None:
        return None
    actions = list(
        session.exec(
            select(BillAction).where(BillAction.bill_id == bill.id).order_by(BillAction.position)  # type: ignore[arg-type]
        )
    )
    return BillRecordView(bill, actions, count_items(session, ListingFilter(bill=key)))
