"""A request reads the store's head once, an unchanged CSV export is written once,
and kept aggregates are saved after the request that counted them (SQLite and
PostgreSQL)."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from test_daily_counts_kept import statements

from tracker.models import Item, ItemTag, KeptAggregate, table_of
from tracker.pipeline import Pipeline
from tracker.store import kept_store, memo, timelines
from tracker.store import tags as tag_store
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.store.listings import ListingFilter, export_cards, list_items
from tracker.web import create_app
from tracker.web.body_cache import BodyCache

TIMELINE = "/api/v1/timelines/topics/distillation"
CSV = "/topics/distillation.csv"
HEAD = re.compile(r"max\(item\.seq\)")


@pytest.fixture
def app(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)  # the demo's listings counted as large
    pipeline.load_demo()
    made = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    yield made
    kept_store.flush()  # its saves written before its engine closes
    made.extensions["tracker.engine"].dispose()


class _Served:
    """What `statements` listens to: the app's own engine."""

    def __init__(self, app: Flask) -> None:
        self.engine = app.extensions["tracker.engine"]


def heads_read(seen: list[str]) -> int:
    assert HEAD is not None
    return sum(1 for s in seen if HEAD.search(s) and "kept_aggregate" not in s)


def change(p: Pipeline, listed: bool) -> None:
    """A new sequence number for an item of the distillation listing, or one outside it."""
    item, tag = table_of(Item).c, table_of(ItemTag).c
    tagged = sa.select(tag.item_id).where(tag.slug == "distillation")
    chosen = item.id.in_(tagged) if listed else item.id.not_in(tagged)
    with session_scope(p.engine) as session:
        item_id = session.execute(sa.select(sa.func.min(item.id)).where(chosen)).scalar_one()
        bump(session, [item_id])


def test_a_timeline_reads_the_head_once_before_and_after_a_change(
    pipeline: Pipeline, app: Flask
) -> None:
    client = app.test_client()
    first = client.get(TIMELINE)
    assert first.status_code == 200
    for listed in (False, True, None):
        if listed is not None:
            change(pipeline, listed)
        with statements(_Served(app)) as seen:
            response = client.get(TIMELINE)
        assert response.status_code == 200
        # Old code: once per kept aggregate, remembered answer and version (9 after a change).
        assert heads_read(seen) == 1, seen
        if listed is not None:  # the days changed since: once for every kept aggregate
            days = [s for s in seen if "DISTINCT" in s and "item.seq >" in s and "first" not in s]
            assert len(days) == 1, days  # old code: once per aggregate brought up to date
        with session_scope(pipeline.engine) as session:
            f = ListingFilter(topic="distillation")
            assert response.json["item_total"] == sum(timelines._daily_counts(session, f).values())
    assert memo._read.get() is None  # nothing left behind for the next request


def test_heads_outside_a_request_are_read_every_time(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    with session_scope(pipeline.engine) as session:
        before = memo.heads(session)
        bump(session, [1])
        assert memo.heads(session)[0] > before[0]  # a writer sees its own number
        with memo.reading():
            seen = memo.heads(session)
            bump(session, [1])
            assert memo.heads(session) == seen  # one look per read


def _csv(client: object, url: str) -> str:
    response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return response.get_data(as_text=True)  # type: ignore[no-any-return]


def test_an_unchanged_export_is_written_once_and_a_changed_one_afresh(
    pipeline: Pipeline, app: Flask
) -> None:
    client = app.test_client()
    body = _csv(client, CSV)
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert len(rows) > 2
    with statements(_Served(app)) as seen:
        again = client.get(CSV)
        assert again.get_data(as_text=True) == body
    # Old code: the rows were read again (the items and their tags).
    assert not [s for s in seen if "FROM itemtag" in s or "JOIN source" in s], seen
    assert again.headers["ETag"]

    change(pipeline, listed=False)  # not in the listing: same version, same body
    with statements(_Served(app)) as seen:
        assert _csv(client, CSV) == body
    assert not [s for s in seen if "JOIN source" in s]

    change(pipeline, listed=True)  # in it: a new ETag, written afresh
    with statements(_Served(app)) as seen:
        fresh = client.get(CSV)
        written = fresh.get_data(as_text=True)
    assert fresh.headers["ETag"] != again.headers["ETag"]
    assert [s for s in seen if "JOIN source" in s]
    other = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    other.extensions["tracker.csv_bodies"] = BodyCache()  # nothing kept: written afresh
    assert written == _csv(other.test_client(), CSV)  # as a new process
    other.extensions["tracker.engine"].dispose()


def test_an_exports_tags_are_read_with_one_parameter_on_postgresql(
    pipeline: Pipeline, app: Flask
) -> None:
    with statements(_Served(app)) as seen:
        _csv(app.test_client(), "/items.csv")
    tags = [s for s in seen if "FROM itemtag" in s and "itemtag.kind" in s]
    assert tags
    if pipeline.engine.dialect.name == "postgresql":
        # Old code: one placeholder per item of the batch.
        assert all(s.count("%(") <= 3 for s in tags), tags[0][:300]


def test_aggregates_are_saved_once_the_request_is_quiet(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Quiet spans long enough that a loaded machine's late wake-up (tenths of a second
    # on a busy CI host) does not read as a quiet request.
    monkeypatch.setattr(kept_store, "QUIET", 1.5)
    monkeypatch.setattr(kept_store, "LATEST", 30.0)
    pipeline.load_demo()
    table = table_of(KeptAggregate)

    def saved() -> int:
        with session_scope(pipeline.engine) as session:
            return int(session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    assert kept_store.flush()
    start = saved()
    for n in range(3):
        kept_store.save(pipeline.engine, ("daily", "quiet", n), 1, 0, {"n": n})
        time.sleep(kept_store.QUIET / 3)
    time.sleep(kept_store.QUIET / 3)
    # Old code: each was written at once, while its request was still answering.
    assert saved() == start
    assert kept_store.flush(5.0)
    assert saved() == start + 3


def test_a_timeline_never_counts_the_whole_store_and_its_etag_follows_every_change(
    pipeline: Pipeline, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[ListingFilter] = []
    daily = timelines._daily_counts

    def noting(session: object, f: ListingFilter, days: object = None) -> object:
        counted.append(f)
        return daily(session, f, days)  # type: ignore[arg-type]

    monkeypatch.setattr(timelines, "_daily_counts", noting)
    client = app.test_client()
    tags = [client.get(TIMELINE).headers["ETag"]]
    change(pipeline, listed=False)  # outside the listing: its events may still move
    tags.append(client.get(TIMELINE).headers["ETag"])
    with session_scope(pipeline.engine) as session:  # a deletion elsewhere: the counter
        tag_store.note_deletions(session, 1)
    # Old code: the whole store's daily counts, a million items at a million.
    assert ListingFilter() not in counted and counted
    tags.append(client.get(TIMELINE).headers["ETag"])
    assert len(set(tags)) == 3


def test_a_walk_of_events_sets_its_postgresql_setting_in_one_round_trip(
    pipeline: Pipeline,
) -> None:
    pipeline.load_demo()
    f = ListingFilter(topic="distillation")
    with session_scope(pipeline.engine) as session:
        expected = timelines._events_from_items(session, f)[:5]
        workers = "SELECT current_setting('max_parallel_workers_per_gather')"
        pg = pipeline.engine.dialect.name == "postgresql"
        before = session.execute(sa.text(workers)).scalar() if pg else None
        with statements(pipeline) as seen:
            assert timelines._events_walked(session, f, 5, 0) == expected
        # Old code on PostgreSQL: read the setting, set it, walk, put it back (4).
        assert len(seen) == (3 if pg else 1), seen
        if pg:
            assert session.execute(sa.text(workers)).scalar() == before


def test_another_process_reads_the_export_another_wrote(pipeline: Pipeline, app: Flask) -> None:
    body = _csv(app.test_client(), CSV)
    other = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    try:
        with statements(_Served(other)) as seen:
            assert _csv(other.test_client(), CSV) == body
        # Old code: every worker read and wrote the rows for itself.
        assert not [s for s in seen if "itemtag.kind" in s or "JOIN source" in s], seen
        change(pipeline, listed=True)
        fresh = _csv(other.test_client(), CSV)
        assert fresh != body or fresh.count("\n") == body.count("\n")
        with statements(_Served(app)) as seen:
            assert _csv(app.test_client(), CSV) == fresh
        assert not [s for s in seen if "JOIN source" in s]  # the first's file, not a new read
    finally:
        other.extensions["tracker.engine"].dispose()


def test_the_shared_folder_keeps_the_newest_bodies(tmp_path: Path) -> None:
    from tracker.web import body_cache

    cache = body_cache.BodyCache(tmp_path)
    tags = [f"{n:032x}" for n in range(body_cache.MAX_FILES + 5)]
    for n, tag in enumerate(tags):
        cache.put(tag, f"row {n}\r\n")
        os.utime(tmp_path / f"{tag}.csv", (n, n))  # written in this order
    kept = sorted(p.stem for p in tmp_path.glob("*.csv"))
    assert kept == sorted(tags[-body_cache.MAX_FILES :])
    assert body_cache.BodyCache(tmp_path).get(tags[-1]) == f"row {len(tags) - 1}\r\n"
    assert body_cache.BodyCache(tmp_path).get("../../etc/passwd") is None
    assert not list(tmp_path.glob("*.part"))


def test_an_export_batch_is_read_without_parallel_workers(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    f = ListingFilter(topic="distillation")
    with session_scope(pipeline.engine) as session:
        workers = "SELECT current_setting('max_parallel_workers_per_gather')"
        pg = pipeline.engine.dialect.name == "postgresql"
        before = session.execute(sa.text(workers)).scalar() if pg else None
        with statements(pipeline) as seen:
            cards = [c for batch in export_cards(session, f, offset=0, limit=7, batch=3)
                     for c in batch]  # fmt: skip
        listed = list_items(session, f, limit=7)
        assert [c.id for c in cards] == [c.id for c in listed]
        if pg:
            rows = [n for n, s in enumerate(seen) if "JOIN source" in s]
            # Old code: no setting made (a parallel plan's workers start for each batch).
            assert rows and all("set_config" in seen[n - 1] for n in rows), seen
            assert session.execute(sa.text(workers)).scalar() == before
