"""Blocking keys as rows: the index event grouping finds an item's neighbours by.

Each placed item files its keys (`tracker.event_keys.stored_keys`) in `eventkey` with
its date and demo mark. To place a batch, grouping asks which stored items
share the batch's lookup keys within the window, skipping keys that more than
`MAX_POSTINGS` items share, so a busy week costs index reads, not rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

from tracker import event_keys
from tracker.events import EventItem
from tracker.models import EventKey, table_of
from tracker.store.engine import on_postgresql

# Keys per IN list: under SQLite's and psycopg's parameter limits, small enough to plan well.
CHUNK = 500
T = TypeVar("T")
KEY_LENGTH = 120


def file_keys(session: Session, items: Iterable[EventItem], sample: bool) -> None:
    """Write the blocking keys of placed items (replacing any they had)."""
    table = table_of(EventKey)
    items = list(items)
    ids = [item.id for item in items]
    for start in range(0, len(ids), CHUNK):
        session.execute(sa.delete(table).where(table.c.item_id.in_(ids[start : start + CHUNK])))
    # In key order: each row lands beside the last in the key's index, not at a
    # random page of it (a batch writes tens of thousands of rows).
    rows = sorted(
        (key, item.id, item.published, sample)
        for item in items
        for key in {k[:KEY_LENGTH] for k in event_keys.stored_keys(item)}
    )
    insert_many(session, table, ("key", "item_id", "published_at", "sample"), rows)


def insert_many(
    session: Session, table: sa.Table, columns: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert `rows` (values in `columns` order) with the driver's executemany.

    Tens of thousands of key rows a batch: SQLAlchemy's per-row parameter
    handling cost more than the database's own work, so each column's bind
    processor (dates, booleans) is applied here and the rows go straight down.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    statement = sa.insert(table).values({c: sa.bindparam(c) for c in columns})
    compiled = statement.compile(dialect=dialect)
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    if any(processors):
        # Column by column, each distinct value processed once: an item's date is
        # on each of its key rows. Keyed with the zone too: equal instants in two
        # zones are written apart. (The values here are all hashable.)
        cells = [list(column) for column in zip(*rows, strict=True)]
        for at, process in enumerate(processors):
            if process is not None:
                cells[at] = _processed(process, cells[at])
        rows = list(zip(*cells, strict=True))
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        in_order = order == list(range(len(columns)))
        params: list = list(rows) if in_order else [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(columns, row, strict=True)) for row in rows]
    for start in range(0, len(params), 5000):
        connection.exec_driver_sql(str(compiled), params[start : start + 5000])


def _processed(process: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    done: dict[tuple[Any, Any], Any] = {}
    out = []
    for value in values:
        key = (value, getattr(value, "tzinfo", None))
        if key not in done:
            done[key] = process(value)
        out.append(done[key])
    return out


def filed(
    session: Session, item_ids: Iterable[int], wanted: Collection[str]
) -> dict[int, frozenset[str]]:
    """Of the keys stored items were filed under, those in `wanted`, by item.

    `wanted` holds every key (cut to `KEY_LENGTH`) a batch looks up, so an
    in-memory index of these keys answers the batch's lookups as one of all
    the items' `stored_keys` would. An item is left out when one of its rows
    here may have been cut to `KEY_LENGTH` (the row cannot tell which whole key
    it was): its keys must be computed. Reading them costs a few rows an item;
    computing them reads the item's act and names, a few milliseconds each, for
    thousands of neighbours a batch, and more of them the denser the store.
    """
    table = table_of(EventKey)
    ids = sorted(set(item_ids))
    keys: dict[int, set[str]] = {item_id: set() for item_id in ids}
    # Rows chosen by item alone, the keys kept here. With `key = ANY(keys)` beside
    # `item_id = ANY(ids)`, PostgreSQL's generic plan for the prepared statement
    # (psycopg prepares a statement run five times) probed the primary key once for
    # every pair of the two arrays: minutes a batch on a 72,000-item store, against
    # a quarter of a second for the rows of the items, of which the keys drop a third.
    for chunk in _chunks(session, ids):
        rows = session.execute(
            sa.select(table.c.item_id, table.c.key).where(
                _among(session, table.c.item_id, chunk, sa.Integer)
            )
        )
        for item_id, key in rows:
            if key in wanted:
                keys[item_id].add(key)
    return {
        item_id: frozenset(found)
        for item_id, found in keys.items()
        if all(len(key) < KEY_LENGTH for key in found)
    }


def lookup_rows(item: EventItem) -> set[str]:
    """The keys `item` looks up, as rows hold them (cut to `KEY_LENGTH`)."""
    return {k[:KEY_LENGTH] for k in event_keys.lookup_keys(item)}


def neighbours(
    session: Session, items: Sequence[EventItem], low: datetime, high: datetime, sample: bool
) -> set[int]:
    """Ids of stored items between `low` and `high` that are among some item's best candidates."""
    lookup = {item.id: lookup_rows(item) for item in items}
    wanted = sorted(set().union(*lookup.values())) if lookup else []
    postings = _postings(session, wanted, low, high, sample)
    total = max(len({i for ids in postings.values() for i in ids}), 1)
    found: set[int] = set()
    for item in items:
        found.update(event_keys.rank(lookup[item.id], postings, total, item.id))
    return found


def _postings(
    session: Session, keys: list[str], low: datetime, high: datetime, sample: bool
) -> dict[str, list[int]]:
    """Item ids under each key in the window, for keys few enough items share.

    Each key's rows are read through the lookup index, at most `MAX_POSTINGS`
    + 1 of them: whether a key is rare is known from those. Counting all the
    rows of every key read the window's common keys (a busy entity, a title
    word) whole, and fetching the rare keys' rows as one list of thousands of
    keys was planned, on PostgreSQL, as a scan of the whole table: both grew
    with the store, whose batch windows hold more items the denser it is.
    """
    postgresql = on_postgresql(session)
    values = {"sample": sample, "low": low, "high": high, "most": event_keys.MAX_POSTINGS + 1}
    postings: dict[str, list[int]] = {}
    for chunk in _chunks(session, keys):
        if postgresql:
            rows = session.execute(_FIRST_ROWS_PG, {"keys": chunk, **values})
        else:
            asked = {f"k{n}": key for n, key in enumerate(chunk)}
            rows = session.execute(_first_rows_sqlite(len(chunk)), {**asked, **values})
        for key, ids in rows:
            if ids is None:
                continue  # no row in the window
            if isinstance(ids, str):  # SQLite's list; PostgreSQL kept only the rare keys
                if ids.count(",") >= event_keys.MAX_POSTINGS:
                    continue
                ids = [int(i) for i in ids.split(",")]
            postings[key] = list(ids)
    return postings


def _typed(statement: sa.TextClause) -> sa.TextClause:
    table = table_of(EventKey)
    return statement.bindparams(
        sa.bindparam("sample", type_=table.c.sample.type),
        sa.bindparam("low", type_=table.c.published_at.type),
        sa.bindparam("high", type_=table.c.published_at.type),
    )


# Each key's first MAX_POSTINGS + 1 rows in the window, key by key through the
# lookup index (the LIMIT keeps the planner from joining the keys to the whole
# table), gathered per key: an array on PostgreSQL, a list in a string on SQLite.
_FIRST = (
    "SELECT item_id FROM eventkey WHERE key = asked.key AND sample = :sample "
    "AND published_at >= :low AND published_at <= :high LIMIT :most"
)
_FIRST_ROWS_PG = _typed(
    sa.text(
        "SELECT asked.key, agg.ids FROM unnest(CAST(:keys AS varchar[])) AS asked(key) "
        f"CROSS JOIN LATERAL (SELECT array_agg(head.item_id) AS ids FROM ({_FIRST}) AS head) "
        "AS agg WHERE cardinality(agg.ids) <= :most - 1"
    ).bindparams(sa.bindparam("keys", type_=ARRAY(sa.String)))
)


@lru_cache(maxsize=8)
def _first_rows_sqlite(count: int) -> sa.TextClause:
    """The statement for `count` keys, bound as :k0, :k1, ... (SQLite has no arrays;
    built once per length, as a VALUES construct compiled per call cost more than
    the query)."""
    asked = ", ".join(f"(:k{n})" for n in range(count))
    return _typed(
        sa.text(
            f"WITH asked(key) AS (VALUES {asked}) SELECT asked.key, "
            f"(SELECT group_concat(head.item_id) FROM ({_FIRST}) AS head) FROM asked"
        )
    )


def _chunks(session: Session, keys: list[T]) -> list[list[T]]:
    """The keys in lists of `CHUNK` for SQLite's parameter limit; one list on PostgreSQL.

    A batch looks up some ten thousand keys. PostgreSQL takes them as one array
    parameter, in one statement and one scan of the window, instead of twenty
    (each a round trip and a scan: most of a batch's time there).
    """
    if on_postgresql(session):
        return [keys] if keys else []
    return [keys[start : start + CHUNK] for start in range(0, len(keys), CHUNK)]


def _among(
    session: Session,
    column: sa.ColumnElement[Any],
    values: Sequence[Any],
    kind: type[sa.types.TypeEngine[Any]] = sa.String,
) -> sa.ColumnElement[bool]:
    if on_postgresql(session):
        return column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(kind)))
    return column.in_(values)
