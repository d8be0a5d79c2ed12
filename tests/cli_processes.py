"""What the tests of concurrent commands share: `tracker` as real processes on one
database, and a comparable picture of what a store holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import tracker

# The tree whose `tracker` the tests import: the processes run the same code.
TREE = Path(tracker.__file__).resolve().parent.parent


def tracker_env(home: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        {
            "TRACKER_HOME": str(home),
            "TRACKER_DATABASE_URL": database_url,
            "PYTHONPATH": str(TREE),
            "COLUMNS": "200",
            # Event grouping breaks ties between equally scored neighbours in set
            # order, which follows the string hash: runs are compared under one seed.
            "PYTHONHASHSEED": "18",
            **extra,
        }
    )
    return env


def _as_at_a_terminal() -> None:
    """Ctrl+C (SIGINT) stops the command as it would at a terminal: a test run
    started in the background by a non-interactive shell (as CI may be) has
    SIGINT ignored, and a child inherits that, so Python never turns it into
    KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.Popen[str]:
    """`tracker ARGS...` started in the background; read it with `finish`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", *args],
        preexec_fn=_as_at_a_terminal,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
        process.stdin = None  # written and closed: `communicate` must not touch it
    return process


def finish(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    """Wait for a started command: (exit code, stdout, stderr)."""
    assert process.stdout is not None and process.stderr is not None
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    return finish(start(env, *args, stdin=stdin))


def store_picture(database_url: str) -> dict[str, Any]:
    """Everything a reader could tell two stores apart by, without ids or clock times:
    items (by source guid), their tags, which items share an event and its
    headline, bills, sequence numbers given out, events with no items."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as db:
            guid = dict(db.execute(sa.text("SELECT item_id, guid FROM itemsource")).all())
            items = sorted(
                (guid[row.id], row.title, row.content_hash, row.doc_type, row.seq)
                for row in db.execute(sa.text("SELECT * FROM item"))
            )
            tags = sorted(
                (guid[row.item_id], row.slug, row.origin, row.status)
                for row in db.execute(sa.text("SELECT * FROM itemtag"))
            )
            members: dict[int, list[str]] = {}
            for item_id, event_id in db.execute(sa.text("SELECT id, event_id FROM item")):
                members.setdefault(event_id, []).append(guid[item_id])
            headlines = dict(db.execute(sa.text("SELECT id, headline FROM event")).all())
            events = sorted(
                (headlines.get(event_id, "(waiting)"), tuple(sorted(m)))
                for event_id, m in members.items()
            )
            empty = db.execute(
                sa.text("SELECT COUNT(*) FROM event WHERE id NOT IN "
                        "(SELECT event_id FROM item WHERE event_id IS NOT NULL)")
            ).scalar_one()  # fmt: skip
            bills = sorted(db.execute(sa.text("SELECT key, stage FROM bill")).all())
            top = db.execute(sa.text("SELECT value FROM counter WHERE name = 'item_seq'"))
            return {
                "items": items,
                "tags": tags,
                "events": events,
                "empty_events": empty,
                "bills": [tuple(b) for b in bills],
                "seq": top.scalar_one(),
            }
    finally:
        engine.dispose()
