"""`tracker ingest` killed with SIGKILL at random moments loses nothing and doubles nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from conftest import make_settings
from sqlmodel import select

from tracker import search
from tracker.models import Item, ItemSource, ItemTag, Source
from tracker.store.engine import make_engine, session_scope

ENTRIES = 800  # above PARALLEL_MIN, so the worker processes are killed too
KILLS = 20


def big_feed(path: Path) -> None:
    words = ("Alibaba Qwen distillation export controls Entity List Nvidia chips senators letter "
             "hearing antitrust memo Commerce BIS Anthropic Claude OpenAI").split()  # fmt: skip
    rng = random.Random(3)
    parts = ["<?xml version='1.0'?><rss version='2.0'><channel><title>big</title>"]
    for n in range(ENTRIES):
        text = " ".join(rng.choice(words) for _ in range(60))
        parts.append(
            f"<item><title>Item {n}: {' '.join(rng.sample(words, 5))}</title>"
            f"<guid>big-{n}</guid><link>https://big.example.org/{n}</link>"
            f"<pubDate>Mon, {1 + n % 28:02d} Jun 2026 10:00:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        )
    path.write_text("".join(parts) + "</channel></rss>")


def ingest(home: Path, feed: Path, *, errors: bool = False) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "ingest", str(feed), "--source", "big"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if errors else subprocess.DEVNULL,
        start_new_session=True,  # so the kill reaches its worker processes too
    )


def check_consistent(home: Path) -> int:
    """No half-written item: each has its source link, and guids are unique."""
    engine = make_engine(make_settings(home))
    try:
        with session_scope(engine) as session:
            source = session.exec(select(Source).where(Source.slug == "big")).first()
            if source is None:
                return 0
            items = session.exec(
                select(Item.id, Item.guid).where(Item.source_id == source.id)
            ).all()
            links = session.exec(
                select(sa.func.count())
                .select_from(ItemSource)
                .where(ItemSource.source_id == source.id)
            ).one()
            orphans = session.exec(
                select(sa.func.count()).select_from(ItemTag).where(
                    ItemTag.item_id.not_in(select(Item.id)))  # type: ignore[attr-defined]
            ).one()  # fmt: skip
        assert len({guid for _, guid in items}) == len(items) == links
        assert orphans == 0
        assert len(items) in (0, ENTRIES), "a file is stored whole or not at all"
        return len(items)
    finally:
        engine.dispose()


def test_sigkill_at_random_moments_then_rerun(tmp_path: Path) -> None:
    feed = tmp_path / "big.xml"
    big_feed(feed)
    home = tmp_path / "home"
    started = time.monotonic()
    full = ingest(home, feed)
    assert full.wait(timeout=300) == 0
    duration = time.monotonic() - started
    rng = random.Random(20)
    check_consistent(home)
    # Start over, and kill each run somewhere between start-up and the end.
    for path in home.glob("tracker.db*"):
        path.unlink()
    for _ in range(KILLS):
        proc = ingest(home, feed)
        time.sleep(rng.uniform(0.0, duration))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        check_consistent(home)
    final = ingest(home, feed, errors=True)
    _, said = final.communicate(timeout=300)
    assert final.returncode == 0, said.decode(errors="replace")
    assert check_consistent(home) == ENTRIES
    settings = make_settings(home)
    engine = make_engine(settings)
    with session_scope(engine) as session:
        waiting = session.exec(
            select(sa.func.count()).select_from(Item).where(Item.event_id == None)  # noqa: E711
        ).one()
        in_database = dict(session.exec(select(Item.id, Item.seq)).all())
    engine.dispose()
    assert waiting == 0, "every item is grouped into an event after the re-run"
    # The index equals the database: no item missing, none twice, none stale.
    assert search.indexed_items(settings) == in_database
