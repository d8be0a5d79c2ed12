"""The store queries behind issue 16's pages, on SQLite and PostgreSQL, on the demo:
the front page's week and ranking, the index pages' counts, nearby events to
merge, and the audit log read in words."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tracker.models import Event, Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.store import audit, home, item_index, tag_edits
from tracker.store.engine import session_scope
from tracker.store.event_edits import nearby_events

LATE = datetime(2026, 11, 28, 9, tzinfo=UTC)  # months after the demo's last item


def test_front_page_store(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        week = home.news_week(session, LATE, tagged=True)
        assert week is not None and not week.is_current
        assert (week.start.day, week.end) == (20, datetime(2026, 6, 27, tzinfo=UTC))
        front = home.front_page(session, week)
        headlines = {e.id: e.headline for e in session.execute(sa.select(Event)).scalars()}
    ranks = [lead.authority for lead in front.leads]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == 2 and ranks[-1] == 1
    assert headlines[front.leads[0].event_id].startswith("AI Firms Seek US Help")
    assert all(lead.tags for lead in front.leads)
    assert front.moved[0].slug == "distillation" and front.moved[0].items == 4


def test_index_store(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        first = item_index.latest_items(session, limit=10)
        rest = item_index.latest_items(session, limit=100, offset=10)
        topics = item_index.tag_entries(session, "topic")
        entities = item_index.tag_entries(session, "entity")
        names = item_index.source_names(session)
    assert first.total == 35 and len(first.items) == 10 and len(rest.items) == 25
    dates = [c.published for c in first.items + rest.items]
    assert dates == sorted(dates, reverse=True)
    assert {t.slug: t.items for t in topics}["distillation"] == 18
    assert [e.name for e in entities] == sorted((e.name for e in entities), key=str.casefold)
    assert all(not name.startswith("demo-") for name in names.values())


def test_nearby_events_share_tags_and_stay_apart_from_far_ones(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        item = session.execute(
            sa.select(Item).where(Item.title.startswith("House Foreign Affairs Committee orders"))  # type: ignore[attr-defined]
        ).scalar_one()
        found = nearby_events(session, item.event_id)  # type: ignore[arg-type]
        event = session.get(Event, item.event_id)
        assert event is not None and found
        for c in found:
            assert c.shared and abs((c.date - event.event_date).days) <= 10
        assert any("H.R. 8283" in c.headline for c in found)
        assert nearby_events(session, 10**9) == []


def test_confirming_a_suggestion_by_hand_reads_as_confirmed(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        tag = session.execute(
            sa.select(ItemTag).where(ItemTag.status == "suggested").limit(1)
        ).scalar_one()
        kind, confirmed = tag_edits.add_manual_tag(session, tag.item_id, tag.slug, "eddie")
        assert confirmed and kind == tag.kind
        kind, confirmed = tag_edits.add_manual_tag(session, tag.item_id, "tsmc", "eddie")
        assert not confirmed and kind == "entity"
    with session_scope(pipeline.engine) as session:
        entries = audit.readable(session, audit.audit_page(session).entries)
        title = session.get(Item, tag.item_id).title  # type: ignore[union-attr]
    added, confirmed_entry = entries[0], entries[1]
    assert (added.action, added.verb, added.tag) == ("tag.add", "added", ("tsmc", "entity"))
    assert confirmed_entry.verb == "confirmed" and confirmed_entry.item == (tag.item_id, title)
    assert [(c.field, c.before, c.after) for c in confirmed_entry.changes] == [
        ("Status", "suggested", "confirmed")]  # fmt: skip
    assert added.changes[0].before == "" and not any('"' in c.after for c in added.changes)
