"""Write transactions that take the database's write lock first, and a claim on
event grouping that tells other processes someone is at it.

Two `tracker ingest` of one file at once used to read "not there yet" in both
processes and then collide on a unique key (SQLite reads outside any
transaction until the first write; PostgreSQL's read-committed reads see
nothing the other has not committed), or place the same waiting items twice,
leaving events with no items. Taking the lock before the first read makes the
writers take turns, so concurrent runs give what sequential ones give.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.store.engine import SCHEMA_LOCK_ID, session_scope, take_write_lock

# PostgreSQL advisory lock class held, with the store's schema, by whichever
# process is placing waiting items into events ("grup" in ASCII; see `engine`).
GROUPING_CLASS = 0x67727570


@contextmanager
def write_scope(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its first statement.

    SQLite: `BEGIN IMMEDIATE`. PostgreSQL: a transaction-level advisory lock,
    released at commit or rollback. Commits on success, rolls back on error.
    """
    with session_scope(engine) as session:
        take_write_lock(session.connection())
        yield session


@contextmanager
def grouping_claim(engine: Engine) -> Iterator[bool]:
    """Try to become the process that places waiting items into events.

    Yields False when another process holds the claim (it is grouping now);
    the claim ends with the block, or with the process however it dies.
    SQLite: an advisory lock on a file beside the database; PostgreSQL: a
    session-level advisory lock on a connection kept for the block.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            got = connection.execute(
                sa.text(f"SELECT pg_try_advisory_lock(:lock_class, {SCHEMA_LOCK_ID})"),
                {"lock_class": GROUPING_CLASS},
            ).scalar_one()
            connection.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    connection.execute(
                        sa.text(f"SELECT pg_advisory_unlock(:lock_class, {SCHEMA_LOCK_ID})"),
                        {"lock_class": GROUPING_CLASS},
                    )
                    connection.commit()
        return
    path = _sqlite_claim_path(engine)
    if path is None:
        yield True  # an in-memory database has one process
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the file releases the lock


def _sqlite_claim_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".grouping")
