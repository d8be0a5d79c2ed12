"""Everything stored, as plain dicts, so no data is locked in.

That includes staff accounts with their password hashes: an export restores a
site whole, so the file is as secret as the database. Each user record names
its secret fields in `secret_fields`, so a reader of the file is told.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from tracker.models import (
    AuditLog,
    Bill,
    BillAction,
    CalendarEntry,
    Entity,
    Event,
    FetchLog,
    Item,
    ItemSource,
    ItemTag,
    ItemVersion,
    Source,
    Topic,
    User,
    table_of,
)

BATCH = 1000
# What a user record holds that must not leave the site's hands: a salted
# scrypt hash is slow to attack, not impossible.
SECRET_USER_FIELDS = ("password_hash",)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: SQLModel) -> dict[str, Any]:
    """Every column of a row, dates as ISO 8601."""
    return {name: _plain(getattr(row, name)) for name in type(row).model_fields}


def export_records(session: Session) -> Iterator[dict[str, Any]]:
    """Sources, topics, entities, bills, events, items with tags and sources, then
    staff accounts (password hashes included, marked secret), the audit log and
    the fetch log."""
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
    yield from _items(session)
    for user in session.exec(select(User).order_by(col(User.id))):
        yield {"type": "user", **row_dict(user), "secret_fields": list(SECRET_USER_FIELDS)}
    yield from _batched(session, AuditLog, "audit")
    yield from _batched(session, FetchLog, "fetch_log")


def _batched(session: Session, model: type[SQLModel], record_type: str) -> Iterator[dict[str, Any]]:
    """Rows of a table that may be long (the logs), a batch at a time by id."""
    id_column = table_of(model).c.id
    last_id = 0
    while True:
        rows = list(
            session.exec(select(model).where(id_column > last_id).order_by(id_column).limit(BATCH))
        )
        if not rows:
            return
        for row in rows:
            yield {"type": record_type, **row_dict(row)}
        last_id = rows[-1].id  # type: ignore[attr-defined]


def _children(
    session: Session, model: type[ItemVersion] | type[CalendarEntry], ids: list[int | None]
) -> dict[int, list[dict[str, Any]]]:
    """Rows of a table hanging off items, by item id, in id order."""
    table = table_of(model).c
    found: dict[int, list[dict[str, Any]]] = {}
    for row in session.exec(select(model).where(table.item_id.in_(ids)).order_by(table.id)):
        record = row_dict(row)
        found.setdefault(record["item_id"], []).append(record)
    return found


def _items(session: Session) -> Iterator[dict[str, Any]]:
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
        versions = _children(session, ItemVersion, ids)
        entries = _children(session, CalendarEntry, ids)
        for item in items:
            yield {
                "type": "item",
                **row_dict(item),
                "tags": tags.get(item.id, []),  # type: ignore[arg-type]
                "sources": links.get(item.id, []),  # type: ignore[arg-type]
                # Earlier wordings (0013) and calendar entries with their UIDs
                # and sequence numbers (0012): subscribed calendars keep them.
                "versions": versions.get(item.id, []),  # type: ignore[arg-type]
                "calendar": entries.get(item.id, []),  # type: ignore[arg-type]
            }
        last_id = items[-1].id  # type: ignore[assignment]
