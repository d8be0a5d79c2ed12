"""Listings on SQLite and PostgreSQL: filters combine, counts and versions agree."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from pages_corpus import fill


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


def test_a_walked_page_is_the_collected_page(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two ways to a page of a timeline's events give the same pages: collecting
    every event of the listing's items, and walking events by date (what a listing
    above SPARSE_ITEMS does: on PostgreSQL without parallel workers, remembered until
    items change). Both orders, pages across the end; the demo's listings."""
    pipeline.load_demo()
    march = datetime(2026, 3, 1, tzinfo=UTC)
    filters = [
        ListingFilter(doc_type="news"),
        ListingFilter(topic="distillation", doc_type="letter", since=march),
        ListingFilter(entity="iaps"),
        ListingFilter(topic="distillation", entity="deepseek"),
        ListingFilter(entity="anthropic", doc_type="rule", until=march),  # empty
    ]
    same_pages(pipeline, monkeypatch, filters)


def test_walked_pages_of_the_bench_corpus(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same on 3,000 items of the benches' generated corpus, with bench/pages.py's
    dense topic, its "topic, filtered" and its "rare entity" listings."""
    fill(pipeline.engine, 3000, random.Random(5), datetime(2026, 12, 1, tzinfo=UTC))
    filters = [
        ListingFilter(topic="export-controls"),
        ListingFilter(
            topic="distillation", doc_type="letter", since=datetime(2026, 1, 1, tzinfo=UTC)
        ),
        ListingFilter(entity="iaps"),
        ListingFilter(entity="alibaba", doc_type="rule"),
    ]
    same_pages(pipeline, monkeypatch, filters)


def same_pages(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, filters: list[ListingFilter]
) -> None:
    """Every page of each listing's events, walked and remembered, equals the collected one;
    the walk's PostgreSQL setting does not outlive it."""
    from tracker.store import timelines

    pages = [(limit, offset) for limit in (1, 3, 20) for offset in (0, 1, 2, 5, 40)]
    with session_scope(pipeline.engine) as session:
        monkeypatch.setattr(timelines, "SPARSE_ITEMS", 10**9)  # collected from the items
        collected = {
            (f, limit, offset, oldest): timelines.event_ids(
                session, f, limit=limit, offset=offset, oldest=oldest
            )
            for f in filters
            for limit, offset in pages
            for oldest in (False, True)
        }
        assert all(collected[(f, 20, 0, False)] for f in filters[:-1])
        monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)  # walked
        workers = "SELECT current_setting('max_parallel_workers_per_gather')"
        pg = session.get_bind().dialect.name == "postgresql"
        before = session.execute(sa.text(workers)).scalar() if pg else None
        for (f, limit, offset, oldest), ids in collected.items():
            for _ in range(2):  # walked, then remembered
                walked = timelines.event_ids(session, f, limit=limit, offset=offset, oldest=oldest)
                assert walked == ids, (f, limit, offset, oldest)
            assert timelines._events_walked(session, f, limit, offset, oldest) == ids
        if pg:
            assert session.execute(sa.text(workers)).scalar() == before
