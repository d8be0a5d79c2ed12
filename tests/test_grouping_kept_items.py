"""A stored item grouping reads again is handed back as the object read before,
while nothing about it changed (SQLite and PostgreSQL); the kept items are bounded.

Each batch reads its stored neighbours afresh; keeping the object keeps what was
worked out of its text (`EventItem.act`, `EventItem.conflicts`). An item whose
text or tags changed must be read anew, never served from what was kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from wire_rows import insert_wire_items

from tracker.events import EventItem
from tracker.models import Item, ItemTag, table_of
from tracker.store import events as store_events
from tracker.store.engine import migrate, session_scope
from tracker.store.events import KEPT_ITEMS, _event_items
from tracker.store.kept_items import KeptItems

NOW = datetime(2026, 3, 4, 15, tzinfo=UTC)
RULE = (
    "Revisions to Export Controls on Advanced Computing Items",
    "The Bureau of Industry and Security amends the Export Administration Regulations.",
)


def _store(engine: Engine, count: int) -> list[int]:
    """`count` items of one source; their ids."""
    migrate(engine)
    with engine.begin() as conn:
        texts = [(f"{RULE[0]} ({n})", RULE[1]) for n in range(count)]
        return insert_wire_items(conn, texts, NOW)


def _read(engine: Engine, ids: list[int]) -> dict[int, EventItem]:
    with session_scope(engine) as session:
        rows = session.execute(sa.select(table_of(Item)).where(table_of(Item).c.id.in_(ids)))
        return _event_items(session, list(rows))


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> KeptItems:
    """A fresh, small set of kept items for one test (other tests' ids are alike)."""
    fresh = KeptItems(3)
    monkeypatch.setattr(store_events, "_kept", fresh)
    return fresh


def test_an_unchanged_item_read_again_is_the_object_read_before(
    engine: Engine, kept: KeptItems
) -> None:
    ids = _store(engine, 2)
    first = _read(engine, ids)
    reading = first[ids[0]].conflicts  # worked out once, on the object
    again = _read(engine, ids)
    assert all(again[i] is first[i] for i in ids)
    assert again[ids[0]].__dict__["conflicts"] is reading


def test_an_item_whose_text_or_tags_changed_is_read_anew(engine: Engine, kept: KeptItems) -> None:
    ids = _store(engine, 2)
    before = _read(engine, ids)
    assert not before[ids[0]].act.identifiers
    numbered = RULE[1] + " Federal Register document 2026-04117."
    with engine.begin() as conn:
        items = table_of(Item)
        conn.execute(sa.update(items).where(items.c.id == ids[0]).values(text=numbered))
        conn.execute(sa.insert(table_of(ItemTag)), [{"item_id": ids[1], "slug": "nvidia",
                     "kind": "entity", "origin": "rule", "status": "confirmed", "evidence": [],
                     "created_at": NOW}])  # fmt: skip
    after = _read(engine, ids)
    assert after[ids[0]] is not before[ids[0]] and after[ids[0]].text == numbered
    assert after[ids[0]].act.identifiers != before[ids[0]].act.identifiers  # read from the new text
    assert after[ids[1]] is not before[ids[1]] and after[ids[1]].entities == {"nvidia"}
    assert _read(engine, ids)[ids[0]] is after[ids[0]]  # the new reading is the one kept


def test_kept_items_are_bounded_by_count(engine: Engine, kept: KeptItems) -> None:
    ids = _store(engine, 5)
    read = _read(engine, ids)
    assert len(kept) == 3
    assert _read(engine, ids[-1:])[ids[-1]] is read[ids[-1]]  # the most recent are kept
    assert _read(engine, ids[:1])[ids[0]] is not read[ids[0]]  # the oldest went
    assert 0 < KEPT_ITEMS <= 16384  # the process-wide one: a few tens of megabytes at most


def test_tags_read_per_item_are_the_tags_read_per_row(engine: Engine, kept: KeptItems) -> None:
    ids = _store(engine, 3)
    tags = [(ids[0], "nvidia", "entity", "confirmed"), (ids[0], "export-controls", "topic",
             "suggested"), (ids[0], "amd", "entity", "rejected"),  # rejected: left out
            (ids[1], "odd\x1fslug", "entity", "confirmed"),  # holds the separator
            (ids[1], "chips", "topic", "confirmed")]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(sa.insert(table_of(ItemTag)), [
            {"item_id": i, "slug": slug, "kind": kind, "origin": "rule", "status": status,
             "evidence": [], "created_at": NOW} for i, slug, kind, status in tags])  # fmt: skip
    read = _read(engine, ids)
    assert (read[ids[0]].entities, read[ids[0]].topics) == ({"nvidia"}, {"export-controls"})
    assert (read[ids[1]].entities, read[ids[1]].topics) == ({"odd\x1fslug"}, {"chips"})
    assert (read[ids[2]].entities, read[ids[2]].topics) == (frozenset(), frozenset())


def test_grouping_leaves_out_the_topics_the_model_read_unless_confirmed(
    engine: Engine, kept: KeptItems
) -> None:
    """A topic read from wording (`tracker/topic_model.py`) is a theme, not a name two
    reports of one act share; a person's confirming it makes it count."""
    ids = _store(engine, 2)
    tags = [(ids[0], "export-controls", "rule", "suggested"),
            (ids[0], "sanctions", "model", "suggested"),  # left out
            (ids[1], "compute", "model", "confirmed"),  # confirmed: counts
            (ids[1], "antitrust", "model", "rejected")]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(sa.insert(table_of(ItemTag)), [
            {"item_id": i, "slug": slug, "kind": "topic", "origin": origin, "status": status,
             "evidence": [], "created_at": NOW} for i, slug, origin, status in tags])  # fmt: skip
    read = _read(engine, ids)
    assert read[ids[0]].topics == {"export-controls"}
    assert read[ids[1]].topics == {"compute"}
