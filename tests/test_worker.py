"""Fetch workers (issue 15, item 1): leases, politeness, Retry-After, back-off.

Workers here run in the test's process (several `Worker`s, each its own name
and threads, as separate processes would) against feed hosts on 127.0.0.1;
test_worker_process.py runs `tracker worker` and `tracker serve` as processes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from feed_hosts import FeedHost, Route, feed_hosts, overlaps, smallest_gap
from sqlmodel import select

from tracker.models import FetchHost, Item, Source, WorkerBeat
from tracker.pipeline import Pipeline
from tracker.schedule import next_attempt
from tracker.store import catalog
from tracker.store import leases as store
from tracker.store.engine import session_scope
from tracker.types import SourceConfig
from tracker.worker import Worker, WorkerSettings

FAST = WorkerSettings(concurrency=3, host_gap=0.3, lease_seconds=30, heartbeat_seconds=0.5,
                      idle_seconds=0.1, settle_seconds=0.5)  # fmt: skip


def add_sources(pipeline: Pipeline, urls: dict[str, str], interval: int = 60) -> None:
    configs = [
        SourceConfig(slug, f"Feed {slug.upper()}", "rss", url, "news", interval_minutes=interval)
        for slug, url in urls.items()
    ]
    with session_scope(pipeline.engine) as session:
        # The real sources of data/sources.toml are paused: no test reaches the network.
        for row in session.exec(select(Source)):
            row.enabled = False
        catalog.sync_sources(session, configs)


def sources(pipeline: Pipeline) -> dict[str, Source]:
    with session_scope(pipeline.engine) as session:
        return {s.slug: s for s in session.exec(select(Source))}


def wait_for(check: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@contextmanager
def running(pipeline: Pipeline, count: int, settings: WorkerSettings = FAST) -> Iterator[list[str]]:
    lines: list[str] = []
    workers = [Worker(Pipeline(pipeline.settings, pipeline.engine), settings,
                      report=lines.append) for _ in range(count)]  # fmt: skip
    for worker in workers:
        worker.start()
    try:
        yield lines
    finally:
        for worker in workers:
            worker.request_stop()
        for worker in workers:
            assert worker.stop(grace=10)


def test_three_workers_fetch_each_source_once_and_politely(pipeline: Pipeline) -> None:
    with feed_hosts(3) as hosts:
        urls = {}
        for h, host in enumerate(hosts):
            for n in range(4):
                path = f"/h{h}/f{n}"
                host.routes[path] = Route(items=2, delay=0.15)
                urls[f"h{h}-f{n}"] = host.url(path)
        add_sources(pipeline, urls)
        with running(pipeline, 3):
            wait_for(lambda: all(s.last_success_at for s in sources(pipeline).values()
                                 if s.slug in urls))  # fmt: skip
        for host in hosts:
            assert overlaps(host.hits) == 0  # one request at a time per host, fleet-wide
            assert smallest_gap(host.hits) >= FAST.host_gap
            for path in host.routes:
                assert len(host.hits_of(path)) == 1, path  # each due source fetched once
    with session_scope(pipeline.engine) as session:
        assert len(session.exec(select(Item)).all()) == 24
        held = session.exec(select(Source).where(Source.lease_owner.is_not(None))).all()  # type: ignore[union-attr]
        assert held == []
        beats = session.exec(select(WorkerBeat)).all()
    assert len(beats) == 3 and {b.state for b in beats} == {"stopped"}
    assert sum(b.fetched for b in beats) == 12


def test_a_source_held_by_one_worker_is_not_claimed_by_another(pipeline: Pipeline) -> None:
    add_sources(pipeline, {"one": "http://127.0.0.1:9/feed", "two": "http://127.0.0.1:9/other"})
    now = datetime.now(UTC)
    with session_scope(pipeline.engine) as session:
        store.sync_hosts(session)
        first = store.claim(session, "a", now, 60)
    with session_scope(pipeline.engine) as session:
        # The host is held with the first source: nothing else on it may start.
        assert store.claim(session, "b", now, 60) is None
        assert first is not None
        store.release(session, "a", first, now, gap_seconds=5)
    with session_scope(pipeline.engine) as session:
        assert store.claim(session, "b", now, 60) is None  # within the host's gap
        later = store.claim(session, "b", now + timedelta(seconds=6), 60)
    assert later is not None  # released unfetched, "one" is still due: either may come
    with session_scope(pipeline.engine) as session:
        # A lease that ran out (its worker died) is taken over.
        taken = store.claim(session, "c", now + timedelta(seconds=120), 60)
    assert taken is not None and taken.slug == later.slug


def test_retry_after_on_429_moves_the_source_and_its_host(pipeline: Pipeline) -> None:
    with feed_hosts(1) as (host,):
        host.routes["/busy"] = Route(status=429, headers={"Retry-After": "7200"})
        host.routes["/fine"] = Route()
        add_sources(pipeline, {"busy": host.url("/busy"), "fine": host.url("/fine")}, interval=5)
        before = datetime.now(UTC)
        with running(pipeline, 1) as lines:
            wait_for(lambda: sources(pipeline)["busy"].last_fetched_at)
            time.sleep(1.0)  # the other source of that host must now wait for the host
        assert len(host.hits_of("/busy")) == 1  # a 429 is not retried within the fetch
        assert host.hits_of("/fine") == []
    busy = sources(pipeline)["busy"]
    assert busy.failures == 1 and "429" in (busy.last_error or "")
    assert busy.next_attempt_at is not None
    assert busy.next_attempt_at >= before + timedelta(seconds=7200)
    with session_scope(pipeline.engine) as session:
        row = session.get(FetchHost, busy.host)
    assert row is not None and row.next_request_at >= before + timedelta(seconds=3599)
    (line,) = [x for x in lines if x.startswith("failed Feed BUSY")]
    assert "Retry-After 7200 s" in line
    assert f"next attempt {busy.next_attempt_at:%Y-%m-%d %H:%M} UTC" in line


def test_failures_in_a_row_back_off_exponentially_with_jitter() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    waits = [next_attempt(now, 30, n, rand=lambda: 0.0) - now for n in range(6)]
    assert waits == [timedelta(minutes=m) for m in (30, 30, 60, 120, 240, 480)]
    jittered = next_attempt(now, 30, 4, rand=lambda: 1.0) - now
    assert timedelta(minutes=180) == jittered  # 240 minutes less a quarter
    assert next_attempt(now, 30, 60, rand=lambda: 0.0) - now == timedelta(days=1)  # capped
    assert next_attempt(now, 30, 0, retry_after=7200) - now == timedelta(hours=2)


def test_an_unreachable_host_is_tried_later_not_in_a_loop(pipeline: Pipeline) -> None:
    with feed_hosts(1) as (host,):
        host.routes["/down"] = Route(status=500)
        add_sources(pipeline, {"down": host.url("/down")}, interval=1)
        with running(pipeline, 2) as lines:
            wait_for(lambda: sources(pipeline)["down"].failures >= 1)
            time.sleep(1.0)
        # fetch_url's own three attempts, then nothing until the next attempt.
        assert len(host.hits_of("/down")) == 3
    down = sources(pipeline)["down"]
    assert down.last_success_at is None and down.failures == 1
    assert any("next attempt" in x for x in lines)


def test_only_live_remote_sources_are_claimed(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    add_sources(pipeline, {"paused": "http://127.0.0.1:9/x"})
    with session_scope(pipeline.engine) as session:
        paused = catalog.source_by_slug(session, "paused")
        assert paused is not None
        paused.enabled = False
        # Only the demo's sources and paused ones are left: none may be fetched.
    with session_scope(pipeline.engine) as session:
        store.sync_hosts(session)
        assert store.claim(session, "w", datetime.now(UTC), 60) is None


@pytest.mark.parametrize("header", ["120", "Wed, 21 Oct 2099 07:28:00 GMT"])
def test_retry_after_is_read_as_seconds_or_a_date(header: str) -> None:
    from tracker.fetch import retry_after

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after(header, now) is not None and retry_after(header, now) >= 120  # type: ignore[operator]
    assert retry_after("soon", now) is None


def test_a_503_with_retry_after_is_not_retried_at_once(pipeline: Pipeline) -> None:
    with feed_hosts(1) as (host,):
        host.routes["/later"] = Route(status=503, headers={"Retry-After": "600"})
        add_sources(pipeline, {"later": host.url("/later")})
        outcome = pipeline.fetch_source("later")
        assert len(host.hits_of("/later")) == 1
    assert outcome.status == "error" and outcome.retry_after == 600
    later = sources(pipeline)["later"]
    assert later.next_attempt_at is not None and later.last_fetched_at is not None
    assert later.next_attempt_at - later.last_fetched_at >= timedelta(minutes=60)


def host_of(host: FeedHost) -> str:
    return f"http://127.0.0.1:{host.server_address[1]}"


def _lease(pipeline: Pipeline, slug: str, owner: str | None, seconds: float) -> None:
    """Hold (or free) `slug`'s lease and its host's as another worker would."""
    until = datetime.now(UTC) + timedelta(seconds=seconds) if owner else None
    with session_scope(pipeline.engine) as session:
        store.sync_hosts(session)
        source = session.exec(select(Source).where(Source.slug == slug)).one()
        host = session.get(FetchHost, source.host)
        assert host is not None
        for row in (source, host):
            row.lease_owner, row.lease_until = owner, until
            session.add(row)


def test_tracker_fetch_never_fetches_a_source_a_worker_holds(pipeline: Pipeline) -> None:
    # `tracker fetch` beside a running worker took no lease: it could fetch the
    # source the worker was fetching at that moment.
    with feed_hosts(1) as (host,):
        host.routes["/f"] = Route(items=2)
        add_sources(pipeline, {"f": host.url("/f")})
        _lease(pipeline, "f", "other-host:4242:abc123", seconds=60)
        (outcome,) = pipeline.fetch_all(["f"])
        assert outcome.status == "skipped"
        assert outcome.name == "Feed F"
        assert outcome.error == "being fetched now by worker other-host:4242:abc123"
        assert host.hits_of("/f") == []

        _lease(pipeline, "f", None, seconds=0)
        (outcome,) = pipeline.fetch_all(["f"])
        assert (outcome.status, outcome.new) == ("ok", 2)
        assert len(host.hits_of("/f")) == 1
    with session_scope(pipeline.engine) as session:
        source = session.exec(select(Source).where(Source.slug == "f")).one()
        fetch_host = session.get(FetchHost, source.host)
        assert source.lease_owner is None and fetch_host is not None
        assert fetch_host.lease_owner is None and fetch_host.next_request_at is not None


def test_tracker_fetch_waits_its_turn_at_a_host_a_worker_is_asking(pipeline: Pipeline) -> None:
    with feed_hosts(1) as (host,):
        host.routes["/a"] = Route(items=1)
        host.routes["/b"] = Route(items=1)
        add_sources(pipeline, {"a": host.url("/a"), "b": host.url("/b")})
        # Another worker holds the host (asking it for /a) for one more second.
        _lease(pipeline, "a", "other-host:4242:abc123", seconds=1.0)
        began = time.monotonic()
        (outcome,) = pipeline.fetch_all(["b"])
        assert outcome.status == "ok"
        assert time.monotonic() - began >= 0.9
        assert len(host.hits_of("/b")) == 1
