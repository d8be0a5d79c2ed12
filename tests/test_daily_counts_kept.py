"""Daily counts and the home page's weekly tag counts kept up to date: after every kind of
item change they equal a full count, and one new item costs a count of its own day only
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import sqlalchemy as sa
from alert_helpers import letter, letter_feed
from sqlmodel import select

from tracker.models import Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.store import home, tag_edits, timelines
from tracker.store import sources as source_reads
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter
from tracker.store.locks import write_scope

MARCH = datetime(2026, 3, 1, tzinfo=UTC)
FILTERS = [
    ListingFilter(),
    ListingFilter(topic="distillation"),
    ListingFilter(doc_type="letter"),
    ListingFilter(entity="anthropic", since=MARCH),
    ListingFilter(doc_type="news"),
]


MAY = datetime(2026, 5, 1, tzinfo=UTC)


def agree(p: Pipeline) -> None:
    """Each listing's kept daily counts, and the home page's busiest tags with their
    weekly counts, equal the database's count made afresh."""
    with session_scope(p.engine) as session:
        for f in FILTERS:
            assert timelines.daily_counts(session, f) == timelines._daily_counts(session, f), f
        kept = home.active_tags(session, MAY, weeks=12, limit=100)
        assert kept == home._active_tags(session, MAY, 12, 100)
        assert kept["topic"] and kept["entity"]


def ingest(p: Pipeline, folder: Path, name: str, letters: list[tuple[str, str, str]],
           when: datetime) -> None:  # fmt: skip
    path = letter_feed(folder / f"{name}.xml", letters, format_datetime(when, usegmt=True))
    assert p.ingest_file(path, "file-letters", "rss").status == "ok"


@contextmanager
def statements(p: Pipeline) -> Iterator[list[str]]:
    """The SQL the engine runs meanwhile."""
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    sa.event.listen(p.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(p.engine, "before_cursor_execute", note)


def test_kept_counts_equal_a_full_count_after_every_kind_of_change(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    p.load_demo()
    agree(p)
    day = datetime(2026, 4, 2, 15, tzinfo=UTC)
    ingest(p, tmp_path, "new", [letter(1), letter(2), letter(3)], day)  # three new items
    agree(p)
    with session_scope(p.engine) as session:
        letters = session.exec(select(Item).where(Item.doc_type == "letter")).all()
        assert len(letters) >= 3
        before = {i.guid: i.published_at for i in letters}
    # Letter 2 again, two weeks later and no longer about distillation: an update
    # keeps its publication time, and its topic goes.
    later = [("2", "Senators write to Commerce on farm subsidies", "Dear Secretary, corn.")]
    ingest(p, tmp_path, "update", later, day + timedelta(days=14))
    with session_scope(p.engine) as session:
        moved = session.exec(select(Item).where(Item.guid.endswith("/2"))).one()  # type: ignore[attr-defined]
        assert moved.published_at == before[moved.guid]
        assert "farm" in moved.title
    agree(p)
    move_a_topic(p)
    agree(p)
    p.remove_demo()  # deletions: counted afresh
    agree(p)
    with session_scope(p.engine) as session:
        assert sum(timelines.daily_counts(session, ListingFilter()).values()) == (
            session.execute(sa.select(sa.func.count()).select_from(Item)).scalar_one()
        )


def test_one_new_item_counts_its_own_day_only(pipeline: Pipeline, tmp_path: Path) -> None:
    p = pipeline
    p.load_demo()
    topic = ListingFilter(topic="distillation")
    with session_scope(p.engine) as session:
        kept = timelines.daily_counts(session, topic)
    day = datetime(2026, 4, 2, 15, tzinfo=UTC)
    ingest(p, tmp_path, "one", [letter(7)], day)
    with statements(p) as seen, session_scope(p.engine) as session:
        now = timelines.daily_counts(session, topic)
    grouped = [s for s in seen if "GROUP BY" in s.upper()]
    assert len(grouped) == 1, seen  # one count, of one day's items: not the topic's every day
    assert "published_at >=" in grouped[0] and "published_at <" in grouped[0]
    changed = {k for k in now.keys() | kept.keys() if now.get(k) != kept.get(k)}
    assert changed == {(day.date(), "letter")}
    assert now[(day.date(), "letter")] == kept.get((day.date(), "letter"), 0) + 1
    with statements(p) as seen, session_scope(p.engine) as session:
        assert timelines.daily_counts(session, topic) == now
    assert not [s for s in seen if "GROUP BY" in s.upper()]  # no change: nothing counted


def move_a_topic(p: Pipeline) -> None:
    """A person takes a topic away from one item and gives it to another."""
    with write_scope(p.engine) as session:
        tag = session.exec(
            select(ItemTag).where(ItemTag.slug == "distillation", ItemTag.status != "rejected")
        ).first()
        assert tag is not None and tag.id is not None
        assert tag_edits.decide_tags(session, [tag.id], "reject", "test") == 1
        untagged = session.exec(select(Item.id).where(Item.id != tag.item_id)).first()
        assert untagged is not None
        tag_edits.add_manual_tag(session, untagged, "distillation", "test")


def test_items_per_source_are_remembered_until_an_item_changes(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    p.load_demo()

    def per_source() -> dict[str, int]:
        with session_scope(p.engine) as session:
            return {r["source"].slug: r["items"] for r in source_reads.source_health(session)}

    before = per_source()
    with statements(p) as seen:
        assert per_source() == before
    assert not [s for s in seen if "GROUP BY" in s.upper()]  # nothing changed: not counted
    ingest(p, tmp_path, "one", [letter(8)], datetime(2026, 4, 3, 9, tzinfo=UTC))
    after = per_source()
    assert after["file-letters"] == before.get("file-letters", 0) + 1
    assert {k: v for k, v in after.items() if k != "file-letters"} == {
        k: v for k, v in before.items() if k != "file-letters"
    }
    p.remove_demo()  # deletions are seen too
    left = per_source()
    assert left.pop("file-letters") == 1 and not any(left.values())
