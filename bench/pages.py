"""Server time of the site's main pages at scale.

    python bench/pages.py [--items 100000] [--db PATH] [--rounds 40]

Fills a SQLite database (migrated by `tracker init`, so with the real tables
and indexes) with generated items: realistic titles and text, tags with
evidence over the taxonomy's slugs, events of one to fifteen items, a few bills
with actions and the items that name them, across two years and some forty
sources. Rows go in by bulk inserts into the real tables. Then each page is
fetched warm through the Flask test client and the median and 95th percentile
server times are printed (warm), with the first request's time (cold: it
computes the aggregates that are then remembered until any item changes).
Target: p95 under 100 ms for each page.

A database given with --db that already holds the items is reused (and kept);
without --db a temporary one is made and removed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from pages_corpus import fill  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.models import Item  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402
from tracker.web import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="SQLite file to fill or reuse")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    home = args.db.parent if args.db else Path(mkdtemp(prefix="tracker-bench-"))
    db = args.db or home / "tracker.db"
    settings = Settings.from_env(
        {"TRACKER_HOME": str(home), "TRACKER_DATABASE_URL": f"sqlite:///{db}"}
    )
    pipeline = Pipeline(settings)
    pipeline.init()
    with pipeline.engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(Item.__table__)).scalar_one()
    now = datetime.now(UTC)
    if have < args.items:
        started = time.perf_counter()
        fill(pipeline.engine, args.items, random.Random(args.seed), now)
        print(f"filled {args.items:,} items in {time.perf_counter() - started:.1f} s ({db})")
    else:
        print(f"reusing {have:,} items in {db}")
    measure(settings, pipeline.engine, args.rounds)
    pipeline.engine.dispose()
    if not args.db:
        shutil.rmtree(home, ignore_errors=True)


def measure(settings: Settings, engine: sa.Engine, rounds: int) -> None:
    """Median and p95 server time of each page, warm."""
    with engine.connect() as conn:
        item_id = conn.execute(sa.select(sa.func.max(Item.__table__.c.id))).scalar_one() // 2
    app = create_app({"SETTINGS": settings, "TESTING": True})
    client = app.test_client()
    pages = [
        ("home", "/"),
        ("topic timeline", "/topics/export-controls"),
        ("topic, filtered", "/topics/distillation?type=letter&from=2026-01-01"),
        ("entity timeline", "/entities/alibaba"),
        ("rare entity", "/entities/iaps"),
        ("bill", "/bills/119/hr8283"),
        ("item", f"/items/{item_id}"),
    ]
    print(f"\n{'page':<18} {'cold ms':>8} {'median ms':>10} {'p95 ms':>8}  status  path")
    for name, path in pages:
        # The first request computes the aggregates remembered until items change.
        started = time.perf_counter()
        client.get(path)
        cold = (time.perf_counter() - started) * 1000
        for _ in range(2):
            client.get(path)
        times = []
        status = 0
        for _ in range(rounds):
            started = time.perf_counter()
            status = client.get(path).status_code
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        median = statistics.median(times)
        print(f"{name:<18} {cold:>8.1f} {median:>10.1f} {p95:>8.1f}  {status:>6}  {path}")


if __name__ == "__main__":
    main()
