"""Export then import into an empty database reproduces everything, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tracker.models import Bill, Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.export import export_records
from tracker.store.importer import ImportRefused, import_records


def dump(p: Pipeline) -> list[str]:
    with session_scope(p.engine) as session:
        return [json.dumps(r, sort_keys=True) for r in export_records(session)]


def test_round_trip_keeps_every_record(sqlite_pipeline: Pipeline, pipeline: Pipeline) -> None:
    sqlite_pipeline.load_demo()
    with session_scope(sqlite_pipeline.engine) as session:
        tag = session.exec(select(ItemTag).where(ItemTag.slug == "qwen")).first()
        assert tag is not None
        tag.status, tag.decided_by = "confirmed", "editor"
        session.add(ItemTag(item_id=tag.item_id, slug="iaps", kind="entity", origin="manual",
                            status="confirmed", created_at=tag.created_at))  # fmt: skip
    exported = dump(sqlite_pipeline)
    with session_scope(pipeline.engine) as session:
        counts = import_records(session, exported)
    assert counts["item"] == 35 and counts["event"] > 0 and counts["bill"] == 1
    assert dump(pipeline) == exported
    # The sequence goes on after the imported items: a new ingest does not collide.
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        session.add(ItemTag(item_id=tag.item_id, slug="nvidia", kind="entity", origin="manual",
                            status="confirmed", created_at=tag.created_at))  # fmt: skip


def test_import_refuses_a_database_with_items(sqlite_pipeline: Pipeline) -> None:
    sqlite_pipeline.load_demo()
    exported = dump(sqlite_pipeline)
    with pytest.raises(ImportRefused, match="empty"), session_scope(sqlite_pipeline.engine) as s:
        import_records(s, exported)


def test_bad_line_is_named(pipeline: Pipeline) -> None:
    with pytest.raises(ImportRefused, match="line 2"), session_scope(pipeline.engine) as session:
        import_records(session, ['{"type": "topic", "slug": "x", "name": "X", "description": ""}',
                                 "not json"])  # fmt: skip


def test_an_export_from_before_the_demo_was_kept_apart_still_imports(
    sqlite_pipeline: Pipeline, pipeline: Pipeline
) -> None:
    sqlite_pipeline.load_demo()
    newer = [json.loads(line) for line in dump(sqlite_pipeline)]
    added = ("sample", "stage_dates", "cosponsors", "related", "text_url")
    older = []
    for record in newer:  # what version 0006 wrote: no sample flags, no stage days
        if record["type"] in ("item", "bill"):
            record = {k: v for k, v in record.items() if k not in added}
        older.append(json.dumps(record))
    with session_scope(pipeline.engine) as session:
        counts = import_records(session, older)
    assert counts["item"] == 35 and counts["bill"] == 1
    with session_scope(pipeline.engine) as session:
        assert all(i.sample for i in session.exec(select(Item)))
        assert all(b.sample and b.stage_dates == {} for b in session.exec(select(Bill)))
