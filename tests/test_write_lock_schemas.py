"""PostgreSQL write lock per store (issue 14): stores in two schemas of one
database do not wait on each other's writers; two writers of one store do.

The lock was one fixed advisory key for the whole database, so a bench
grouping a large store in its schema held up every test's writes in theirs
for seconds at a time.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from conftest import PG_URL

from tracker.store.engine import session_scope, take_write_lock
from tracker.store.locks import grouping_claim


@pytest.fixture
def other_pg_url() -> Iterator[str]:
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def writer(engine: sa.Engine, done: threading.Event) -> threading.Thread:
    def run() -> None:
        with session_scope(engine) as session:
            take_write_lock(session.connection())
            done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_store_writes_while_another_schema_holds_its_write_lock(
    pg_url: str, other_pg_url: str
) -> None:
    mine, neighbour, mine_too = (sa.create_engine(u) for u in (pg_url, other_pg_url, pg_url))
    try:
        with session_scope(mine) as holding:
            take_write_lock(holding.connection())
            across, beside = threading.Event(), threading.Event()
            threads = [writer(neighbour, across), writer(mine_too, beside)]
            assert across.wait(10), "a writer in another schema waited on this store's lock"
            assert not beside.wait(0.5), "a second writer of the same store did not wait"
        assert beside.wait(10)  # the lock went with the first writer's commit
        for thread in threads:
            thread.join(10)
    finally:
        for engine in (mine, neighbour, mine_too):
            engine.dispose()


def test_grouping_is_claimed_per_store(pg_url: str, other_pg_url: str) -> None:
    mine, neighbour = sa.create_engine(pg_url), sa.create_engine(other_pg_url)
    try:
        with grouping_claim(mine) as got:
            assert got
            with grouping_claim(neighbour) as other:
                assert other, "grouping in another schema was refused"
            with grouping_claim(mine) as again:
                assert not again, "two processes grouping one store at once"
    finally:
        mine.dispose()
        neighbour.dispose()
