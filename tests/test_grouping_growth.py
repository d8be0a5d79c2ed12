"""Placing an item reads about as much of a dense store as of a sparse one.

A batch looks its items' keys up in the `eventkey` rows of its window, and
the window holds more items the denser the store is: ten times the items in
the same days must not mean ten times the rows read per placed item. Counting
a common key's rows (an entity on most items) read all of them; fetching the
rare keys' rows as one list of thousands was planned, on PostgreSQL, as a scan
of the whole table. Work is counted, not timed: on PostgreSQL the index
entries and table rows its statistics say were read, on SQLite the virtual
machine's steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from tracker import event_keys
from tracker.events import EventItem
from tracker.models import Event, Item, ItemTag, Source, table_of
from tracker.pipeline import Pipeline
from tracker.store import event_keys as key_rows
from tracker.store.engine import session_scope
from tracker.store.events import assign_pending
from tracker.store.tags import next_seqs

SPARSE, DENSE = 150, 1500  # stored items in the newcomers' days; both over MAX_POSTINGS
NEWCOMERS = 20
SPARSE_DAY = datetime(2026, 3, 2, 12, tzinfo=UTC)
DENSE_DAY = SPARSE_DAY + timedelta(days=200)  # far apart: neither window sees the other
TITLE = "Commerce tightens chip export rule for Alibaba cloud {n}"


def _newcomer(n: int, when: datetime) -> EventItem:
    return EventItem(
        id=n,
        title=TITLE.format(n=n),
        text="",
        entities=frozenset({"alibaba"}),
        topics=frozenset(),
        published=when,
        doc_type="news",
        source="wire",
    )


def _common_keys() -> list[str]:
    """Keys every newcomer is filed and looked up under (its entity, its title's words)."""
    keys = event_keys.stored_keys(_newcomer(1, SPARSE_DAY)) & event_keys.stored_keys(
        _newcomer(2, SPARSE_DAY)
    )
    return sorted(keys)


def _store(session: Session, source: int, count: int, day: datetime, common: list[str]) -> None:
    """`count` grouped items over the ten days around `day`, each filed under the
    newcomers' common keys and one of its own."""
    events = [Event(headline=f"filler {n}", event_date=day, created_at=day) for n in range(count)]
    session.add_all(events)
    session.flush()
    table = table_of(Item)
    seqs = next_seqs(session, count)
    rows = []
    for n in range(count):
        when = day + timedelta(minutes=(n * 9601) % (10 * 24 * 60)) - timedelta(days=5)
        rows.append(dict(source_id=source, guid=f"filler-{day:%j}-{n}", title=f"filler {n}",
                         published_at=when, fetched_at=when, content_hash=f"{n:064d}",
                         event_id=events[n].id, seq=seqs[n], changed_at=when, agencies=[],
                         categories=[], rins=[]))  # fmt: skip
    ids = session.execute(sa.insert(table).returning(table.c.id, table.c.published_at), rows).all()
    keys = sorted(
        (key, item_id, when, False)
        for item_id, when in ids
        for key in [*common, f"w:filler{item_id}"]
    )
    key_rows.insert_many(session, table_of(key_rows.EventKey),
                         ("key", "item_id", "published_at", "sample"), keys)  # fmt: skip


def _arrive(session: Session, source: int, day: datetime) -> None:
    """NEWCOMERS ungrouped items on `day`, tagged with the entity they share."""
    seqs = next_seqs(session, NEWCOMERS)
    for n in range(NEWCOMERS):
        when = day + timedelta(minutes=7 * n)
        item = Item(source_id=source, guid=f"new-{day:%j}-{n}", title=TITLE.format(n=n),
                    published_at=when, fetched_at=when, content_hash=f"{n:064x}",
                    seq=seqs[n], changed_at=when)  # fmt: skip
        session.add(item)
        session.flush()
        session.add(ItemTag(item_id=item.id, slug="alibaba", kind="entity", origin="rule",  # type: ignore[arg-type]
                            status="confirmed", evidence=[], created_at=when))  # fmt: skip


def _pg_reads(engine: sa.Engine) -> int:
    """Index entries and sequentially read rows PostgreSQL has counted in the schema."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        entries = conn.execute(sa.text(
            "SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes "
            "WHERE schemaname = current_schema()"
        )).scalar_one()  # fmt: skip
        rows = conn.execute(sa.text(
            "SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema()"
        )).scalar_one()  # fmt: skip
    return int(entries) + int(rows)


def _work(engine: sa.Engine, place: Callable[[Session], None]) -> int:
    """What `place` reads: PostgreSQL's counts, or SQLite's virtual machine steps."""
    if engine.dialect.name == "postgresql":
        engine.dispose()
        time.sleep(1.0)
        before = _pg_reads(engine)
        with session_scope(engine) as session:
            place(session)
            session.execute(sa.text("SELECT pg_stat_force_next_flush()"))
        engine.dispose()  # a backend flushes its counts as it ends
        time.sleep(1.0)
        return _pg_reads(engine) - before
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    with session_scope(engine) as session:
        raw = session.connection().connection.driver_connection
        raw.set_progress_handler(step, 10)  # type: ignore[union-attr]
        try:
            place(session)
        finally:
            raw.set_progress_handler(None, 10)  # type: ignore[union-attr]
    return steps * 10


def test_placing_reads_no_more_of_a_store_ten_times_as_dense(pipeline: Pipeline) -> None:
    engine = pipeline.engine
    common = _common_keys()
    assert len(common) >= 3
    with session_scope(engine) as session:
        source = Source(slug="growth-wire", name="Growth wire", kind="rss")
        session.add(source)
        session.flush()
        source_id = source.id or 0
        _store(session, source_id, SPARSE, SPARSE_DAY, common)
        _store(session, source_id, DENSE, DENSE_DAY, common)
        if engine.dialect.name == "postgresql":
            session.commit()
            session.connection().execute(sa.text("ANALYZE"))
    reads = {}
    for name, day in (("sparse", SPARSE_DAY), ("dense", DENSE_DAY)):
        with session_scope(engine) as session:
            _arrive(session, source_id, day)

        def place(session: Session) -> None:
            assert assign_pending(session) == NEWCOMERS

        reads[name] = _work(engine, place)
    # The newcomers find no stored neighbour in either (the keys they share with
    # the stored items are common), so all they read is the lookup.
    assert reads["dense"] <= 1.25 * reads["sparse"], reads


def test_a_key_is_rare_up_to_max_postings_rows_in_the_window(pipeline: Pipeline) -> None:
    """The rows read per key are bounded; which keys count as rare, and their items, are
    as a count of all the window's rows says (rows out of the window, or of the demo
    snapshot, do not count)."""
    most = event_keys.MAX_POSTINGS
    low, high = SPARSE_DAY, SPARSE_DAY + timedelta(days=10)
    with session_scope(pipeline.engine) as session:
        source = Source(slug="growth-wire", name="Growth wire", kind="rss")
        session.add(source)
        session.flush()
        items = table_of(Item)
        rows = [dict(source_id=source.id, guid=f"g{n}", title=f"t {n}", published_at=low,
                     fetched_at=low, content_hash=f"{n:064d}", seq=s, changed_at=low,
                     agencies=[], categories=[], rins=[])
                for n, s in enumerate(next_seqs(session, 2 * most + 4))]  # fmt: skip
        ids = [session.execute(items.insert().returning(items.c.id), r).scalar_one() for r in rows]
        keys: list[tuple[object, ...]] = []
        inside = [low + timedelta(hours=n) for n in range(len(ids))]
        counts = {"w:one": 1, "w:few": 7, "w:edge": most, "w:over": most + 1, "w:many": 2 * most}
        for key, count in counts.items():
            keys += [(key, ids[n], inside[n], False) for n in range(count)]
        # Outside the window or in the demo snapshot: not counted.
        keys += [("w:edge", ids[-1], low - timedelta(seconds=1), False)]
        keys += [("w:edge", ids[-2], high + timedelta(seconds=1), False)]
        keys += [("w:edge", ids[-3], inside[0], True), ("w:none", ids[-4], inside[0], True)]
        columns = ("key", "item_id", "published_at", "sample")
        key_rows.insert_many(session, table_of(key_rows.EventKey), columns, sorted(keys))
        asked = [*counts, "w:none", "w:absent"]
        found = key_rows._postings(session, asked, low, high, False)
        demo = key_rows._postings(session, asked, low, high, True)
    expected = {k: sorted(ids[:n]) for k, n in counts.items() if n <= most}
    assert {k: sorted(v) for k, v in found.items()} == expected
    assert {k: sorted(v) for k, v in demo.items()} == {"w:edge": [ids[-3]], "w:none": [ids[-4]]}
