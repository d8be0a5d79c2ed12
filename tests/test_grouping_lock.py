"""A large feed's event grouping must not hold the write lock (issue 18 item 8).

Real processes on SQLite, where one writer at a time is the rule: while a
large ingest is grouping, `tracker create-user` and `tracker serve` work; a
`kill -9` mid-grouping leaves the store whole, and the next command that
writes says what is waiting, places it and catches the index up. The feed is
small and the batches (`TRACKER_GROUPING_BATCH`) smaller, so this takes
seconds, not the minutes of a 200,000-entry file.
"""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cli_processes import finish, run, start, store_picture, tracker_env
from conftest import make_settings
from feed_maker import write_feed

from tracker import search

ENTRIES = 3000
BATCH = "40"
PASSWORD = "a long enough password\n"


def wait_for(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def counts(db: Path) -> tuple[int, int, int]:
    """(items, items waiting for an event, events) as another reader sees them now."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        items, waiting = conn.execute(
            "SELECT COUNT(*), COUNT(*) - COUNT(event_id) FROM item"
        ).fetchone()
        events = conn.execute("SELECT COUNT(*) FROM event").fetchone()[0]
    return items, waiting, events


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_answers(base: str) -> bool:
    try:
        return httpx.get(base + "/", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def ended_after(process: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    """The process, killed at the end of the block if a failed check left it running."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            finish(process)


def test_other_writers_get_in_while_a_large_feed_is_grouped(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    env = tracker_env(tmp_path, f"sqlite:///{db}", TRACKER_GROUPING_BATCH=BATCH)
    feed = write_feed(tmp_path / "large.xml", ENTRIES)
    assert run(env, "init")[0] == 0
    with ended_after(start(env, "ingest", str(feed), "--source", "wire")) as ingest:
        others_get_in(env, db, ingest)


def others_get_in(env: dict[str, str], db: Path, ingest: subprocess.Popen[str]) -> None:
    wait_for(lambda: counts(db)[0] == ENTRIES, "the items to be stored")

    started = time.monotonic()
    code, _, err = run(env, "create-user", "eddie", "--password-stdin", stdin=PASSWORD)
    waited = time.monotonic() - started
    assert code == 0, err
    # It did not wait for the grouping to end: many items still wait for theirs.
    still_waiting = counts(db)[1]
    assert ingest.poll() is None and still_waiting > ENTRIES // 3, f"took {waited:.1f} s"
    assert "waiting to be grouped into events; another tracker process is grouping them" in err

    port = free_port()
    with ended_after(start(env, "serve", "--no-worker", "--port", str(port))) as serve:
        wait_for(lambda: site_answers(f"http://127.0.0.1:{port}"), "the site", timeout=30)
        assert ingest.poll() is None and counts(db)[1] > 0, "the site waited for the grouping"
        serve.send_signal(signal.SIGINT)
        finish(serve, timeout=30)
    code, _, err = finish(ingest)
    assert code == 0, err
    assert counts(db)[1] == 0


def test_a_kill_mid_grouping_is_resumed_by_the_next_command_that_writes(tmp_path: Path) -> None:
    db, reference = tmp_path / "tracker.db", tmp_path / "reference.db"
    feed = write_feed(tmp_path / "large.xml", ENTRIES)
    env = tracker_env(tmp_path / "home", f"sqlite:///{db}", TRACKER_GROUPING_BATCH=BATCH)
    assert run(env, "init")[0] == 0
    with ended_after(start(env, "ingest", str(feed), "--source", "wire")) as ingest:
        wait_for(lambda: counts(db)[2] >= 5, "grouping to be under way")
        ingest.send_signal(signal.SIGKILL)
        finish(ingest)

    items, waiting, _ = counts(db)
    assert items == ENTRIES and 0 < waiting < ENTRIES
    killed = store_picture(f"sqlite:///{db}")
    assert killed["empty_events"] == 0  # every placed batch is whole

    code, _, err = run(env, "create-user", "eddie", "--password-stdin", stdin=PASSWORD)
    assert code == 0, err
    assert f"{waiting:,} items waiting to be grouped into events; continuing…" in err
    assert counts(db)[1] == 0
    settings = make_settings(tmp_path / "home", f"sqlite:///{db}")
    assert search.index_status(settings).items == ENTRIES  # the index caught up too

    # The same store as a run nobody stopped.
    clean = tracker_env(tmp_path / "clean", f"sqlite:///{reference}", TRACKER_GROUPING_BATCH=BATCH)
    assert run(clean, "ingest", str(feed), "--source", "wire")[0] == 0
    resumed, whole = store_picture(f"sqlite:///{db}"), store_picture(f"sqlite:///{reference}")
    for part in ("items", "tags", "events", "empty_events", "seq"):
        assert resumed[part] == whole[part], part
