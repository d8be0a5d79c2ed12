"""Kept aggregates saved for every process (tracker/store/kept_store.py): a process
with nothing in memory loads what another counted, counts only the parts changed
since, and equals a count made afresh after new items, retags, merges, splits and
deletions (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alert_helpers import letter
from sqlmodel import select
from test_daily_counts_kept import ingest, statements
from test_kept_aggregates import FILTERS, agree, events_of

from tracker.models import ItemTag, KeptAggregate, table_of
from tracker.pipeline import Pipeline
from tracker.store import event_edits, kept_codec, kept_store, memo, tag_edits, timelines
from tracker.store.engine import session_scope
from tracker.store.front_kept import _Event
from tracker.store.listings import ListingFilter, listing_version
from tracker.store.locks import write_scope

DAY = datetime(2026, 4, 2, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def every_listing_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count every listing's events the way a large one's are (the demo is small)."""
    monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)


def another_process(p: Pipeline) -> None:
    """What this process kept is written, then forgotten: as a new worker's memory."""
    assert kept_store.flush()
    memo._memos.pop(p.engine, None)


def kept_reads(p: Pipeline) -> list[str]:
    """The kept aggregates read the way a new worker's first requests read them; the
    statements run."""
    with statements(p) as seen, session_scope(p.engine) as session:
        for f in FILTERS:
            timelines.event_count(session, f)
            timelines.daily_counts(session, f)
            listing_version(session, f)
        timelines.cooccurring(session, "distillation", "entity", limit=50)
        timelines.cooccurring(session, "anthropic", "topic", limit=50)
    return seen


def counted_in_part(seen: list[str]) -> None:
    """The saved aggregates were read, and every count was of a few days, id blocks
    or changed items: none counted a whole listing."""
    assert [s for s in seen if "kept_aggregate" in s]
    grouped = [s for s in seen if "GROUP BY" in s.upper()]
    for statement in grouped:
        assert re.search(r"published_at >=|item_id >=|seq >", statement), statement


def test_a_new_process_loads_what_another_counted_and_counts_only_changes(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    p.load_demo()
    agree(p)  # counted, and saved
    another_process(p)
    seen = kept_reads(p)  # nothing changed: loaded, nothing counted
    assert not [s for s in seen if "GROUP BY" in s.upper()]
    agree(p)

    ingest(p, tmp_path, "new", [letter(1, extra="Anthropic says it saw this.")], DAY)
    p.settle(index=False)  # a new item, placed in an event
    another_process(p)
    counted_in_part(kept_reads(p))
    agree(p)

    with write_scope(p.engine) as session:  # a person takes a topic away and gives one
        tag = session.exec(
            select(ItemTag).where(ItemTag.slug == "distillation", ItemTag.status != "rejected")
        ).first()
        assert tag is not None and tag.id is not None
        assert tag_edits.decide_tags(session, [tag.id], "reject", "test") == 1
        tag_edits.add_manual_tag(session, tag.item_id, "export-controls", "test")
    another_process(p)
    counted_in_part(kept_reads(p))
    agree(p)

    with write_scope(p.engine) as session:  # two events merged, then an item split off
        events = events_of(session)
        keep, other = sorted(events, key=lambda e: events[e][0])[-2:]
        event_edits.merge_events(session, keep, other, "editor")
    another_process(p)
    agree(p)
    with write_scope(p.engine) as session:
        event_edits.split_item(session, events_of(session)[keep][0][1], "editor")
    another_process(p)
    agree(p)

    p.remove_demo()  # deletions: what was saved before is not used
    another_process(p)
    agree(p)


def test_an_older_save_never_replaces_a_newer_one(pipeline: Pipeline) -> None:
    p = pipeline
    key = ("daily", ListingFilter(topic="distillation"))
    kept_store.save(p.engine, key, 9, 1, {date(2026, 4, 2): 3})
    assert kept_store.flush()
    kept_store.save(p.engine, key, 5, 1, {date(2026, 4, 2): 1})  # counted earlier
    assert kept_store.flush()
    assert kept_store.load(p.engine, key) == (9, 1, {date(2026, 4, 2): 3})
    kept_store.save(p.engine, key, 2, 2, {})  # counted after a deletion: newer
    assert kept_store.flush()
    assert kept_store.load(p.engine, key) == (2, 2, {})


def test_too_large_or_unknown_values_are_not_saved(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = pipeline
    monkeypatch.setattr(kept_store, "MAX_BYTES", 100)
    kept_store.save(p.engine, ("daily", "big"), 1, 0, [str(i) for i in range(1000)])
    kept_store.save(p.engine, ("daily", "odd"), 1, 0, {object()})
    assert kept_store.flush()
    with p.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(table_of(KeptAggregate))).scalar()
            == 0
        )
    assert kept_store.load(p.engine, ("daily", "big")) is None


def test_the_table_keeps_the_most_recently_used(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = pipeline
    monkeypatch.setattr(kept_store, "MAX_ROWS", 3)
    monkeypatch.setattr(kept_store, "PRUNE_EVERY", 1)
    table = table_of(KeptAggregate)
    for n in range(6):
        kept_store.save(p.engine, ("daily", n), 1, 0, n)
        assert kept_store.flush()
        with p.engine.begin() as conn:  # saved one second after the one before
            conn.execute(table.update().where(table.c.used_at >= 0).values(
                used_at=table.c.used_at - 1))  # fmt: skip
    with p.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() <= 4
    assert kept_store.load(p.engine, ("daily", 5)) == (1, 0, 5)
    assert kept_store.load(p.engine, ("daily", 0)) is None


def test_kept_values_read_back_equal() -> None:
    newest = datetime(2026, 4, 2, 15, 30, tzinfo=UTC)
    values = [
        {(date(2026, 4, 2), "letter"): 3, (date(2026, 4, 3), "news"): 1},
        {0: {"anthropic": 2}, 12: {"deepseek": 1}},
        (7, newest, 3),
        (7, datetime(2026, 4, 2, 15), 3),
        [({4: _Event(3, "memo", {"a": True}, newest)}, {("a", "topic"): 2})],
        {("a", "topic"): [0, 1, 2]},
        None,
    ]
    for value in values:
        assert kept_codec.loads(kept_codec.dumps(value)) == value
    assert kept_codec.key_text(("daily", ListingFilter(since=newest - timedelta(days=1))))
    with pytest.raises(TypeError):
        kept_codec.dumps(Path("/tmp"))
