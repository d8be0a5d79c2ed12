"""Calendar speed: a busy topic's `.ics` and HTML calendar over HTTP on a 100,000-item store.

    python bench/calendars.py [--items 100000] [--entries 5000] [--rounds 60] [--db PATH]

Fills a SQLite database (migrated by `tracker init`) with the generated corpus
of bench/pages_corpus.py (items, tags, events, bills with actions), then:

1. times the backfill that migration 0012 runs (`calendar_sync.backfill`) over
   the whole store, wall and CPU;
2. tops the calendar up to `--entries` entries on random hearing, rule, notice
   and bill items (a fifth timed, the rest all-day; a tenth cancelled), dated
   from a year back to a year ahead;
3. serves the app from a separate process (werkzeug, one thread) on
   127.0.0.1 and fetches, interleaved round after round so machine noise hits
   all alike: the busiest topic's `calendar.ics` (whole, as a calendar app
   polling without validators gets it; right after one of its entries changed,
   so written anew; and answered 304 with `If-None-Match`), its HTML
   calendar, `/calendar.ics` and `/calendar` for everything, and the same
   topic's Atom feed as the reference listing.

Prints a markdown table: p50 and p95 wall time per request (client side, over
HTTP) and the server process's CPU per request (from /proc), side by side.
Target: the busy topic's calendar, .ics and HTML, p95 at or under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import mkdtemp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from pages_corpus import fill  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.models import CalendarEntry, Item, ItemTag, table_of  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402
from tracker.store.calendar_sync import backfill  # noqa: E402

KINDS = {"hearing": ("hearing", "markup"), "rule": ("comments-close", "effective"),
         "notice": ("comments-close", "effective"), "bill": ("markup", "hearing")}  # fmt: skip
SERVER = (
    "import sys; from werkzeug.serving import run_simple; from app import app; "
    "run_simple('127.0.0.1', int(sys.argv[1]), app, threaded=False)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--db", type=Path, help="SQLite file to fill or reuse")
    args = parser.parse_args()
    home = args.db.parent if args.db else Path(mkdtemp(prefix="tracker-calendar-"))
    db = args.db or home / "tracker.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_HOME=str(home), TRACKER_DATABASE_URL=f"sqlite:///{db}",
               TRACKER_RATE_LISTING="1000000/minute")  # fmt: skip
    pipeline = Pipeline(Settings.from_env(env))
    pipeline.init()
    engine = pipeline.engine
    with engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(table_of(Item))).scalar_one()
    if have < args.items:
        started = time.perf_counter()
        fill(engine, args.items, random.Random(5), datetime.now(UTC))
        print(f"filled {args.items:,} items in {time.perf_counter() - started:.1f} s")
    wall, cpu = time.perf_counter(), time.process_time()
    with engine.begin() as conn:
        written = backfill(conn)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"backfill over the store: {written:,} entries in {wall:.2f} s wall, {cpu:.2f} s CPU")
    topic = top_up(engine, args.entries)
    engine.dispose()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        measure(base, server.pid, topic, args.rounds, db)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.db:
            shutil.rmtree(home, ignore_errors=True)


def top_up(engine: sa.Engine, target: int) -> str:
    """Calendar entries up to `target`; returns the topic with the most of them."""
    rng = random.Random(11)
    entry, item = table_of(CalendarEntry), table_of(Item).c
    now = datetime.now(UTC).replace(microsecond=0)
    with engine.begin() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(entry)).scalar_one()
        candidates = conn.execute(
            sa.select(item.id, item.doc_type, item.title, item.sample)
            .where(item.doc_type.in_(list(KINDS)))
        ).all()  # fmt: skip
        rows = []
        for n in range(max(0, target - have)):
            item_id, doc_type, title, sample = rng.choice(candidates)
            kind = rng.choice(KINDS[doc_type])
            start = now + timedelta(days=rng.uniform(-365, 365))
            timed = rng.random() < 0.2
            start = start.replace(minute=0, second=0) if timed else start.replace(
                hour=0, minute=0, second=0)  # fmt: skip
            rows.append({
                "uid": f"bench-{n}@policy-tracker", "item_id": item_id, "kind": kind,
                "summary": f"{kind}: {title}", "day": start.date(), "starts_at": start,
                "all_day": not timed, "status": "cancelled" if rng.random() < 0.1 else "confirmed",
                "sequence": 0, "created_at": now, "modified_at": now, "sample": sample,
            })  # fmt: skip
        if rows:
            conn.execute(sa.insert(entry), rows)
        tag = table_of(ItemTag).c
        counts = conn.execute(
            sa.select(tag.slug, sa.func.count())
            .join(entry, entry.c.item_id == tag.item_id)
            .where(tag.kind == "topic", tag.status != "rejected")
            .group_by(tag.slug).order_by(sa.func.count().desc())
        ).all()  # fmt: skip
    total = have + len(rows)
    print(f"calendar: {total:,} entries; busiest topic {counts[0][0]} with {counts[0][1]:,}")
    return str(counts[0][0])


def measure(base: str, pid: int, topic: str, rounds: int, db: Path) -> None:
    ics = f"/topics/{topic}/calendar.ics"
    changed = f"{ics} (an entry just changed)"
    writer = sa.create_engine(f"sqlite:///{db}")
    entry, tag = table_of(CalendarEntry).c, table_of(ItemTag).c
    with writer.connect() as conn:
        in_topic = list(conn.execute(
            sa.select(entry.id).join(table_of(ItemTag), tag.item_id == entry.item_id)
            .where(tag.slug == topic, entry.starts_at >= datetime.now(UTC))
        ).scalars())  # fmt: skip
    with httpx.Client(base_url=base, timeout=60) as client:
        etag = client.get(ics).headers["ETag"]
        paths = {
            f"{ics} (whole, unchanged)": (ics, {}),
            changed: (ics, {}),
            f"{ics} (304)": (ics, {"If-None-Match": etag}),
            f"/topics/{topic}/calendar (HTML)": (f"/topics/{topic}/calendar", {}),
            "/calendar.ics (fresh)": ("/calendar.ics", {}),
            "/calendar (HTML)": ("/calendar", {}),
            f"/topics/{topic}.atom (reference feed)": (f"/topics/{topic}.atom", {}),
        }
        for path, headers in paths.values():  # warm every view once
            client.get(path, headers=headers)
        walls: dict[str, list[float]] = {name: [] for name in paths}
        cpus: dict[str, list[float]] = {name: [] for name in paths}
        sizes: dict[str, int] = {}
        etags = {ics: etag}
        for n in range(rounds):
            for name, (path, headers) in paths.items():
                if name == changed:
                    touch(writer, in_topic[n % len(in_topic)])
                if "If-None-Match" in headers:  # the copy a subscriber holds now
                    headers = {"If-None-Match": etags[path]}
                cpu = server_cpu(pid)
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                walls[name].append((time.perf_counter() - started) * 1000)
                cpus[name].append((server_cpu(pid) - cpu) * 1000)
                assert response.status_code in (200, 304), (path, response.status_code)
                if response.status_code == 200 and "ETag" in response.headers:
                    etags[path] = response.headers["ETag"]
                sizes[name] = len(response.content)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\n{rounds} rounds, one request of each per round, one server thread; "
          f"load average {' '.join(load)} on {os.cpu_count()} cores\n")  # fmt: skip
    print("| request | bytes | wall p50 ms | wall p95 ms | server CPU p50 ms | server CPU p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in paths:
        w, c = walls[name], cpus[name]
        print(f"| {name} | {sizes[name]:,} | {statistics.median(w):.1f} | {p95(w):.1f} "
              f"| {statistics.median(c):.0f} | {p95(c):.0f} |")  # fmt: skip


def touch(engine: sa.Engine, entry_id: int) -> None:
    """One entry changed (a new SEQUENCE and LAST-MODIFIED), as a re-ingest would."""
    entry = table_of(CalendarEntry).c
    with engine.begin() as conn:
        conn.execute(
            sa.update(table_of(CalendarEntry)).where(entry.id == entry_id).values(
                sequence=entry.sequence + 1, modified_at=datetime.now(UTC)
            )
        )  # fmt: skip


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def server_cpu(pid: int) -> float:
    """The server process's user and system CPU seconds so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/calendar.ics", timeout=30).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
