"""Export then import into an empty database reproduces everything, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from staff import PASSWORD, add_user

from tracker.accounts import password_matches
from tracker.models import AuditLog, Bill, EventKey, FetchLog, Item, ItemTag, User
from tracker.pipeline import Pipeline
from tracker.store.accounts import set_role
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
    with session_scope(pipeline.engine) as session:  # grouping can find imported items
        assert {k.item_id for k in session.exec(select(EventKey))} == {
            i.id for i in session.exec(select(Item))
        }
    # The sequence goes on after the imported items: a new ingest does not collide.
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        session.add(ItemTag(item_id=tag.item_id, slug="nvidia", kind="entity", origin="manual",
                            status="confirmed", created_at=tag.created_at))  # fmt: skip


def test_round_trip_keeps_staff_accounts_and_both_logs(
    sqlite_pipeline: Pipeline, pipeline: Pipeline
) -> None:
    """Issue 18 item 11: accounts (with their password hashes, marked secret), the
    audit log and the fetch log were left out, so export → import lost them."""
    sqlite_pipeline.load_demo()  # one fetch log entry per demo file
    add_user(sqlite_pipeline.engine, "eddie")
    add_user(sqlite_pipeline.engine, "ada", role="admin")
    with session_scope(sqlite_pipeline.engine) as session:
        set_role(session, "eddie", "admin", "ada")
    exported = dump(sqlite_pipeline)
    records = [json.loads(line) for line in exported]
    users = [r for r in records if r["type"] == "user"]
    assert [u["username"] for u in users] == ["eddie", "ada"]
    assert all(u["password_hash"] and u["secret_fields"] == ["password_hash"] for u in users)
    actions = [r["action"] for r in records if r["type"] == "audit"]
    assert actions == ["user.create", "user.create", "user.role"]
    logs = [r for r in records if r["type"] == "fetch_log"]
    assert logs and all(log["outcome"] == "ok" for log in logs)

    with session_scope(pipeline.engine) as session:
        counts = import_records(session, exported)
    assert counts["user"] == 2 and counts["audit"] == 3 and counts["fetch_log"] == len(logs)
    assert dump(pipeline) == exported
    with session_scope(pipeline.engine) as session:
        eddie = session.exec(select(User).where(User.username == "eddie")).one()
        assert eddie.role == "admin" and password_matches(eddie.password_hash, PASSWORD)
        # Ids go on after the imported ones (PostgreSQL sequences are moved on).
        add_user(pipeline.engine, "new")
        assert session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first().action == (  # type: ignore[union-attr]
            "user.create"
        )
        assert session.exec(select(FetchLog)).first() is not None


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
