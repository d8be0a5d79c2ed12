"""Kept aggregates saved by one release are read by the next (SQLite and PostgreSQL):
a new worker of a release that changed the store's code, but no aggregate's
format version, answers the home page and the timelines from what the older
release saved, counting only the items changed since, never a whole listing;
a kind whose version was bumped is counted afresh, alone; a kind with no
version is never saved."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from sqlmodel import Session
from test_daily_counts_kept import statements

from tracker.cli import main
from tracker.models import ItemTag, KeptAggregate, table_of
from tracker.pipeline import Pipeline
from tracker.store import home, kept_check, kept_formats, kept_store, memo, tag_edits, timelines
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.store.listings import ListingFilter
from tracker.store.locks import write_scope
from tracker.web import create_app

NOW = datetime(2026, 4, 20, tzinfo=UTC)  # within the demo's weeks
PAGES = ["/", "/topics/distillation", "/entities/anthropic", "/types/letter",
         "/topics/distillation.atom", "/api/v1/timelines/topics/distillation"]  # fmt: skip


@pytest.fixture
def demo(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> Pipeline:
    monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)  # the demo's listings counted as large
    pipeline.load_demo()
    return pipeline


def as_release(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The process runs release `name` of the store's code, formats unchanged (before
    the format versions, releases were told apart by a hash of tracker/store/,
    cached per process in `kept_store._mark`)."""
    monkeypatch.setattr(kept_store, "_mark", f"release-{name}", raising=False)


def worker(p: Pipeline) -> Flask:
    """A new worker: its own app and engine, nothing kept in memory."""
    return create_app({"SETTINGS": p.settings, "TESTING": True, "VERSION_TTL": 0})


def served(app: Flask, paths: list[str]) -> list[str]:
    """The pages answered; the statements the worker's engine ran meanwhile."""

    class Engine:
        engine = app.extensions["tracker.engine"]

    with statements(Engine()) as seen:  # type: ignore[arg-type]
        client = app.test_client()
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
    return list(seen)


def close(app: Flask) -> None:
    assert kept_store.flush()
    app.extensions["tracker.engine"].dispose()


FULL_COUNT = re.compile(r"GROUP BY", re.I)
IN_PART = re.compile(r"published_at >=|item_id >=|seq >|\.id > |id IN \(", re.I)


def whole_counts(seen: list[str]) -> list[str]:
    """The statements that grouped rows without being held to a few days, id blocks,
    changed items or a page's events: counts of a whole listing or tag."""
    return [s for s in seen if FULL_COUNT.search(s) and not IN_PART.search(s)]


def change_one(p: Pipeline) -> None:
    """An item of the distillation listing gets a new sequence number (an edit)."""
    tag = table_of(ItemTag).c
    with session_scope(p.engine) as session:
        tagged = sa.select(tag.item_id).where(tag.slug == "distillation").limit(1)
        bump(session, [session.execute(tagged).scalar_one()])
        session.commit()


def test_a_new_release_reads_what_the_last_one_saved(
    demo: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_release(monkeypatch, "a")
    first = worker(demo)
    counted = served(first, PAGES)  # release a counts every page's aggregates, and saves them
    assert whole_counts(counted)
    close(first)

    as_release(monkeypatch, "b")  # a release that changed the store's code, no format
    change_one(demo)
    fresh = worker(demo)
    seen = served(fresh, PAGES)
    close(fresh)
    assert [s for s in seen if "kept_aggregate" in s]  # read what release a saved
    assert whole_counts(seen) == [], "\n\n".join(whole_counts(seen))


def test_a_bumped_kind_alone_is_counted_afresh(
    demo: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = worker(demo)
    served(first, PAGES)
    close(first)

    monkeypatch.setitem(kept_formats.FORMATS, "daily", kept_formats.FORMATS["daily"] + 1)
    counted: list[object] = []
    real = timelines._daily_counts

    def counting(session: object, f: object, days: object = None) -> object:
        counted.append((f, days))
        return real(session, f, days)  # type: ignore[arg-type]

    monkeypatch.setattr(timelines, "_daily_counts", counting)
    fresh = worker(demo)
    seen = served(fresh, PAGES)
    close(fresh)
    assert counted and all(days is None for _, days in counted)  # daily: afresh, whole
    whole = whole_counts(seen)
    assert whole and all("doc_type" in s for s in whole)  # only daily counts (day, type)


def test_every_kept_kind_has_a_format_version(
    demo: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    kinds: set[object] = set()
    real = memo.SeqMemo.kept_up

    def noting(self: memo.SeqMemo, session: object, key: object, *args: object) -> object:
        kinds.add(kept_formats.kind_of(key))  # type: ignore[arg-type]
        return real(self, session, key, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(memo.SeqMemo, "kept_up", noting)
    app = worker(demo)
    served(app, [*PAGES, "/sources", "/topics/distillation.csv"])
    close(app)
    assert {"daily", "event-firsts", "pairs", "latest", "front-days", "weekly_tags"} <= kinds
    assert kinds <= set(kept_formats.FORMATS), kinds - set(kept_formats.FORMATS)


def test_a_kind_with_no_version_is_never_saved(pipeline: Pipeline) -> None:
    key = ("no-such-kind", 1)
    kept_store.save(pipeline.engine, key, 3, 0, {"x": 1})
    assert kept_store.flush()
    assert kept_store.load(pipeline.engine, key) is None


def test_the_check_finds_a_kept_count_that_drifted(demo: Pipeline) -> None:
    """`kept_check.differences` and `tracker check-kept` recount and compare: a saved
    daily count that disagrees with the items is named, and the command fails."""
    env = {"TRACKER_HOME": str(demo.settings.home),
           "TRACKER_DATABASE_URL": demo.settings.database_url}  # fmt: skip
    assert CliRunner().invoke(main, ["check-kept"], env=env).exit_code == 0
    f = ListingFilter(topic="distillation")
    with session_scope(demo.engine) as session:
        assert kept_check.differences(session, [f], [("distillation", "entity")], NOW) == []
        seq, deletions, _ = memo.heads(session)
        wrong = dict(timelines.daily_counts(session, f))
    day = next(iter(wrong))
    wrong[day] += 1  # a count that drifted from the items, saved in place of the right one
    with session_scope(demo.engine) as session:
        session.execute(sa.delete(table_of(KeptAggregate)))
        session.commit()
    kept_store.save(demo.engine, ("daily", f), seq, deletions, wrong)
    assert kept_store.flush()
    memo._memos.pop(demo.engine, None)  # a new worker: reads the saved count
    with session_scope(demo.engine) as session:
        found = kept_check.differences(session, [f], [], NOW)
    # its daily counts, and the count its version (ETag) is made of
    assert [line.split()[0] for line in found] == ["daily", "version"], found
    result = CliRunner().invoke(main, ["check-kept"], env=env)
    assert result.exit_code == 1 and "2 kept aggregate(s) differ" in result.output, result.output


def test_after_a_bump_warming_leaves_no_reader_a_whole_count(
    demo: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tracker warm-kept`, run after a release that bumped kinds, counts them once and
    saves them: a new worker's first readers then count no whole listing."""
    first = worker(demo)
    served(first, PAGES)
    close(first)
    for kind in ("daily", "pairs", "front-days"):
        monkeypatch.setitem(kept_formats.FORMATS, kind, kept_formats.FORMATS[kind] + 1)
    env = {"TRACKER_HOME": str(demo.settings.home),
           "TRACKER_DATABASE_URL": demo.settings.database_url}  # fmt: skip
    result = CliRunner().invoke(main, ["warm-kept"], env=env)
    assert result.exit_code == 0 and "kept up to date and saved" in result.output, result.output
    fresh = worker(demo)
    seen = served(fresh, PAGES)
    close(fresh)
    assert whole_counts(seen) == [], "\n\n".join(whole_counts(seen))


def test_a_write_that_fails_midway_leaves_every_count_right(demo: Pipeline) -> None:
    """A writer's transaction that breaks off after retagging and renumbering an item
    (a crash mid-write) leaves nothing kept that the items do not hold."""
    listings = [ListingFilter(topic="distillation"), ListingFilter(topic="export-controls")]
    tags = [("distillation", "entity"), ("anthropic", "topic")]
    with session_scope(demo.engine) as session:
        assert kept_check.differences(session, listings, tags, NOW) == []
    tag = table_of(ItemTag).c
    with pytest.raises(RuntimeError), write_scope(demo.engine) as session:
        item_id = session.execute(
            sa.select(tag.item_id).where(tag.slug == "distillation").limit(1)
        ).scalar_one()
        tag_edits.add_manual_tag(session, item_id, "export-controls", "test")
        bump(session, [item_id])
        session.flush()
        with session_scope(demo.engine) as reader:  # a reader meanwhile: sees none of it
            assert kept_check.differences(reader, listings, tags, NOW) == []
        raise RuntimeError("the process died here")
    assert kept_store.flush()
    memo._memos.pop(demo.engine, None)  # and a new worker, from what was saved
    with session_scope(demo.engine) as session:
        assert kept_check.differences(session, listings, tags, NOW) == []


def test_the_hour_turning_moves_the_active_tags_instead_of_counting_them(
    demo: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home page's twelve weeks end at the next full hour: at each new hour they
    are the last hour's counts moved by the hours between (brought up to date
    first), equal to a count afresh, in this worker and in a new one."""
    whole: list[datetime] = []
    real = home._weekly_tags

    def noting(session: Session, starts: list[datetime], until: datetime, only: object = None):  # type: ignore[no-untyped-def]
        if only is None:
            whole.append(until)
        return real(session, starts, until, only)  # type: ignore[arg-type]

    def kept_equals_a_count(until: datetime) -> None:
        with session_scope(demo.engine) as session:
            home.active_tags(session, until)
            kept = memo.kept_peek(session, ("weekly_tags", until, 12))
            assert kept is not None
            starts = [until - home.WEEK * (12 - i) for i in range(12)]
            assert kept[2] == real(session, starts, until)

    with session_scope(demo.engine) as session:
        week = home.news_week(session, NOW, tagged=True)
    assert week is not None
    monkeypatch.setattr(home, "_weekly_tags", noting)
    kept_equals_a_count(week.end)
    assert whole == [week.end]  # the first hour is counted
    change_one(demo)  # and an item changes meanwhile
    for hours in (1, 3, 28):  # the next hours; then more than a day later: counted again
        kept_equals_a_count(week.end + home.HOUR * hours)
    assert kept_store.flush()
    memo._memos.pop(demo.engine, None)  # a new worker: from what the others saved
    kept_equals_a_count(week.end + home.HOUR * 29)
    assert whole == [week.end, week.end + home.HOUR * 28]
