"""Caches a web process keeps are bounded in bytes, not only in entries (SQLite and PostgreSQL)."""

from __future__ import annotations

import tracemalloc
from datetime import date, timedelta

from sqlalchemy.engine import Engine

from tracker.store.bounded import BoundedLru, approximate_size
from tracker.store.engine import migrate, session_scope
from tracker.store.memo import SeqMemo
from tracker.web.ics import BodyMemo

MB = 2**20


def _daily(days: int, seed: int = 0) -> dict[tuple[date, str], int]:
    """Shaped like a listing's daily counts: (day, document type) → items."""
    start = date(2020, 1, 1)
    return {(start + timedelta(days=n // 15), f"type-{n % 15}"): n + seed for n in range(days * 15)}


def test_approximate_size_is_near_what_the_value_takes() -> None:
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        value = _daily(1800)  # five years of fifteen types
        taken = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 0.6 * taken < approximate_size(value) < 1.6 * taken
    assert approximate_size([b"x" * MB, b"x" * MB]) > 2 * MB


def test_a_bounded_lru_keeps_within_its_bytes_and_entries() -> None:
    cache = BoundedLru(entries=100, max_bytes=4 * MB)
    for n in range(20):
        assert cache.put(n, b"x" * (MB // 2))
        assert cache.bytes <= 4 * MB
    assert len(cache) == 7 and 19 in cache and 12 not in cache
    assert cache.get(13) is not None  # used: kept over older ones
    assert cache.put("late", b"y" * (MB // 2))
    assert 13 in cache and 14 not in cache
    assert not cache.put("huge", b"z" * (2 * MB))  # over a quarter: never kept
    assert "huge" not in cache
    small = BoundedLru(entries=3, max_bytes=4 * MB)
    for n in range(10):
        small.put(n, n)
    assert len(small) == 3


def test_remembered_aggregates_stay_within_the_memos_bytes(engine: Engine) -> None:
    migrate(engine)
    memo = SeqMemo(size=1024, max_bytes=64 * MB)
    computed: list[int] = []

    def compute(n: int) -> dict[tuple[date, str], int]:
        computed.append(n)
        return _daily(1800, n)  # about 5 MB each

    with session_scope(engine) as session:
        for n in range(12):
            memo.get(session, ("daily", n), lambda n=n: compute(n))
            memo.kept_up(session, ("kept", n), lambda n=n: compute(n), lambda kept, since: None)
        assert memo._known.bytes <= 32 * MB and memo._kept.bytes <= 32 * MB
        assert 0 < len(memo._known) < 12 and 0 < len(memo._kept) < 12
        computed.clear()
        memo.get(session, ("daily", 11), lambda: compute(11))  # the newest is still there
        assert computed == []
        memo.get(session, ("daily", 0), lambda: compute(0))  # the oldest went
        assert computed == [0]


def test_whole_calendars_kept_stay_within_their_bytes() -> None:
    bodies = BodyMemo(size=32, max_bytes=4 * MB)
    for n in range(20):  # a busy topic's calendar is megabytes
        bodies.put(f"etag-{n}", b"BEGIN:VEVENT" * (MB // 24))
    assert bodies._known.bytes <= 4 * MB
    assert bodies.get("etag-19") is not None and bodies.get("etag-0") is None


def test_a_large_kept_aggregate_stays_in_memory(engine: Engine) -> None:
    # The home page's week kept by hour is some 12 MB at a million items. Beyond a
    # quarter of the kept share (8 MB) it was never kept: every request after a
    # change loaded and decoded the saved copy before bringing it up to date.
    migrate(engine)
    memo = SeqMemo(size=1024, max_bytes=64 * MB)
    value = _daily(3300)  # about 10 MB
    assert 8 * MB < approximate_size(value) < 16 * MB
    with session_scope(engine) as session:
        memo.kept_up(session, ("week",), lambda: value, lambda kept, since: None)
    assert memo._kept.get(("week",)) is not None
    assert memo._kept.bytes <= 32 * MB
    over = BoundedLru(entries=10, max_bytes=4 * MB, largest=2 * MB)
    assert over.put("half", b"x" * (3 * MB // 2)) and not over.put("more", b"x" * (5 * MB // 2))
