"""The first request after a change, repeated: median wall and CPU time per page.

    python bench/after_change.py --db PATH [--times 9] [--before TREE]

On a SQLite store filled by `bench/pages.py --db PATH`, each page is fetched
warm, then `--times` times one item is changed (a new sequence number, as an
edit or a re-fetch gives) and the next request is timed: what a reader waits
for while the aggregates catch up. `bench/pages.py` times that once per page;
this repeats it, so a noisy machine shows through the median. With `--before
TREE` the same runs first on another checkout's code, on the same database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PAGES = ["/", "/topics/export-controls", "/topics/export-controls?order=oldest",
         "/entities/alibaba", "/api/v1/timelines/topics/export-controls"]  # fmt: skip


def measure(db: Path, times: int) -> dict[str, list[float]]:
    import sqlalchemy as sa

    from tracker.config import Settings
    from tracker.models import Item
    from tracker.store.engine import make_engine, session_scope
    from tracker.store.events import bump
    from tracker.web import create_app

    lots = "1000000/minute"
    env = {"TRACKER_HOME": str(db.parent), "TRACKER_DATABASE_URL": f"sqlite:///{db}"}
    env |= {f"TRACKER_RATE_{k}": lots for k in ("SEARCH", "API", "LISTING", "EXPORT")}
    settings = Settings.from_env(env)
    engine = make_engine(settings)
    with engine.connect() as conn:
        middle = conn.execute(sa.select(sa.func.max(Item.__table__.c.id))).scalar_one() // 2
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    found: dict[str, list[float]] = {}
    for path in PAGES:
        for _ in range(3):
            assert client.get(path).status_code == 200
        walls, cpus = [], []
        for n in range(times):
            with session_scope(engine) as session:
                bump(session, [middle + n])
            time.sleep(1.1)  # past the version memo's one second
            started, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        found[path] = [statistics.median(walls), statistics.median(cpus), max(walls)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--times", type=int, default=9)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.db, args.times)))
        return
    runs: dict[str, dict[str, list[float]]] = {}
    trees = ([("before", args.before)] if args.before else []) + [
        ("this tree", Path(__file__).resolve().parent.parent)
    ]
    for name, tree in trees:
        command = [sys.executable, __file__, "--db", str(args.db), "--times", str(args.times),
                   "--json"]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(tree)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\nfirst request after a change, ms, median of {args.times} (max in brackets)\n")
    print("| page | " + " | ".join(f"{n} wall | {n} cpu" for n in runs) + " |")
    print("| --- |" + " ---: | ---: |" * len(runs))
    for path in PAGES:
        cells = " | ".join(
            f"{r[path][0]:.0f} ({r[path][2]:.0f}) | {r[path][1]:.0f}" for r in runs.values()
        )
        print(f"| {path} | {cells} |")


if __name__ == "__main__":
    main()
