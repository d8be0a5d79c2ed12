"""Listings on SQLite and PostgreSQL: filters combine, counts and versions agree."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
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
    assert {x.id for x in listed} == expected and total == len(expected) > 0
    dates = [x.published for x in listed]
    assert dates == sorted(dates, reverse=True)
    assert all("alibaba" in x.entities for x in listed)


def test_date_range_and_topic(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    june = ListingFilter(topic="distillation", since=datetime(2026, 6, 1, tzinfo=UTC),
                         until=datetime(2026, 7, 1, tzinfo=UTC))  # fmt: skip
    with session_scope(pipeline.engine) as session:
        listed = list_items(session, june, limit=500)
        months = activity(session, ListingFilter(topic="distillation"))
    assert listed and all(x.published.month == 6 for x in listed)
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

        bump(session, [first.id])
    with session_scope(pipeline.engine) as session:
        after = listing_version(session, f)
        other_after = listing_version(session, ListingFilter(entity="nvidia"))
    assert after[0] > before[0] and after[1] is not None and after[1].tzinfo is not None
    assert other_after == other or "nvidia" in first.entities


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
        listed = [x for x in list_items(session, f, limit=1000, offset=3)]
        batches = list(export_cards(session, f, offset=3, limit=1000, batch=4))
        capped = [c for b in export_cards(session, f, offset=3, limit=10, batch=4) for c in b]
    exported = [card for batch in batches for card in batch]
    assert [len(b) for b in batches[:-1]] == [4] * (len(batches) - 1)
    assert [c.id for c in exported] == [c.id for c in listed] and len(exported) > 20
    assert [(c.topics, c.entities, c.title, c.url, c.source_name) for c in exported] == [
        (c.topics, c.entities, c.title, c.url, c.source_name) for c in listed
    ]
    assert [c.id for c in capped] == [c.id for c in listed[:10]]


def test_one_listing_read_either_way_and_counted_alike(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Oldest first is newest first reversed, page by page, for items, exports and events;
    the months summed from the remembered daily counts equal the database's own count."""
    from tracker.store import timelines

    pipeline.load_demo()
    march = datetime(2026, 3, 1, tzinfo=UTC)
    filters = [ListingFilter(topic="distillation"), ListingFilter(doc_type="news"),
               ListingFilter(entity="anthropic", since=march)]  # fmt: skip
    with session_scope(pipeline.engine) as session:
        for f in filters:
            newest = [x.id for x in list_items(session, f, limit=500)]
            oldest = [x.id for x in list_items(session, f, limit=500, oldest=True)]
            assert newest and oldest == newest[::-1]
            exported = [c.id for b in export_cards(session, f, offset=1, limit=500, batch=2,
                                                   oldest=True) for c in b]  # fmt: skip
            assert exported == oldest[1:]
            events = timelines.event_ids(session, f, limit=500)
            assert timelines.event_ids(session, f, limit=500, oldest=True) == events[::-1]
            assert (
                timelines.event_ids(session, f, limit=2, offset=1, oldest=True)
                == (events[::-1][1:3])
            )
            assert timelines.event_count(session, f) == len(events)
            assert timelines.monthly_counts(session, f) == activity(session, f)
        monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)  # busy listings walk the events
        for f in filters:
            events = timelines.event_ids(session, f, limit=500)
            assert (
                events and timelines.event_ids(session, f, limit=500, oldest=True) == (events[::-1])
            )
            assert (
                timelines.event_ids(session, f, limit=2, offset=1, oldest=True)
                == (events[::-1][1:3])
            )
