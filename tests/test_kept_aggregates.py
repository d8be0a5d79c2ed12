"""A timeline's event count, a tag page's co-occurring tags, a listing's version and
the home page's week and demo summary kept up to date: after new items, retags, staff
merges and splits and deletions they equal a count made afresh; one change
recounts only the days or weeks it touched; and noticing deletions reads a
counter, not every item (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alert_helpers import letter
from sqlmodel import Session
from test_daily_counts_kept import FILTERS as DAILY_FILTERS
from test_daily_counts_kept import ingest, move_a_topic, statements

from tracker.models import Event, Item, table_of
from tracker.pipeline import Pipeline
from tracker.store import demo, event_edits, home, kept_check, kept_versions, timelines
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter, count_items, listing_version
from tracker.store.locks import write_scope

# The daily counts' listings, with a second topic for the news one.
FILTERS = [*DAILY_FILTERS[:-1], ListingFilter(topic="export-controls")]
PAIRS = [("distillation", "entity"), ("export-controls", "entity"), ("anthropic", "topic"),
         ("deepseek", "topic")]  # fmt: skip


@pytest.fixture(autouse=True)
def every_listing_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small listings' events are otherwise listed whole: count every listing's events
    the way a large one's are."""
    monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)


def agree(p: Pipeline) -> None:
    """Every kept event count and co-occurrence list equals one counted afresh."""
    with session_scope(p.engine) as session:  # the store's own check
        now = datetime(2026, 4, 20, tzinfo=UTC)
        assert kept_check.differences(session, FILTERS, PAIRS, now) == []
    with session_scope(p.engine) as session:
        counted = [timelines.event_count(session, f) for f in FILTERS]
        assert counted == [timelines._event_count(session, f) for f in FILTERS]
        assert counted[0] > 0
        for f in FILTERS:  # a remembered page of a walk: the page walked afresh
            for oldest in (False, True):
                page = timelines.event_ids(session, f, limit=3, offset=1, oldest=oldest)
                assert page == timelines._events_walked(session, f, 3, 1, oldest), f
        for slug, kind in PAIRS:
            kept = timelines.cooccurring(session, slug, kind, limit=50)
            assert kept == timelines._cooccurring(session, slug, kind, 50), (slug, kind)
        assert timelines.cooccurring(session, "distillation", "entity", limit=50)
        assert demo.snapshot_summary(session) == demo._snapshot_summary(session)
        week = home.news_week(session, datetime(2026, 4, 20, tzinfo=UTC), tagged=True)
        if week is not None:  # the home page's week, joined from its kept days
            front = home.front_page(session, week)
            assert front == home._front_page(session, week, 8) and front.leads
        for f in FILTERS:  # the listing's version: its latest item, and its count
            seq, changed, count = listing_version(session, f)
            latest = kept_versions._latest(session, f)
            assert (seq, changed and changed.replace(tzinfo=None), count) == (
                latest[0],
                latest[1] and latest[1].replace(tzinfo=None),
                count_items(session, f),
            ), f


def events_of(session: Session) -> dict[int, list[tuple[datetime, int, str]]]:
    """Each demo event's items, (published, id, type), earliest first."""
    item = table_of(Item).c
    rows = session.execute(
        sa.select(item.event_id, item.published_at, item.id, item.doc_type)
        .where(item.sample.is_(True), item.event_id.is_not(None))
        .order_by(item.published_at, item.id)
    )
    found: dict[int, list[tuple[datetime, int, str]]] = {}
    for event_id, published, item_id, doc_type in rows:
        found.setdefault(event_id, []).append((published, item_id, doc_type))
    return found


def test_kept_figures_equal_a_fresh_count_after_every_kind_of_change(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    p.load_demo()
    agree(p)
    day = datetime(2026, 4, 2, 15, tzinfo=UTC)
    ingest(p, tmp_path, "new", [letter(1), letter(2), letter(3)], day)  # new items
    p.settle(index=False)  # placed in events
    agree(p)
    later = [("2", "Senators write to Commerce on farm subsidies", "Dear Secretary, corn.")]
    ingest(p, tmp_path, "update", later, day + timedelta(days=14))  # an update drops a topic
    agree(p)
    move_a_topic(p)
    agree(p)
    with write_scope(p.engine) as session:
        events = events_of(session)
        # An early event of news merged into a later one led by an original document:
        # the merged event's earliest item is not its lead.
        news = [e for e, m in events.items() if all(t == "news" for _, _, t in m)]
        led = [e for e, m in events.items() if m[0][2] in ("memo", "rule", "executive-order")]
        other = min(news, key=lambda e: events[e][0])
        keep = max(led, key=lambda e: events[e][0])
        assert events[other][-1][0].date() < events[keep][0][0].date()
        event_edits.merge_events(session, keep, other, "editor")
    agree(p)
    with write_scope(p.engine) as session:
        merged = events_of(session)[keep]
        assert session.get(Event, keep).lead_item_id != merged[0][1]  # type: ignore[union-attr]
        # Its earliest item split off: the event's earliest day moves on to days whose
        # items did not change, and its headline stays.
        event_edits.split_item(session, merged[0][1], "editor")
    agree(p)
    p.remove_demo()  # deletions: counted afresh
    agree(p)


def test_one_change_recounts_only_what_it_touched(pipeline: Pipeline, tmp_path: Path) -> None:
    p = pipeline
    p.load_demo()
    with session_scope(p.engine) as session:
        before = [timelines.event_count(session, f) for f in FILTERS]
        kept = timelines.cooccurring(session, "distillation", "entity", limit=50)
    ingest(
        p,
        tmp_path,
        "one",
        [letter(7, extra="Anthropic says it saw this.")],
        datetime(2026, 4, 2, 15, tzinfo=UTC),
    )
    p.settle(index=False)
    with statements(p) as seen, session_scope(p.engine) as session:
        after = [timelines.event_count(session, f) for f in FILTERS]
        now = timelines.cooccurring(session, "distillation", "entity", limit=50)
    assert after[0] == before[0] + 1  # the letter is an event of its own
    assert after[2] == before[2] + 1
    assert dict(now)["anthropic"] == dict(kept)["anthropic"] + 1
    grouped = [s for s in seen if "GROUP BY" in s.upper()]
    assert grouped
    for statement in grouped:  # of a few days or id blocks, or the changed items' events
        assert re.search(r"published_at >=|item_id >=|seq >", statement), statement
    with statements(p) as seen, session_scope(p.engine) as session:
        assert [timelines.event_count(session, f) for f in FILTERS] == after
        assert timelines.cooccurring(session, "distillation", "entity", limit=50) == now
    assert not [s for s in seen if "GROUP BY" in s.upper()]  # no change: nothing counted


def test_deletions_are_seen_without_counting_every_item(pipeline: Pipeline, tmp_path: Path) -> None:
    p = pipeline
    ingest(p, tmp_path, "live", [letter(1), letter(2)], datetime(2026, 4, 2, 15, tzinfo=UTC))
    p.load_demo()
    everything = ListingFilter()
    with session_scope(p.engine) as session:
        assert timelines.event_count(session, everything) > 2
        assert sum(timelines.daily_counts(session, everything).values()) > 2
    p.remove_demo()  # the live letters stay
    with statements(p) as seen, session_scope(p.engine) as session:
        events = timelines.event_count(session, everything)
        assert sum(timelines.daily_counts(session, everything).values()) == 2
    with session_scope(p.engine) as session:
        assert events == timelines._event_count(session, everything) >= 1
    whole = re.compile(r"count\(\*\)[^()]*FROM item\s*\)", re.IGNORECASE)
    assert seen and not [s for s in seen if whole.search(s)], seen
