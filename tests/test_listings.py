"""Listings on SQLite and PostgreSQL: filters combine, counts and versions agree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from tracker.models import Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.listings import (
    ListingFilter,
    activity,
    count_items,
    export_cards,
    list_items,
    listing_version,
)


def test_filters_match_a_direct_count(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    f = ListingFilter(entity="alibaba", doc_type="news")
    with session_scope(pipeline.engine) as session:
        listed = list_items(session, f, limit=500)
        expected = {
            i.id
            for i in session.exec(
                select(Item).join(ItemTag, ItemTag.item_id == Item.id).where(
                    ItemTag.slug == "alibaba", ItemTag.status != "rejected",
                    Item.doc_type == "news")
            )
        }  # fmt: skip
        total = count_items(session, f)
    assert {x.card.id for x in listed} == expected and total == len(expected) > 0
    dates = [x.card.published for x in listed]
    assert dates == sorted(dates, reverse=True)
    assert all("alibaba" in x.card.entities for x in listed)


def test_date_range_and_topic(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    june = ListingFilter(topic="distillation", since=datetime(2026, 6, 1, tzinfo=UTC),
                         until=datetime(2026, 7, 1, tzinfo=UTC))  # fmt: skip
    with session_scope(pipeline.engine) as session:
        listed = list_items(session, june, limit=500)
        months = activity(session, ListingFilter(topic="distillation"))
    assert listed and all(x.card.published.month == 6 for x in listed)
    assert sum(months[(2026, 6)].values()) == len(listed)
    assert any(x.event_headline for x in listed)


def test_version_changes_when_an_item_changes(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    f = ListingFilter(entity="qwen")
    with session_scope(pipeline.engine) as session:
        before = listing_version(session, f)
        other = listing_version(session, ListingFilter(entity="nvidia"))
    with session_scope(pipeline.engine) as session:
        first = list_items(session, f, limit=1)[0]
        from tracker.store.events import bump

        bump(session, [first.card.id])
    with session_scope(pipeline.engine) as session:
        after = listing_version(session, f)
        other_after = listing_version(session, ListingFilter(entity="nvidia"))
    assert after[0] > before[0] and after[1] is not None and after[1].tzinfo is not None
    assert other_after == other or "nvidia" in first.card.entities


def test_an_export_reads_the_listing_in_batches_in_the_same_order(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        # Items that share a publication time: the batches must not lose or repeat one.
        first = session.exec(select(Item).order_by(Item.id)).first()  # type: ignore[arg-type]
        assert first is not None
        for item in session.exec(select(Item).where(Item.id <= first.id + 9)):  # type: ignore[operator]
            item.published_at = first.published_at
            session.add(item)
    f = ListingFilter()
    with session_scope(pipeline.engine) as session:
        listed = [x.card for x in list_items(session, f, limit=1000, offset=3)]
        batches = list(export_cards(session, f, offset=3, limit=1000, batch=4))
        capped = [c for b in export_cards(session, f, offset=3, limit=10, batch=4) for c in b]
    exported = [card for batch in batches for card in batch]
    assert [len(b) for b in batches[:-1]] == [4] * (len(batches) - 1)
    assert [c.id for c in exported] == [c.id for c in listed] and len(exported) > 20
    assert [(c.topics, c.entities, c.title, c.url, c.source_name) for c in exported] == [
        (c.topics, c.entities, c.title, c.url, c.source_name) for c in listed
    ]
    assert [c.id for c in capped] == [c.id for c in listed[:10]]
