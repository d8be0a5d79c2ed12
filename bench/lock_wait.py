"""How long `tracker create-user` waits while a large ingest groups its items into
events, with the code in --before and with this tree, in one run.

    git worktree add --detach /tmp/before main      # the code to compare with
    python bench/lock_wait.py --before /tmp/before [--entries 10000] [--tries 5]

For each side, on a fresh SQLite home: `tracker init`, then `tracker ingest`
of one generated feed (tests/feed_maker.py: stories of one to four reports);
as soon as every item is stored (grouping starts), `tracker create-user` is
run again and again, one after the other, while items still wait for their
events, up to `--tries` runs. Then, with nothing else running, create-user `--tries` times more:
what the command costs alone. The table gives the whole command as a user
waits for it (wall seconds, and CPU seconds beside it: the machine is
shared), how many runs failed ("database is locked"), the ingest's own wall
and CPU time, and how long grouping ran. Waiting = during - alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import mkdtemp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from feed_maker import write_feed  # noqa: E402

PASSWORD = "a long enough password\n"


@dataclass
class Side:
    name: str
    tree: Path
    during: list[float] = field(default_factory=list)
    during_cpu: list[float] = field(default_factory=list)
    failed: int = 0
    alone: list[float] = field(default_factory=list)
    alone_cpu: list[float] = field(default_factory=list)
    ingest_wall: float = 0.0
    ingest_cpu: float = 0.0
    grouping: float = 0.0


def env_for(tree: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update({"TRACKER_HOME": str(home), "PYTHONPATH": str(tree), "COLUMNS": "200"})
    return env


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tracker(tree: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> int:
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=tree, timeout=3600,
    ).returncode  # fmt: skip


def waiting_items(db: Path) -> tuple[int, int]:
    """(items stored, items without an event) as another reader sees them now."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        row = conn.execute("SELECT COUNT(*), COUNT(*) - COUNT(event_id) FROM item").fetchone()
    return int(row[0]), int(row[1])


def watch_grouping(db: Path, grouped_at: list[float]) -> None:
    """Note when no item waits for an event any more (a reader sees the commit)."""
    while waiting_items(db)[1] > 0:
        time.sleep(0.1)
    grouped_at.append(time.perf_counter())


def reaped(pid: int) -> resource.struct_rusage | None:
    """The ended child's resource usage, or None while it runs."""
    done, _, usage = os.wait4(pid, os.WNOHANG)
    return usage if done else None


def timed_create_user(side: Side, env: dict[str, str], name: str) -> tuple[float, float, int]:
    cpu, started = children_cpu(), time.perf_counter()
    code = tracker(side.tree, env, "create-user", name, "--password-stdin", stdin=PASSWORD)
    return time.perf_counter() - started, children_cpu() - cpu, code


def measure(side: Side, feed: Path, entries: int, tries: int) -> None:
    home = Path(mkdtemp(prefix=f"lock-wait-{side.name}-"))
    env, db = env_for(side.tree, home), home / "tracker.db"
    try:
        tracker(side.tree, env, "init")
        started = time.perf_counter()
        ingest = subprocess.Popen(
            [sys.executable, "-m", "tracker.cli", "ingest", str(feed), "--source", "wire"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=side.tree,
        )  # fmt: skip
        usage = None
        while (usage := reaped(ingest.pid)) is None and waiting_items(db)[0] < entries:
            time.sleep(0.05)
        grouping_from = time.perf_counter()
        grouped_at: list[float] = []
        watcher = threading.Thread(target=watch_grouping, args=(db, grouped_at), daemon=True)
        watcher.start()
        # Only while items still wait for events: the index catch-up that follows
        # holds no database lock.
        while usage is None and not grouped_at and len(side.during) + side.failed < tries:
            name = f"during{len(side.during) + side.failed}"
            wall, cpu, code = timed_create_user(side, env, name)
            if code == 0:
                side.during.append(wall)
                side.during_cpu.append(cpu)
            else:
                side.failed += 1
            usage = reaped(ingest.pid)
        while usage is None:
            time.sleep(0.05)
            usage = reaped(ingest.pid)
        watcher.join()
        ingest.returncode = 0  # reaped here, with its resource usage
        side.ingest_wall = time.perf_counter() - started
        side.grouping = (grouped_at[0] if grouped_at else time.perf_counter()) - grouping_from
        side.ingest_cpu = usage.ru_utime + usage.ru_stime
        for n in range(tries):
            wall, cpu, code = timed_create_user(side, env, f"alone{n}")
            if code == 0:
                side.alone.append(wall)
                side.alone_cpu.append(cpu)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


def most(values: list[float]) -> str:
    return f"{max(values):.2f}" if values else "-"


def side_row(s: Side) -> tuple[str, ...]:
    waiting = "-"
    if s.during and s.alone:
        waiting = f"{statistics.median(s.during) - statistics.median(s.alone):.2f}"
    return (
        s.name, str(len(s.during)), str(s.failed), median(s.during), most(s.during),
        median(s.during_cpu), median(s.alone), waiting,
        f"{s.ingest_wall:.1f}", f"{s.ingest_cpu:.1f}", f"{s.grouping:.1f}",
    )  # fmt: skip


def table(sides: list[Side], entries: int) -> None:
    print(f"\ncreate-user while `tracker ingest` groups {entries:,} generated items (SQLite)\n")
    heads = (
        "code", "runs during", "failed", "during p50 s", "during max s", "CPU p50 s",
        "alone p50 s", "waiting p50 s", "ingest wall s", "ingest CPU s", "grouping s",
    )  # fmt: skip
    rows = [side_row(s) for s in sides]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    print(" | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="tree of the code to compare")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    work = Path(mkdtemp(prefix="lock-wait-"))
    feed = write_feed(work / "large.xml", args.entries)
    sides = [Side("before", args.before.resolve()), Side("after", ROOT)]
    try:
        for side in sides:
            print(f"{side.name}: {side.tree}", file=sys.stderr)
            measure(side, feed, args.entries, args.tries)
            print(" | ".join(side_row(side)), file=sys.stderr)  # kept if a later side fails
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table(sides, args.entries)


if __name__ == "__main__":
    main()
