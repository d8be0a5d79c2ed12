"""Server time of the site's main pages at scale.

    python bench/pages.py [--items 100000] [--db PATH] [--rounds 40] [--before TREE]

Fills a SQLite database (migrated by `tracker init`, so with the real tables
and indexes) with generated items: realistic titles and text, tags with
evidence over the taxonomy's slugs, events of one to fifteen items, a few bills
with actions and the items that name them, across two years and some forty
sources. Rows go in by bulk inserts into the real tables. Then each page is
fetched warm through the Flask test client and the median and 95th percentile
server times are printed (warm), with the first request's time (cold: it
computes the aggregates that are then remembered until any item changes).
Then, for each page, one item is changed (a new sequence number, as any edit
or re-fetch gives) and the first request after it is timed: what a reader
waits for when the remembered aggregates have just been dropped.
Target: p95 under 100 ms for each page, the first request after a change
under 300 ms.

The pages include the search page (on the index under the database's folder,
built with `tracker search rebuild` or `--index`), the sources page, a
source's timeline, each feed format and the API's listings.

With `--before TREE` the same measurement runs first on another checkout's
code (e.g. main's `/work/main`, in a subprocess with that tree first on
sys.path) against the same database, and both are printed in one table.
A page the other tree does not have shows its status (404).

A database given with --db that already holds the items is reused (and kept);
without --db a temporary one is made and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp

ROOT = Path(__file__).resolve().parent.parent
# `--code TREE` (used by --before): that checkout's tracker instead of this one's.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

import sqlalchemy as sa  # noqa: E402
from pages_corpus import fill  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.models import Item  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402
from tracker.web import create_app  # noqa: E402

Figures = dict[str, dict[str, float]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="SQLite file to fill or reuse")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout to measure first")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index", action="store_true", help="build the search index first")
    args = parser.parse_args()
    home = args.db.parent if args.db else Path(mkdtemp(prefix="tracker-bench-"))
    db = args.db or home / "tracker.db"
    # The site's rate limits are for clients; the bench is one client asking hundreds of times.
    lots = "1000000/minute"
    env = {"TRACKER_HOME": str(home), "TRACKER_DATABASE_URL": f"sqlite:///{db}"}
    env |= {f"TRACKER_RATE_{k}": lots for k in ("SEARCH", "API", "LISTING", "EXPORT")}
    settings = Settings.from_env(env)
    pipeline = Pipeline(settings)
    pipeline.init()
    with pipeline.engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(Item.__table__)).scalar_one()
    now = datetime.now(UTC)
    if have < args.items:
        started = time.perf_counter()
        fill(pipeline.engine, args.items, random.Random(args.seed), now)
        print(f"filled {args.items:,} items in {time.perf_counter() - started:.1f} s ({db})")
    elif not args.json:
        print(f"reusing {have:,} items in {db}")
    if args.index:
        from tracker import search

        started = time.perf_counter()
        search.rebuild(settings, pipeline.engine)
        print(f"indexed in {time.perf_counter() - started:.1f} s")
    if args.json:  # a --before run: figures for the caller
        print(json.dumps(measure(settings, pipeline.engine, args.rounds)))
        pipeline.engine.dispose()
        return
    with db.open("rb") as f:  # the file in the page cache for both trees alike
        while f.read(1 << 24):
            pass
    pipeline.engine.dispose()  # no connection of ours open while the other tree runs
    before = _before(args.before, db, args.rounds) if args.before else None
    after = measure(settings, pipeline.engine, args.rounds)
    table(after, before, args.before)
    pipeline.engine.dispose()
    if not args.db:
        shutil.rmtree(home, ignore_errors=True)


def _before(tree: Path, db: Path, rounds: int) -> Figures:
    """The same measurement on `tree`'s code, in a subprocess, on the same database."""
    command = [sys.executable, str(Path(__file__).resolve()), "--code", str(tree),
               "--db", str(db), "--rounds", str(rounds), "--json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the run on {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def pages(item_id: int) -> list[tuple[str, str]]:
    """(name, path) of every page type timed."""
    return [
        ("home", "/"),
        ("topic timeline", "/topics/export-controls"),
        ("topic, oldest first", "/topics/export-controls?order=oldest"),
        ("topic, filtered", "/topics/distillation?type=letter&from=2026-01-01"),
        ("entity timeline", "/entities/alibaba"),
        ("rare entity", "/entities/iaps"),
        ("type timeline", "/types/letter"),
        ("source timeline", "/sources/bench-outlet-4"),
        ("bill", "/bills/119/hr8283"),
        ("item", f"/items/{item_id}"),
        ("search", "/search?q=distillation+Alibaba"),
        ("sources", "/sources"),
        ("topic RSS", "/topics/export-controls.rss"),
        ("topic Atom", "/topics/export-controls.atom"),
        ("topic JSON Feed", "/topics/export-controls.json"),
        ("topic CSV", "/topics/distillation.csv?from=2026-06-01"),
        ("all items Atom", "/items.atom"),
        ("API items", "/api/v1/items?topic=export-controls"),
        ("API timeline", "/api/v1/timelines/topics/export-controls"),
    ]


def measure(settings: Settings, engine: sa.Engine, rounds: int) -> Figures:
    """Per page: first request, warm median and p95 (wall and CPU), first after a change."""
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    with engine.connect() as conn:
        item_id = conn.execute(sa.select(sa.func.max(Item.__table__.c.id))).scalar_one() // 2
    app = create_app({"SETTINGS": settings, "TESTING": True})
    client = app.test_client()
    found: dict[str, dict[str, float]] = {}
    for n, (name, path) in enumerate(pages(item_id)):
        # The first request computes the aggregates remembered until items change.
        started = time.perf_counter()
        status = client.get(path).status_code
        cold = (time.perf_counter() - started) * 1000
        for _ in range(2):
            client.get(path)
        walls, cpus = [], []
        for _ in range(rounds):
            started, cpu = time.perf_counter(), _cpu()
            status = client.get(path).status_code
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((_cpu() - cpu) * 1000)
        with session_scope(engine) as session:
            bump(session, [item_id + n])  # an edit: every remembered aggregate goes
        time.sleep(1.1)  # past the version memo's one second
        started = time.perf_counter()
        client.get(path)
        changed = (time.perf_counter() - started) * 1000
        found[name] = {"path": path, "status": status, "cold": cold, "changed": changed,  # type: ignore[dict-item]
                       "median": statistics.median(walls), "p95": _p95(walls),
                       "cpu_median": statistics.median(cpus)}  # fmt: skip
    return found


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def table(after: Figures, before: Figures | None, tree: Path | None) -> None:
    """One row per page: this tree's figures, and the other tree's beside them."""
    print("\nms; wall unless marked cpu; 'after change' = first request after an item changed")
    head = f"{'page':<20} {'first':>6} {'after change':>12} {'median':>7} {'cpu':>6} {'p95':>6}"
    if before:
        print(f"{'':<20} {'this tree':^46} | {'before: ' + str(tree):^46}")
        head += f" | {'first':>6} {'after change':>12} {'median':>7} {'cpu':>6} {'p95':>6}"
    print(head + "  status")
    for name, a in after.items():
        row = _cells(a)
        status = str(a["status"])
        if before:
            b = before.get(name)
            other = f"({b['status']})" if b else "-"
            row += " | " + (_cells(b) if b and b["status"] == 200 else f"{other:>46}")
            status += f"/{b['status'] if b else '-'}"
        print(f"{name:<20} {row}  {status}")


def _cells(x: dict[str, float]) -> str:
    return (f"{x['cold']:>6.1f} {x['changed']:>12.1f} {x['median']:>7.1f} "
            f"{x['cpu_median']:>6.1f} {x['p95']:>6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
