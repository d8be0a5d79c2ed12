"""Everything stored, as plain dicts, so no data is locked in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from tracker.models import (
    Bill,
    BillAction,
    Entity,
    Event,
    Item,
    ItemSource,
    ItemTag,
    Source,
    Topic,
    table_of,
)

BATCH = 1000


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: SQLModel) -> dict[str, Any]:
    """Every column of a row, dates as ISO 8601."""
    return {name: _plain(getattr(row, name)) for name in type(row).model_fields}


def export_records(session: Session) -> Iterator[dict[str, Any]]:
    """Sources, topics, entities, bills, events, then items with tags and sources."""
    for model, record_type in ((Source, "source"), (Topic, "topic"), (Entity, "entity")):
        for row in session.exec(select(model).order_by(*table_of(model).primary_key.columns)):
            yield {"type": record_type, **row_dict(row)}
    for bill in session.exec(select(Bill).order_by(col(Bill.id))):
        actions = session.exec(
            select(BillAction)
            .where(BillAction.bill_id == bill.id)
            .order_by(col(BillAction.position))
        )
        yield {"type": "bill", **row_dict(bill), "actions": [row_dict(a) for a in actions]}
    for event in session.exec(select(Event).order_by(col(Event.id))):
        yield {"type": "event", **row_dict(event)}
    last_id = 0
    while True:
        items = list(
            session.exec(
                select(Item).where(col(Item.id) > last_id).order_by(col(Item.id)).limit(BATCH)
            )
        )
        if not items:
            return
        ids = [i.id for i in items]
        tags: dict[int, list[dict[str, Any]]] = {}
        for tag in session.exec(
            select(ItemTag).where(col(ItemTag.item_id).in_(ids)).order_by(col(ItemTag.id))
        ):
            tags.setdefault(tag.item_id, []).append(row_dict(tag))
        links: dict[int, list[dict[str, Any]]] = {}
        for link in session.exec(
            select(ItemSource).where(col(ItemSource.item_id).in_(ids)).order_by(col(ItemSource.id))
        ):
            links.setdefault(link.item_id, []).append(row_dict(link))
        for item in items:
            yield {
                "type": "item",
                **row_dict(item),
                "tags": tags.get(item.id, []),  # type: ignore[arg-type]
                "sources": links.get(item.id, []),  # type: ignore[arg-type]
            }
        last_id = items[-1].id  # type: ignore[assignment]
