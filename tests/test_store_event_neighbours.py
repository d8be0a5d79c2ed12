"""Stored neighbours are indexed under the keys they were filed under, not recomputed.

Placing a batch finds stored items sharing its keys (thousands, for a batch of
a backlog on a dense store); computing each one's keys again (its act, its
names) cost more than placing the batch, and more the denser the store. The
keys come back from the `eventkey` rows instead, so only the batch's own items
have their keys computed, however many neighbours they find.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from tracker import event_keys
from tracker.events import EventItem
from tracker.models import EventKey, Item
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import assign_pending

BILL_ITEM = "H.R. 8283: Deterring American AI Model Theft Act of 2026"
BLOOMBERG = "Bloomberg reports H.R. 8283, the Deterring American AI Model Theft Act of 2026"


@pytest.fixture
def keyed_items(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[int]]:
    """Ids of the items whose blocking keys are computed while the fixture lives."""
    seen: set[int] = set()
    computed = event_keys.stored_keys

    def counting(item: EventItem) -> frozenset[str]:
        seen.add(item.id)
        return computed(item)

    monkeypatch.setattr(event_keys, "stored_keys", counting)
    yield seen


def test_a_placed_item_finds_its_event_without_its_neighbours_keys_computed(
    pipeline: Pipeline, keyed_items: set[int]
) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        items = {i.title: i for i in session.exec(select(Item))}
        report, bill = items[BLOOMBERG], items[BILL_ITEM]
        assert report.event_id == bill.event_id
        report.event_id = None  # waits to be placed again, its event still there
        session.add(report)
    keyed_items.clear()
    with session_scope(pipeline.engine) as session:
        assert assign_pending(session) == 1
        again = session.get(Item, report.id)
        filed = {k.item_id for k in session.exec(select(EventKey))}
    assert again is not None and again.event_id == bill.event_id
    assert bill.id in filed  # the bill was there to be found by its rows
    assert keyed_items == {report.id}  # only the arriving item's keys were computed


def _item(item_id: int, title: str, when: datetime) -> EventItem:
    return EventItem(
        id=item_id,
        title=title,
        text="",
        entities=frozenset(),
        topics=frozenset(),
        published=when,
        doc_type="news",
        source="wire",
    )


def test_the_index_finds_reports_in_the_window_whatever_order_they_came_in() -> None:
    # Stored neighbours and a batch's own items interleave in time: each key's
    # reports must still be cut to the arriving report's window alone.
    monday = datetime(2026, 6, 1, 12, tzinfo=UTC)
    index = event_keys.BlockingIndex()
    title = "Commerce export controls rule on chips"
    days = [-40, 3, -5, 25, -12, 0, 11, -9, 8]
    for n, day in enumerate(days):
        index.add(_item(100 + n, title, monday + timedelta(days=day)), event_id=100 + n)
    found = index.events_for(_item(1, title, monday))
    near = {100 + n for n, day in enumerate(days) if -10 <= day <= 10}
    assert set(found) <= near and found  # within ACT_WINDOW either side, none outside
    assert len(found) == min(len(near), event_keys.EVENTS)


def _index_scans(pg_url: str) -> int:
    """Index scans PostgreSQL has counted on `eventkey` (each probe of an array's values
    is one), from another connection once the counts are flushed."""
    import sqlalchemy as sa

    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        found = conn.execute(
            sa.text(
                "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes "
                "WHERE relname = 'eventkey' AND schemaname = current_schema()"
            )
        ).scalar_one()
    engine.dispose()
    return int(found)


def test_reading_filed_keys_probes_each_item_not_each_item_and_key(
    pg_url: str, tmp_path: Path
) -> None:
    """A long grouping run's statements are prepared, and PostgreSQL may plan one without
    its parameters' values: filtering on the items and the keys as two arrays then
    probed the index once for every pair (seconds for a batch of a large store)."""
    import sqlalchemy as sa

    from tracker.config import Settings
    from tracker.store import event_keys as key_rows

    home = {"TRACKER_DATABASE_URL": pg_url, "TRACKER_HOME": str(tmp_path)}
    pipeline = Pipeline(Settings.from_env(home))
    pipeline.init()
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        ids = list(session.exec(select(EventKey.item_id).distinct()))
        wanted = set(session.exec(select(EventKey.key)))
        # Rows of other keys, as a large store has, so that the planner finds the
        # items' rows many and the keys a sharper cut.
        session.execute(
            sa.text(
                "INSERT INTO eventkey (key, item_id, published_at, sample) "
                "SELECT 'z:' || n, item_id, published_at, sample FROM eventkey, "
                "generate_series(1, 400) AS n ON CONFLICT DO NOTHING"
            )
        )
    with session_scope(pipeline.engine) as session:
        session.execute(sa.text("ANALYZE eventkey"))
        plain = key_rows.filed(session, ids, wanted)
    pipeline.engine.dispose()  # a backend flushes its counts as it ends
    time.sleep(1.0)
    before = _index_scans(pg_url)
    with session_scope(pipeline.engine) as session:
        session.execute(sa.text("SET LOCAL plan_cache_mode = force_generic_plan"))
        generic = key_rows.filed(session, ids, wanted)
        session.execute(sa.text("SELECT pg_stat_force_next_flush()"))
    pipeline.engine.dispose()
    time.sleep(1.0)
    scans = _index_scans(pg_url) - before
    assert generic == plain and sum(map(len, plain.values())) > 100
    assert scans <= 2 * len(ids), (scans, len(ids), len(wanted))
