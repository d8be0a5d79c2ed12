"""A million items: load, index and serve a store that size, and how each cost grows.

    python bench/million.py [--sizes 10000,100000,1000000 | --items N] [--report]

For each size, in a fresh PostgreSQL schema at TRACKER_BENCH_PG (default
postgresql+psycopg://postgres@127.0.0.1:5432/test):

1. Generates the items as RSS files (bench/ingest.py's `make_feed`: 1-2 KB
   summaries, policy names about one word in fifteen, happenings covered by
   one to five reports) from 24 sources of 15 document types (bench/
   pages_corpus.py's mix), spread evenly over the last five years, with six
   bills (pages_corpus's) that about 1% of items cite.
2. Loads them through the normal pipeline, oldest first, in slices of about
   1,000 items per source: `Pipeline.ingest_file` for each source's file
   (parse, normalise, tag with tracker/tag.py on both cores, store), then
   `Pipeline.settle(index=False)` (bill links, and event grouping with
   store/events.assign_pending), exactly what `tracker ingest` does but the
   index, which is then built once by `tracker reindex` as a process.
3. Serves the store with `gunicorn -w 2` (bench/million_http.py) and times,
   over HTTP, the /search page per query class (bench/search_http.py's
   classes and a facet-heavy one; first request on a fresh server, then
   warm), every page of bench/pages.py (first request, warm p50/p95, first
   request after an item changed), a feed's 304 beside a trivial Flask app
   served the same way, and each worker's resident memory afterwards.

Each size's figures go to REPORTS/million_<size>.json as soon as they are
known, so a crash at a larger size keeps the smaller ones; `--report` prints
the growth table from the saved files. Wall and CPU time are both shown (the
machine is shared); load CPU is this process and its workers, not PostgreSQL's.
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


def load(pipeline: Pipeline, slugs: list[str], items: int, work: Path, say) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Every source's files, oldest slice first, each slice then settled (grouped)."""
    per_source = [items // SOURCES + (n < items % SOURCES) for n in range(SOURCES)]
    per_day = max(per_source) / DAYS
    start = datetime.now(UTC) - timedelta(days=DAYS)
    spent = {"generate": 0.0, "ingest": 0.0, "settle": 0.0}
    cpu = {"ingest": 0.0, "settle": 0.0}
    rng = random.Random(11)
    progress: list[tuple[int, float, float, float]] = []  # items, wall, ingest, grouping
    wall0, cpu0 = time.perf_counter(), cpu_seconds()
    for k in range(-(-max(per_source) // SLICE)):
        for s, slug in enumerate(slugs):
            count = min(SLICE, per_source[s] - k * SLICE)
            if count <= 0:
                continue
            t = time.perf_counter()
            begin = start + timedelta(days=k * SLICE / per_day, hours=s)
            feed = make_feed(count, per_day, seed=k * 1000 + s, start=begin, ids=f"{k}-")
            path = work / f"{slug}-{k}.xml"
            path.write_bytes(cite_bills(feed, rng))
            spent["generate"] += time.perf_counter() - t
            t, c = time.perf_counter(), cpu_seconds()
            outcome = pipeline.ingest_file(path, slug)
            if outcome.status != "ok":
                raise SystemExit(f"ingest of {path} failed: {outcome.error}")
            spent["ingest"] += time.perf_counter() - t
            cpu["ingest"] += cpu_seconds() - c
            path.unlink()
        t, c = time.perf_counter(), cpu_seconds()
        pipeline.settle(index=False)
        spent["settle"] += time.perf_counter() - t
        cpu["settle"] += cpu_seconds() - c
        done = sum(min(p, (k + 1) * SLICE) for p in per_source)
        wall = time.perf_counter() - wall0
        progress.append((done, wall, spent["ingest"], spent["settle"]))
        say(f"  {done:,} items in {wall:.0f} s ({done / wall:.0f}/s; ingest "
            f"{spent['ingest']:.0f} s, grouping {spent['settle']:.0f} s)")  # fmt: skip
    wall, total_cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    return {"items": items, "load_wall": wall, "load_cpu": total_cpu,
            "load_rate": items / wall, "load_rate_cpu": items / total_cpu,
            "generate_wall": spent["generate"], "ingest_wall": spent["ingest"],
            "ingest_cpu": cpu["ingest"], "group_wall": spent["settle"],
            "group_cpu": cpu["settle"], "progress": progress}  # fmt: skip


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


def run_size(items: int, rounds: int, keep: bool) -> dict[str, object]:
    from million_http import measure_http

    def say(text: str) -> None:
        print(text, flush=True)

    home = Path(tempfile.mkdtemp(prefix=f"million-{items}-"))
    database, schema = fresh_database("postgresql")
    env = environment(home, database)
    settings = Settings.from_env(env)
    pipeline = Pipeline(settings)
    result: dict[str, object] = {"size": items, "started": datetime.now(UTC).isoformat()}
    try:
        pipeline.init()
        slugs = make_sources(pipeline.engine)
        say(f"{items:,} items: loading into schema {schema}, home {home}")
        result.update(load(pipeline, slugs, items, home, say))
        save(items, result)
        reindex = run([sys.executable, "-m", "tracker.cli", "reindex"], env)
        result.update(index_wall=reindex.wall, index_cpu=reindex.cpu)
        result.update(index_rate=items / reindex.wall, index_rate_cpu=items / reindex.cpu)
        result.update(disk(pipeline.engine, settings.index_dir))
        say(f"  indexed in {reindex.wall:.0f} s (CPU {reindex.cpu:.0f} s)")
        save(items, result)
        pipeline.engine.dispose()
        result.update(measure_http(env, pipeline.engine, rounds, say))
        result["load_average"] = os.getloadavg()[0]
        save(items, result)
    finally:
        pipeline.engine.dispose()
        if not keep:
            drop_schema(schema)
            shutil.rmtree(home, ignore_errors=True)
        else:
            say(f"  kept: schema {schema}, home {home}")
    return result


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
    args = parser.parse_args()
    sizes = [args.items] if args.items else [int(s) for s in args.sizes.split(",")]
    if not args.report:
        for size in sizes:
            run_size(size, args.rounds, args.keep)
    from million_table import print_table

    print_table([REPORTS / f"million_{s}.json" for s in sizes])


if __name__ == "__main__":
    main()
