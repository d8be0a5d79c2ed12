"""The index follows items' events: grouping, a staff merge and a staff split.

Search folds an event's reports into one entry by the event each item's
document holds, so a document that keeps an old event (or none) shows the
reports apart, or folds items that no longer belong together. Each change of
an item's event must give it a new sequence number, so the catch-up
re-indexes it. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select
from test_search import record

from tracker import search
from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store import catalog
from tracker.store.engine import session_scope
from tracker.store.event_edits import merge_events, split_item
from tracker.store.events import assign_pending
from tracker.store.ingest import store_items
from tracker.types import Tag, TagResult

# Three reports of one story, a day apart, that the grouping puts in one event.
STORY = [
    ("story-memo", "White House memo orders agencies to counter Qwen distillation attacks",
     "The memo directs agencies to share evidence of Qwen distillation attacks on American "
     "frontier models within thirty days.", "memo"),
    ("story-news", "White House memo on Qwen distillation attacks orders agencies to act",
     "Agencies have thirty days to share evidence of Qwen distillation attacks on American "
     "frontier models, the memo says.", "news"),
    ("story-wire", "Agencies told to counter Qwen distillation attacks in White House memo",
     "A White House memo gives agencies thirty days to share evidence of Qwen distillation "
     "attacks on frontier models.", "news"),
]  # fmt: skip
TAGS = (Tag("distillation", "topic", "rule"), Tag("qwen", "entity", "rule"))


def _store(pipeline: Pipeline) -> dict[str, int]:
    ids = {}
    with session_scope(pipeline.engine) as session:
        source = catalog.local_source(session, "wire", "rss")
        for day, (key, title, text, doc_type) in enumerate(STORY, start=2):
            rec = record(key, title, text, datetime(2026, 6, day, tzinfo=UTC).date())
            report = store_items(session, source, [(rec, TagResult(TAGS, doc_type))], rec.published)
            ids[key] = report.item_ids[0]
    return ids


def _entries(pipeline: Pipeline) -> list[tuple[int, int, int | None]]:
    """(item id, reports folded under it, event) of each entry for the story's words."""
    found = search.search(pipeline.settings, "Qwen distillation memo", collapse=True)
    return [(hit.id, hit.folded, hit.event) for hit in found.hits]


def _events(pipeline: Pipeline) -> dict[int, int | None]:
    with session_scope(pipeline.engine) as session:
        return dict(session.exec(select(Item.id, Item.event_id)).all())  # type: ignore[arg-type]


def test_grouping_an_indexed_item_reindexes_it(pipeline: Pipeline) -> None:
    ids = _store(pipeline)
    # A catch-up between storing and grouping (another process's, or one after
    # a crash before grouping) indexes the items with no event.
    search.catch_up(pipeline.settings, pipeline.engine)
    assert len(_entries(pipeline)) == 3
    with session_scope(pipeline.engine) as session:
        assert assign_pending(session) == 3
    events = _events(pipeline)
    assert len({events[i] for i in ids.values()}) == 1, "the story's reports share one event"
    search.catch_up(pipeline.settings, pipeline.engine)
    entries = _entries(pipeline)
    assert [(folded, event) for _id, folded, event in entries] == [(2, events[ids["story-memo"]])]
    assert entries[0][0] == ids["story-memo"], "the memo leads its coverage"


def test_staff_split_and_merge_reach_the_index(pipeline: Pipeline) -> None:
    ids = _store(pipeline)
    pipeline.settle()
    assert [folded for _id, folded, _event in _entries(pipeline)] == [2]
    with session_scope(pipeline.engine) as session:
        alone = split_item(session, ids["story-wire"], "editor")
    search.catch_up(pipeline.settings, pipeline.engine)
    entries = sorted(_entries(pipeline), key=lambda e: e[1])
    assert [(e[1], e[2]) for e in entries] == [
        (0, alone),
        (1, _events(pipeline)[ids["story-memo"]]),
    ]
    with session_scope(pipeline.engine) as session:
        merge_events(session, _events(pipeline)[ids["story-memo"]], alone, "editor")  # type: ignore[arg-type]
    search.catch_up(pipeline.settings, pipeline.engine)
    assert [(e[0], e[1]) for e in _entries(pipeline)] == [(ids["story-memo"], 2)]
