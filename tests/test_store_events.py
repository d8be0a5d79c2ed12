"""Events stored on SQLite and PostgreSQL: the demo's coverage groups as a reader would."""

from __future__ import annotations

from sqlmodel import select

from tracker.models import Event, Item
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope

BILL_ITEM = "H.R. 8283: Deterring American AI Model Theft Act of 2026"
BLOOMBERG = "Bloomberg reports H.R. 8283, the Deterring American AI Model Theft Act of 2026"


def test_the_bill_and_its_first_report_are_one_event_led_by_the_bill(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        items = session.exec(select(Item)).all()
        assert all(i.event_id is not None for i in items)
        bill = next(i for i in items if i.title == BILL_ITEM)
        event = session.get(Event, bill.event_id)
        assert event is not None and event.headline == BILL_ITEM  # a bill outranks coverage
        members = {i.title for i in items if i.event_id == event.id}
        monet = next(i for i in items if "Monet" in i.title)
        alone = [i for i in items if i.event_id == monet.event_id]
    assert BLOOMBERG in members
    assert len(alone) == 1  # a lookalike joins nothing


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
