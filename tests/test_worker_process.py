"""`tracker worker` and `tracker serve` as real processes (issue 15, items 1 and 2).

SIGTERM lets the running fetch finish and gives everything back; after
SIGKILL the leases run out and another worker fetches what was held, never
at the same time; `serve`'s own worker and a `tracker worker` share the work;
a web process's search finds what a worker in another process stored,
within seconds, by catching up (never rebuilding). Every source is a feed
host on 127.0.0.1; the sources of data/sources.toml are not loaded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from conftest import TESTS
from feed_hosts import FeedHost, Route, feed_hosts, overlaps
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.models import Item, Source, WorkerBeat
from tracker.pipeline import Pipeline
from tracker.store.engine import make_engine

REPO = TESTS.parent


def environment(
    home: Path, database_url: str, feeds: dict[str, str], **extra: str
) -> dict[str, str]:
    """A TRACKER_HOME and a data folder whose sources.toml lists only `feeds`."""
    data = home.parent / "data"
    if not data.exists():
        data.mkdir(parents=True)
        shutil.copy(REPO / "data" / "taxonomy.toml", data / "taxonomy.toml")
        entries = "".join(
            f'[[source]]\nslug = "{slug}"\nname = "Feed {slug.upper()}"\nkind = "rss"\n'
            f'url = "{url}"\ndoc_type = "news"\n\n'
            for slug, url in feeds.items()
        )
        (data / "sources.toml").write_text(entries, encoding="utf-8")
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = keep | {
        "TRACKER_HOME": str(home),
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_DATA_DIR": str(data),
        "TRACKER_DEMO_DIR": str(REPO / "data" / "demo"),
        "TRACKER_ALLOW_PRIVATE_FETCH": "1",  # the feed hosts are on 127.0.0.1
        "TRACKER_HOST_GAP": "0.2",
        "TRACKER_HEARTBEAT_SECONDS": "1",
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    env |= extra
    setup = Pipeline(Settings.from_env(env))
    setup.init()  # what `tracker init` does once per deployment
    setup.engine.dispose()
    return env


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", *args], env=env,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text()[-3000:]


def rows(env: dict[str, str]) -> tuple[dict[str, Source], list[Item], list[WorkerBeat]]:
    engine = make_engine(Settings.from_env(env))
    try:
        with Session(engine) as session:
            sources = {s.slug: s for s in session.exec(select(Source))}
            return sources, list(session.exec(select(Item))), list(session.exec(select(WorkerBeat)))
    finally:
        engine.dispose()


def wait_for(check: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def started(host: FeedHost, path: str) -> bool:
    """The server has begun answering `path` (its hit is recorded when it ends)."""
    return host.active.get(path, 0) > 0


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return str(request.getfixturevalue("pg_url"))


def test_sigterm_lets_the_running_fetch_finish_and_gives_everything_back(
    db: str, tmp_path: Path
) -> None:
    with feed_hosts(1) as (host,):
        host.routes["/slow"] = Route(items=3, delay=2.0)
        env = environment(tmp_path / "w", db, {"slow": host.url("/slow")})
        with process(["worker"], env, tmp_path / "worker.log") as worker:
            wait_for(lambda: started(host, "/slow"))
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
    sources, items, beats = rows(env)
    assert len(items) == 3  # the fetch under way was finished and stored
    assert sources["slow"].lease_owner is None and sources["slow"].last_success_at
    assert [b.state for b in beats] == ["stopped"]
    assert "Worker stopped." in (tmp_path / "worker.log").read_text()


def test_after_sigkill_the_leases_run_out_and_another_worker_takes_over(
    db: str, tmp_path: Path
) -> None:
    lease = 6.0
    with feed_hosts(1) as (host,):
        host.routes["/held"] = Route(items=2, delay=3.0)
        env = environment(tmp_path / "a", db, {"held": host.url("/held")},
                          TRACKER_LEASE_SECONDS=str(lease))  # fmt: skip
        with process(["worker"], env, tmp_path / "a.log") as first:
            wait_for(lambda: started(host, "/held"))
            first.send_signal(signal.SIGKILL)
            first.wait()
            killed = time.monotonic()
        assert rows(env)[0]["held"].lease_owner  # nothing gave the lease back
        env_b = env | {"TRACKER_HOME": str(tmp_path / "b")}
        with process(["worker"], env_b, tmp_path / "b.log") as second:
            wait_for(lambda: rows(env)[0]["held"].last_success_at is not None)
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0
        hits = host.hits_of("/held")
    assert len(hits) == 2 and overlaps(hits) == 0  # never two at once
    assert hits[1].start - killed >= lease - 2.0  # only once the lease ran out
    sources, items, _ = rows(env)
    assert len(items) == 2 and sources["held"].lease_owner is None


def test_serve_and_a_worker_share_the_sources_without_fetching_one_twice(
    db: str, tmp_path: Path
) -> None:
    with feed_hosts(2) as hosts:
        feeds = {}
        for h, host in enumerate(hosts):
            for n in range(4):
                host.routes[f"/f{n}"] = Route(items=2, delay=0.3)
                feeds[f"h{h}f{n}"] = host.url(f"/f{n}")
        env = environment(tmp_path / "site", db, feeds)
        port = free_port()
        serve = ["serve", "--port", str(port)]
        with process(serve, env, tmp_path / "serve.log") as site:
            wait_for(lambda: _up(port))
            env_w = env | {"TRACKER_HOME": str(tmp_path / "worker")}
            with process(["worker"], env_w, tmp_path / "worker.log") as worker:
                wait_for(lambda: all(s.last_success_at for s in rows(env)[0].values()
                                     if s.slug in feeds))  # fmt: skip
                wait_for(lambda: "fetching due sources" in (tmp_path / "worker.log").read_text())
                worker.send_signal(signal.SIGTERM)
                assert worker.wait(timeout=30) == 0
            site.send_signal(signal.SIGTERM)
            assert site.wait(timeout=30) == 0
        for host in hosts:
            assert overlaps(host.hits) == 0
            assert all(len(host.hits_of(f"/f{n}")) == 1 for n in range(4))
    _, items, beats = rows(env)
    assert len([i for i in items if not i.sample]) == 16
    assert sorted(b.embedded for b in beats) == [False, True]
    assert sum(b.fetched for b in beats) == 8


def test_a_web_process_finds_what_a_worker_process_stored_within_seconds(
    db: str, tmp_path: Path
) -> None:
    with feed_hosts(1) as (host,):
        host.routes["/news"] = Route(items=2, word="wombat")
        env = environment(tmp_path / "site", db, {"news": host.url("/news")})
        port = free_port()
        with process(["serve", "--no-worker", "--port", str(port)], env,
                     tmp_path / "serve.log") as site:  # fmt: skip
            wait_for(lambda: _up(port))
            base = f"http://127.0.0.1:{port}"
            assert "wombat" not in _titles(base)
            env_w = env | {"TRACKER_HOME": str(tmp_path / "worker")}
            with process(["worker"], env_w, tmp_path / "worker.log") as worker:
                wait_for(lambda: rows(env)[0]["news"].last_success_at is not None)
                stored = rows(env)[0]["news"].last_success_at
                assert stored is not None
                wait_for(lambda: "wombat" in _titles(base), seconds=15)
                seen = datetime.now(UTC)
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=30)
            site.send_signal(signal.SIGTERM)
            site.wait(timeout=30)
    assert (seen - stored).total_seconds() < 10
    served = (tmp_path / "serve.log").read_text()
    assert "rebuilding" not in served  # caught up from the sequence number


def _titles(base: str) -> str:
    answer = httpx.get(f"{base}/search.json", params={"q": "wombat"}, timeout=30)
    answer.raise_for_status()
    return " ".join(item["title"] for item in answer.json()["items"]).lower()


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/sources", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
