"""Read back what `export` wrote: every source, tag, event, bill and item, staff
account, audit entry and fetch log entry, ids kept.

Import goes into an empty database only, so that ids (which events, bills and
tags refer to) can be kept as they were and nothing is merged by guesswork.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel, select

from tracker.inputs import MAX_ID
from tracker.models import (
    AuditLog,
    Bill,
    BillAction,
    CalendarEntry,
    Counter,
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
from tracker.models import UTCDateTime as _UTC
from tracker.store.events import file_all_keys

ORDER = ("source", "topic", "entity", "bill", "event", "item", "user", "audit", "fetch_log")
MODELS: dict[str, type[SQLModel]] = {
    "source": Source, "topic": Topic, "entity": Entity, "bill": Bill, "event": Event, "item": Item,
    "user": User, "audit": AuditLog, "fetch_log": FetchLog,
}  # fmt: skip
# Records carried inside others: a bill's actions, an item's tags and sources.
CHILDREN: dict[str, dict[str, type[SQLModel]]] = defaultdict(dict, {
    "bill": {"actions": BillAction},
    "item": {"tags": ItemTag, "sources": ItemSource, "versions": ItemVersion,
             "calendar": CalendarEntry},
})  # fmt: skip


class ImportRefused(Exception):
    """The export file cannot be imported; the message says which line and why."""


def import_records(session: Session, lines: Iterable[str]) -> dict[str, int]:
    """Insert every record of an export; returns counts per record type."""
    if session.exec(select(sa.func.count()).select_from(Item)).one():
        raise ImportRefused("the database already holds items; import into an empty one")
    # Topics and entities come from the taxonomy at init; the export's copy wins.
    session.execute(sa.delete(Topic))
    session.execute(sa.delete(Entity))
    grouped: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ORDER}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record.pop("type")
        except (json.JSONDecodeError, KeyError, AttributeError, TypeError):
            raise ImportRefused(f"line {number}: not an export record") from None
        if not isinstance(kind, str) or kind not in grouped:
            raise ImportRefused(f"line {number}: unknown record type {kind!r}")
        record.pop("secret_fields", None)  # a note to the file's reader, not a column
        _check(kind, record, number)
        grouped[kind].append(record)
    if grouped["user"] and session.exec(select(sa.func.count()).select_from(User)).one():
        raise ImportRefused("the database already holds staff accounts; import into an empty one")
    # With no items, what `init` put in is only configuration: the export's
    # rows replace it, ids and all.
    for model in (FetchLog, BillAction, Bill, Event, Source):
        session.execute(sa.delete(table_of(model)))
    session.flush()
    _fill_older_export(grouped)
    counts: dict[str, int] = {}
    for kind in ORDER:
        rows = grouped[kind]
        children = [_pop_children(kind, r) for r in rows]
        try:
            if rows:
                table = table_of(MODELS[kind])
                session.execute(sa.insert(table), [_typed(MODELS[kind], r) for r in rows])
            _insert_children(session, kind, children)
        except (sa.exc.IntegrityError, sa.exc.DataError) as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            refused = f"the {kind} records break a rule of the database: {reason}"
            raise ImportRefused(refused) from None
        counts[kind] = len(rows)
    _restore_counters(session)
    file_all_keys(session)  # derived rows, not exported: grouping finds imported items by them
    return counts


def _fill_older_export(grouped: dict[str, list[dict[str, Any]]]) -> None:
    """Fields an export written before migration 0007 lacks: an item is a demo one
    when its source is, a bill when its own item is; bills had no stage days,
    cosponsors or related bills yet."""
    demo_sources = {r.get("id") for r in grouped["source"] if r.get("is_sample")}
    for item in grouped["item"]:
        item.setdefault("sample", item.get("source_id") in demo_sources)
    demo_bills = {i.get("bill_id") for i in grouped["item"]
                  if i["sample"] and str(i.get("guid", "")).startswith("bill:")}  # fmt: skip
    for bill in grouped["bill"]:
        bill.setdefault("sample", bill.get("id") in demo_bills)
        for name, empty in (("stage_dates", {}), ("cosponsors", []), ("related", []),
                            ("text_versions", [])):  # fmt: skip
            bill.setdefault(name, empty)


def _check(kind: str, record: dict[str, Any], number: int) -> None:
    """Refuse a record whose fields do not fit its table, naming the line and the field."""
    try:
        parts = [(MODELS[kind], {k: v for k, v in record.items() if k not in CHILDREN[kind]})]
        for key, model in CHILDREN[kind].items():
            found = record.get(key, [])
            if not isinstance(found, list):
                raise ImportRefused(f"line {number}: {kind} field {key!r} must be a list")
            parts += [(model, child) for child in found]
        for model, fields in parts:
            model.model_validate(fields)
            _check_numbers(model, fields)
            _typed(model, fields)  # what the insert will read must read here, with the line
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "?"
        raise ImportRefused(f"line {number}: {kind} field {where!r}: {error['msg']}") from None
    except ValueError as exc:
        raise ImportRefused(f"line {number}: {kind} {exc}") from None


def _check_numbers(model: type[SQLModel], fields: dict[str, Any]) -> None:
    """Whole numbers must fit their columns: INTEGER is 32 bits on PostgreSQL."""
    for name, value in fields.items():
        column = table_of(model).c.get(name)
        if column is None or not isinstance(value, int) or not isinstance(column.type, sa.Integer):
            continue
        high = 2**63 - 1 if isinstance(column.type, sa.BigInteger) else MAX_ID
        if not -high - 1 <= value <= high:
            raise ValueError(f"field {name!r}: {value} is too large a number")


def _pop_children(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    if kind == "bill":
        return {"actions": record.pop("actions", [])}
    if kind == "item":
        return {name: record.pop(name, []) for name in CHILDREN["item"]}
    return {}


def _insert_children(session: Session, kind: str, children: list[dict[str, Any]]) -> None:
    if kind == "bill":
        actions = [_typed(BillAction, a) for c in children for a in c["actions"]]
        if actions:
            session.execute(sa.insert(table_of(BillAction)), actions)
    if kind == "item":
        # An export written before 0012/0013 has no versions or calendar: none are made up.
        for name, model in CHILDREN["item"].items():
            rows = [_typed(model, row) for c in children for row in c[name]]
            if rows:
                session.execute(sa.insert(table_of(model)), rows)


def _typed(model: type[SQLModel], record: dict[str, Any]) -> dict[str, Any]:
    """Turn ISO strings back into dates and times for the columns that hold them."""
    table = table_of(model)
    out = {}
    for name, value in record.items():
        column = table.c.get(name)
        if column is None:
            continue
        if isinstance(value, str) and isinstance(column.type, _UTC | sa.DateTime):
            value = datetime.fromisoformat(value)
            if value.tzinfo is None and isinstance(column.type, _UTC):
                raise ValueError(f"field {name!r}: {record[name]!r} has no time zone")
        elif isinstance(value, str) and isinstance(column.type, sa.Date):
            value = date.fromisoformat(value)
        out[name] = value
    return out


def _restore_counters(session: Session) -> None:
    """The item sequence continues after the highest imported; so do PostgreSQL ids."""
    top = session.exec(select(sa.func.max(Item.seq))).one() or 0
    session.execute(
        sa.update(table_of(Counter)).where(table_of(Counter).c.name == "item_seq").values(value=top)
    )
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (
        Source, Bill, BillAction, Event, Item, ItemSource, ItemTag, User, AuditLog, FetchLog,
        ItemVersion, CalendarEntry,
    ):  # fmt: skip
        table = table_of(model).name
        session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
            )
        )
