"""Server time of the front page and the index pages, old code against new.

    python bench/index_pages.py --db PATH [--code DIR] [--rounds 20]

Times each page through the Flask test client against a database filled by
bench/pages.py (reuse its --db): the first request (cold: it computes what is
then remembered until items change), then the median and 95th percentile
wall and CPU time of `rounds` warm requests. `--code` runs another checkout
(e.g. an export of main) on the same database, so old and new can be set
side by side; a page the old code does not have answers 404.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from tracker.config import Settings
    from tracker.web import create_app

    settings = Settings.from_env(
        {"TRACKER_HOME": str(args.db.parent), "TRACKER_DATABASE_URL": f"sqlite:///{args.db}"}
    )
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    pages = ["/", "/items", "/items?page=1000", "/topics", "/entities", "/search?q=export"]
    print(f"code: {args.code}")
    print(f"{'path':<20} {'status':>6} {'cold ms':>8} {'median wall':>12} {'p95 wall':>9} "
          f"{'median cpu':>11}")  # fmt: skip
    for path in pages:
        started = time.perf_counter()
        status = client.get(path).status_code
        cold = (time.perf_counter() - started) * 1000
        walls, cpus = [], []
        for _ in range(args.rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        walls.sort()
        p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
        print(f"{path:<20} {status:>6} {cold:>8.1f} {statistics.median(walls):>12.1f} "
              f"{p95:>9.1f} {statistics.median(cpus):>11.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
