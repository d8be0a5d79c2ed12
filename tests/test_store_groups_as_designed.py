"""The store places a labelled set into the events the pure grouping forms
(issue 14): its window of loaded members must not change the answer.

The store scored an arriving report against an event's four newest members
only, so the rule that a member more than `WINDOW` away keeps a report out
never saw an event's older end: coverage chained events across weeks (160
items over 80 days at 100,000 items). It now scores the event's earliest and
latest loaded members too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from event_items import labelled
from sqlalchemy.engine import Engine

from tracker.events import EventItem, group
from tracker.models import Item, ItemTag, Source, table_of
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import assign_pending

DATA = Path(__file__).resolve().parent / "data"


def store(engine: Engine, items: list[EventItem]) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        sources = table_of(Source)
        known = set(conn.execute(sa.select(sources.c.slug)).scalars())
        conn.execute(sa.insert(sources), [
            {"slug": s, "name": s, "kind": "rss", "url": "", "doc_type": "news",
             "selectors": {}, "failures": 0}
            for s in sorted({i.source for i in items} - known)])  # fmt: skip
        ids = dict(conn.execute(sa.select(sources.c.slug, sources.c.id)).all())
        conn.execute(sa.insert(table_of(Item)), [
            {"id": i.id, "source_id": ids[i.source], "guid": str(i.id), "url": i.url,
             "title": i.title, "text": i.text, "published_at": i.published, "fetched_at": now,
             "doc_type": i.doc_type, "content_hash": str(i.id), "seq": n + 1,
             "changed_at": now, "agencies": [], "categories": [], "rins": []}
            for n, i in enumerate(items)])  # fmt: skip
        conn.execute(sa.insert(table_of(ItemTag)), [
            {"item_id": i.id, "slug": slug, "kind": kind, "origin": "rule",
             "status": "suggested", "evidence": [], "created_at": now}
            for i in items for kind, slugs in (("entity", i.entities), ("topic", i.topics))
            for slug in sorted(slugs)])  # fmt: skip
        conn.execute(sa.text("UPDATE counter SET value = :v WHERE name = 'item_seq'"),
                     {"v": len(items)})  # fmt: skip


def test_the_store_groups_a_labelled_set_as_the_pure_grouping_does(pipeline: Pipeline) -> None:
    items, _ = labelled("events_unseen4.jsonl")
    store(pipeline.engine, items)
    with session_scope(pipeline.engine) as session:
        assign_pending(session)
    with pipeline.engine.connect() as conn:
        table = table_of(Item)
        placed: dict[int, set[int]] = {}
        for item_id, event_id in conn.execute(sa.select(table.c.id, table.c.event_id)):
            placed.setdefault(event_id, set()).add(item_id)
    assert None not in placed
    expected = {frozenset(g) for g in group(items)}
    assert {frozenset(g) for g in placed.values()} == expected
