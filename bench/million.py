"""A million items: load, index and serve a store that size, and how each cost grows.

    python bench/million.py [--sizes 10000,100000,1000000 | --items N] [--until HH:MM]
                            [--rounds 20] [--keep] [--report]

One PostgreSQL store, in a fresh schema at TRACKER_BENCH_PG (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), is grown to each size in
turn and measured there:

1. Items are generated as RSS files (bench/ingest.py's `make_feed`: 1-2 KB
   summaries, policy names about one word in fifteen, happenings covered by
   one to five reports) from 24 sources of 15 document types (bench/
   pages_corpus.py's mix), with six bills (pages_corpus's) that about 1% of
   items cite. Each slice (one file per source, up to 1,000 items each) spans
   the whole five years, so the store at every size is spread over them.
2. They are loaded through the normal pipeline: `Pipeline.ingest_file` per
   file (parse, normalise, tag with tracker/tag.py on both cores, store),
   then `Pipeline.settle(index=False)` per slice (bill links, and event
   grouping by store/events.assign_pending): what `tracker ingest` does, but
   the index, which is then rebuilt by `tracker reindex` as a process.
3. The store is served by `gunicorn -w 2` (bench/million_http.py) and timed
   over HTTP: the /search page per query class (bench/search_http.py's
   classes and a facet-heavy one; first request on a fresh server, then
   warm), every page of bench/pages.py (first request, warm p50/p95, first
   request after an item changed), a feed's 304 beside a trivial Flask app
   served the same way, and each worker's resident memory afterwards.

`--until HH:MM` (UTC) stops the growing then and measures the store as it
is: the table says the size reached. Each size's figures go to
REPORTS/million_<size>.json as soon as they are known (REPORTS is
TRACKER_BENCH_REPORTS, default /work/reports), so a crash keeps the smaller
sizes; `--report` prints the growth table from the saved files. Wall and CPU
time are both shown (the machine is shared); load CPU is this process and its
workers, not PostgreSQL's. After each step the schema's tables are vacuumed and
analysed, as autovacuum (off on the test server) would have done.
bench/million_aggregates.py times, on a kept store, each aggregate a first
request after a change recomputes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from ingest import drop_schema, fresh_database, make_feed, run  # noqa: E402
from pages_corpus import BILL_LABEL, BILLS, DOC_TYPES, _bills  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.models import Source, table_of  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402

REPORTS = Path(os.environ.get("TRACKER_BENCH_REPORTS", "/work/reports"))
SOURCES = 24
DAYS = 5 * 365
SLICE = 1000  # items per source per file
BILL_SHARE = 0.01
LOTS = "1000000/minute"  # one client asking thousands of times: the server is measured


def environment(home: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(PYTHONPATH=str(ROOT), TRACKER_HOME=str(home), TRACKER_DATABASE_URL=database)
    env |= {f"TRACKER_RATE_{k}": LOTS for k in ("SEARCH", "API", "LISTING", "EXPORT")}
    return env


def cpu_seconds() -> float:
    """CPU of this process and its finished children (the pipeline's worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def make_sources(engine: sa.Engine) -> list[str]:
    """24 RSS sources, bench-outlet-1.., of pages_corpus's document-type mix."""
    rows = [
        {"slug": f"bench-outlet-{n}", "name": f"Bench outlet {n}", "kind": "rss",
         "url": f"https://bench.example/{n}.xml", "doc_type": DOC_TYPES[n % len(DOC_TYPES)],
         "selectors": {}, "last_status": "ok", "failures": 0}
        for n in range(1, SOURCES + 1)
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(sa.insert(table_of(Source)), rows)
        _bills(conn, random.Random(3), datetime.now(UTC))
    return [r["slug"] for r in rows]


def cite_bills(feed: bytes, rng: random.Random) -> bytes:
    """About BILL_SHARE of the entries name one of the stored bills in their lede."""
    parts = feed.split(b"</title><link>")
    for n in range(1, len(parts)):
        if rng.random() < BILL_SHARE:
            _, kind, number, _ = rng.choice(BILLS)
            parts[n] = f" ({BILL_LABEL[kind]} {number})".encode() + parts[n]
    return b"</title><link>".join(parts)


class Loader:
    """Adds items to the store in slices; each slice spans the whole five years.

    A slice is one RSS file per source (up to SLICE items each, spread over the
    five years), then a settle: any prefix of slices is spread evenly over the
    years, so the store grows from one measured size to the next by filling in,
    as a backfill would, and the sizes are measured on one store.
    """

    def __init__(self, pipeline: Pipeline, slugs: list[str], work: Path) -> None:
        self.pipeline, self.slugs, self.work = pipeline, slugs, work
        self.slices = 0  # files of different slices never share a guid or link
        self.start = datetime.now(UTC) - timedelta(days=DAYS)
        self.rng = random.Random(11)

    def grow(self, have: int, target: int, until: datetime | None, say) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        """Items up to `target` (fewer if `until` passes first); the figures of the step."""
        spent = {"generate": 0.0, "ingest": 0.0, "settle": 0.0}
        cpu = {"ingest": 0.0, "settle": 0.0}
        progress: list[tuple[int, float, float, float]] = []  # items, wall, ingest, grouping
        wall0, cpu0, done = time.perf_counter(), cpu_seconds(), have
        while done < target and (until is None or datetime.now(UTC) < until):
            step = min(SOURCES * SLICE, target - done)
            k, self.slices = self.slices, self.slices + 1
            for s, slug in enumerate(self.slugs):
                count = step // SOURCES + (s < step % SOURCES)
                if count <= 0:
                    continue
                t = time.perf_counter()
                begin = self.start + timedelta(hours=(k * 7 + s) % 24, minutes=k % 60)
                feed = make_feed(count, count / DAYS, seed=k * 1000 + s, start=begin,
                                 ids=f"{s}-{k}-")  # fmt: skip
                path = self.work / f"{slug}-{k}.xml"
                path.write_bytes(cite_bills(feed, self.rng))
                spent["generate"] += time.perf_counter() - t
                t, c = time.perf_counter(), cpu_seconds()
                outcome = self.pipeline.ingest_file(path, slug)
                if outcome.status != "ok":
                    raise SystemExit(f"ingest of {path} failed: {outcome.error}")
                spent["ingest"] += time.perf_counter() - t
                cpu["ingest"] += cpu_seconds() - c
                path.unlink()
            t, c = time.perf_counter(), cpu_seconds()
            self.pipeline.settle(index=False)
            spent["settle"] += time.perf_counter() - t
            cpu["settle"] += cpu_seconds() - c
            done += step
            wall = time.perf_counter() - wall0
            progress.append((done, wall, spent["ingest"], spent["settle"]))
            say(f"  {done:,} items; this step {done - have:,} in {wall:.0f} s "
                f"({(done - have) / wall:.0f}/s; ingest {spent['ingest']:.0f} s, "
                f"grouping {spent['settle']:.0f} s)")  # fmt: skip
        wall, total_cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
        added = done - have
        return {"added": added, "load_wall": wall, "load_cpu": total_cpu,
                "load_rate": added / wall, "load_rate_cpu": added / total_cpu,
                "generate_wall": spent["generate"], "ingest_wall": spent["ingest"],
                "ingest_cpu": cpu["ingest"], "group_wall": spent["settle"],
                "group_cpu": cpu["settle"], "progress": progress}  # fmt: skip


def vacuum(engine: sa.Engine) -> None:
    """VACUUM ANALYZE the schema's tables, as autovacuum would have by then (it is off on
    the test server): without statistics the planner guesses, and without the visibility
    map no index-only scan is possible."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )).scalars().all()  # fmt: skip
        for table in tables:
            conn.execute(sa.text(f'VACUUM ANALYZE "{table}"'))


def disk(engine: sa.Engine, index: Path) -> dict[str, float]:
    """Bytes of the schema's tables with their indexes and TOAST, and of the index folder."""
    with engine.connect() as conn:
        db = conn.execute(sa.text(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
        )).scalar_one()  # fmt: skip
    files = sum(f.stat().st_size for f in index.rglob("*") if f.is_file())
    return {"db_bytes": float(db), "index_bytes": float(files)}


def run_sizes(sizes: list[int], rounds: int, keep: bool, until: datetime | None) -> None:
    """One store, grown to each size in turn and measured there."""
    from million_http import measure_http

    def say(text: str) -> None:
        print(text, flush=True)

    home = Path(tempfile.mkdtemp(prefix="million-"))
    database, schema = fresh_database("postgresql")
    env = environment(home, database)
    settings = Settings.from_env(env)
    pipeline = Pipeline(settings)
    try:
        pipeline.init()
        loader = Loader(pipeline, make_sources(pipeline.engine), home)
        say(f"schema {schema}, home {home}, URL {database}")
        have = 0
        for size in sizes:
            result: dict[str, Any] = {"requested": size, "started": datetime.now(UTC).isoformat()}
            result.update(loader.grow(have, size, until, say))
            with pipeline.engine.connect() as conn:
                stored = conn.execute(sa.text("SELECT count(*) FROM item")).scalar_one()
            # Another source's copy of a URL would be one item, not two: none are made.
            if stored < (have + result["added"]) * 0.95:
                raise SystemExit(f"only {stored:,} items stored")
            have = result["size"] = stored
            if stored < size:
                say(f"  stopped at {stored:,} items: {until:%H:%M} UTC passed")
            save(size, result)
            vacuum(pipeline.engine)
            reindex = run([sys.executable, "-m", "tracker.cli", "reindex"], env)
            result.update(index_wall=reindex.wall, index_cpu=reindex.cpu)
            result.update(index_rate=stored / reindex.wall, index_rate_cpu=stored / reindex.cpu)
            result.update(disk(pipeline.engine, settings.index_dir))
            say(f"  {stored:,} items indexed in {reindex.wall:.0f} s (CPU {reindex.cpu:.0f} s)")
            save(size, result)
            pipeline.engine.dispose()
            result.update(measure_http(env, pipeline.engine, rounds, say))
            result["load_average"] = os.getloadavg()[0]
            save(size, result)
            if stored < size:
                break
    finally:
        pipeline.engine.dispose()
        if not keep:
            drop_schema(schema)
            shutil.rmtree(home, ignore_errors=True)
        else:
            say(f"kept: schema {schema}, home {home}")


def save(items: int, result: dict[str, object]) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"million_{items}.json").write_text(json.dumps(result, indent=1, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000", help="comma-separated item counts")
    parser.add_argument("--items", type=int, help="one size (instead of --sizes)")
    parser.add_argument("--rounds", type=int, default=20, help="warm requests per page/query")
    parser.add_argument("--keep", action="store_true", help="keep the schema and index")
    parser.add_argument("--report", action="store_true", help="print the table of saved runs")
    parser.add_argument("--until", help="HH:MM UTC: stop growing then, and measure what is there")
    args = parser.parse_args()
    sizes = [args.items] if args.items else [int(s) for s in args.sizes.split(",")]
    until = None
    if args.until:
        hour, minute = (int(x) for x in args.until.split(":"))
        until = datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    if not args.report:
        run_sizes(sorted(sizes), args.rounds, args.keep, until)
    from million_table import print_table

    # A bulk-filled store of a size (bench/million_bulk.py) is shown beside the pipeline's.
    names = [name for s in sorted(sizes) for name in (f"million_{s}", f"million_bulk_{s}")]
    print_table([REPORTS / f"{name}.json" for name in names])


if __name__ == "__main__":
    main()
