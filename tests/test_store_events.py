"""Events stored on SQLite and PostgreSQL: the demo's letter coverage is one event."""

from __future__ import annotations

from sqlmodel import select

from tracker.models import Event, Item, Source
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope

LETTER = "Letter to Senators Warren and Scott on distillation of Claude by Alibaba"


def test_demo_letter_coverage_is_one_event_led_by_the_letter(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        items = session.exec(select(Item)).all()
        assert all(i.event_id is not None for i in items)
        letter = next(i for i in items if i.title == LETTER)
        event = session.get(Event, letter.event_id)
        assert event is not None and event.headline == LETTER
        members = session.exec(
            select(Source.name)
            .join(Item, Item.source_id == Source.id)
            .where(Item.event_id == event.id)
        ).all()
        monet = next(i for i in items if "Monet" in i.title)
        alone = session.exec(select(Item).where(Item.event_id == monet.event_id)).all()
    outlets = {"Demo: Capitol Ledger", "Demo: Tech Policy Wire", "Demo: Global Markets Daily"}
    assert outlets <= set(members)
    assert len(alone) == 1


def test_grouping_resumes_after_an_interruption(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        grouped = {i.id: i.event_id for i in session.exec(select(Item))}
        for item in session.exec(select(Item)):
            item.event_id = None
            session.add(item)
        session.exec(select(Event)).all()
    placed = pipeline.settle()
    with session_scope(pipeline.engine) as session:
        again = {i.id: i.event_id for i in session.exec(select(Item))}
    assert placed == len(grouped)

    # Same partition of items into events (event ids themselves are new).
    def partition(mapping: dict) -> set[frozenset]:  # type: ignore[type-arg]
        groups: dict = {}  # type: ignore[type-arg]
        for item_id, event_id in mapping.items():
            groups.setdefault(event_id, set()).add(item_id)
        return {frozenset(g) for g in groups.values()}

    assert partition(again) == partition(grouped)
