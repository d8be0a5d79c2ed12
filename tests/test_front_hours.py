"""The home page's week at each new hour (SQLite and PostgreSQL): the current week ends
at the next full hour, so it moves every hour. Its first count at a new hour comes
from the week kept an hour or a few earlier, moved (tracker/store/front_kept.py),
and must equal a count afresh across hours and days, after changes in between, and
in a new worker reading what the others saved; the week itself is counted whole
only the first time, or when nothing within a day before is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Event, Item, ItemTag, Source, table_of
from tracker.pipeline import Pipeline
from tracker.store import front_kept, home, kept_check, kept_store, memo, tag_edits
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.store.tags import next_seqs
from tracker.web import create_app, pages

NOW = datetime(2026, 5, 12, 9, 30, tzinfo=UTC)  # a Tuesday morning
SPREAD = timedelta(days=21)  # items from three weeks before NOW to two days after it
TYPES = ["news", "letter", "rule", "report", "memo", "press-release"]
TAGS = [("distillation", "topic"), ("export-controls", "topic"), ("anthropic", "entity"),
        ("deepseek", "entity"), ("nvidia", "entity")]  # fmt: skip


def fill(session: Session) -> list[int]:
    """Items every 97 minutes from three weeks before NOW to two days after: several
    types, one to three tags (some confirmed, some rejected), events of up to six
    items over a few days, every eleventh item not yet in an event. Their ids."""
    sources = [Source(slug=f"hours-{n}", name=f"Hours {n}", kind="rss") for n in range(3)]
    session.add_all(sources)
    session.flush()
    first = NOW - SPREAD
    count = int((SPREAD + timedelta(days=2)) / timedelta(minutes=97))
    events = [Event(headline=f"happening {n}", event_date=first + timedelta(hours=5 * n),
                    created_at=first) for n in range(count // 6 + 1)]  # fmt: skip
    session.add_all(events)
    session.flush()
    seqs = next_seqs(session, count)
    item_tags = table_of(ItemTag)
    ids = []
    for n in range(count):
        published = first + timedelta(minutes=97 * n)
        item = Item(
            source_id=sources[n % 3].id,
            guid=f"hours-{n}",
            title=f"item {n}",
            published_at=published,
            fetched_at=published,
            doc_type=TYPES[(n * 5) % len(TYPES)],
            content_hash=f"{n:064d}",
            event_id=None if n % 11 == 0 else events[(n // 6 + n % 2) % len(events)].id,
            seq=seqs[n],
            changed_at=published,
        )
        session.add(item)
        session.flush()
        ids.append(item.id)
        for k in range(1 + n % 3):
            slug, kind = TAGS[(n + 2 * k) % len(TAGS)]
            status = "rejected" if n % 13 == 0 and k == 0 else (
                "confirmed" if n % 7 == 0 else "suggested")  # fmt: skip
            session.execute(
                item_tags.insert().values(item_id=item.id, slug=slug, kind=kind, origin="rule",
                                          status=status, evidence=[], created_at=published)
            )  # fmt: skip
    session.commit()
    return [i for i in ids if i is not None]


@pytest.fixture
def store(pipeline: Pipeline) -> tuple[Pipeline, list[int]]:
    with session_scope(pipeline.engine) as session:
        ids = fill(session)
    return pipeline, ids


def test_a_new_hour_moves_the_week_and_equals_a_count(
    store: tuple[Pipeline, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    p, ids = store
    whole: list[datetime] = []  # the weeks counted whole (every hour's part read)
    hours_read: list[int] = []  # hours read for a part, however many each time
    real = front_kept._parts

    def noting(session: Session, start: datetime, end: datetime, only: object = None):  # type: ignore[no-untyped-def]
        if only is None:
            whole.append(end)
        hours_read.append(7 * 24 if only is None else len(only))  # type: ignore[arg-type]
        return real(session, start, end, only)  # type: ignore[arg-type]

    monkeypatch.setattr(front_kept, "_parts", noting)

    def kept_equals_a_count(now: datetime) -> home.NewsWeek:
        hours_read.clear()
        with session_scope(p.engine) as session:
            week = home.news_week(session, now, tagged=True)
            assert week is not None and week.is_current
            kept = home.front_page(session, week)
            assert kept.leads and kept.moved
            monkeypatch.setattr(front_kept, "_parts", real)
            try:
                assert kept == home._front_page(session, week, 8), now
                assert kept_check.differences(session, [], [], now) == [], now
            finally:
                monkeypatch.setattr(front_kept, "_parts", noting)
        return week

    first = kept_equals_a_count(NOW)
    assert whole == [first.end]  # the first hour is counted
    now = NOW
    # The next hour; three hours on; across midnight; the hour after; almost a day on.
    for step in (1, 3, 16, 1, 23):
        now += timedelta(hours=step)
        kept_equals_a_count(now)
        assert whole == [first.end], now  # moved, not counted
        assert sum(hours_read) <= step, (now, hours_read)  # only the hours it gained
    # Changes between hours: an item's edit, a tag rejected, one tagged afresh.
    with session_scope(p.engine) as session:
        bump(session, [ids[len(ids) // 2]])
        tag = table_of(ItemTag).c
        rejected = sa.select(tag.id).where(tag.item_id == ids[len(ids) // 2 + 7]).limit(1)
        tag_edits.decide_tags(session, [session.execute(rejected).scalar_one()], "reject", "t")
        tag_edits.add_manual_tag(session, ids[len(ids) // 2 + 9], "distillation", "t")
        session.commit()
    now += timedelta(hours=2)
    kept_equals_a_count(now)
    assert whole == [first.end]
    # A new worker: only what the others saved.
    assert kept_store.flush()
    memo._memos.pop(p.engine, None)
    now += timedelta(hours=1)
    kept_equals_a_count(now)
    assert whole == [first.end]
    # More than a day on: nothing kept close enough, counted whole.
    now += timedelta(hours=memo.SLIDE_HOURS + 1)
    week = kept_equals_a_count(now)
    assert whole == [first.end, week.end]


def test_a_deletion_between_hours_counts_the_week_afresh(
    store: tuple[Pipeline, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts kept before items were deleted are not moved: the week is counted again."""
    p, _ = store
    with session_scope(p.engine) as session:
        week = home.news_week(session, NOW, tagged=True)
        assert week is not None
        home.front_page(session, week)
        from tracker.store.tags import note_deletions

        note_deletions(session, 1)
        session.commit()
    whole: list[datetime] = []
    real = front_kept._parts

    def noting(session: Session, start: datetime, end: datetime, only: object = None):  # type: ignore[no-untyped-def]
        if only is None:
            whole.append(end)
        return real(session, start, end, only)  # type: ignore[arg-type]

    monkeypatch.setattr(front_kept, "_parts", noting)
    with session_scope(p.engine) as session:
        later = home.news_week(session, NOW + timedelta(hours=1), tagged=True)
        assert later is not None
        kept = home.front_page(session, later)
        monkeypatch.setattr(front_kept, "_parts", real)
        assert kept == home._front_page(session, later, 8)
    assert whole == [later.end]


def test_hours_read_again_are_read_in_runs() -> None:
    """Consecutive hours read again are one span each."""
    assert front_kept._runs([0, 1, 2, 5, 7, 8]) == [(0, 3), (5, 6), (7, 9)]
    assert front_kept._runs([]) == []


def test_the_home_page_at_each_new_hour_is_the_page_of_a_count(
    store: tuple[Pipeline, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home page a worker serves at each new hour, byte for byte, is the one it
    serves when the week is counted afresh (no parts kept, nothing remembered)."""
    p, ids = store
    app = create_app({"SETTINGS": p.settings, "TESTING": True, "VERSION_TTL": 0})
    clock = [NOW]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return clock[0]

    monkeypatch.setattr(pages, "datetime", Clock)
    client = app.test_client()
    engine = app.extensions["tracker.engine"]
    real = front_kept.week_parts

    def page() -> bytes:
        response = client.get("/")
        assert response.status_code == 200
        return response.data

    page()  # the first hour: counted
    for step in (1, 3, 16, 1, 23):  # the next hour; three on; across midnight; nearly a day
        clock[0] += timedelta(hours=step)
        if step == 16:  # and an item changes meanwhile
            with session_scope(p.engine) as session:
                bump(session, [ids[-len(ids) // 8]])
                session.commit()
        kept = page()
        memo._memos.pop(engine, None)
        monkeypatch.setattr(front_kept, "week_parts", front_kept._parts)
        try:
            counted = page()
        finally:
            monkeypatch.setattr(front_kept, "week_parts", real)
            memo._memos.pop(engine, None)
        assert b"happening " in kept and b"Original document" in kept  # leads shown
        assert kept == counted, clock[0]
    engine.dispose()
