"""Reading stored neighbours' keys back, call after call on one connection, as a long
grouping run does: `store/event_keys.filed` on a kept PostgreSQL store.

    python bench/filed_plans.py DATABASE_URL [--calls 10] [--items 8000] [--before TREE]
                                [--generic]

psycopg prepares a statement the fifth time one connection runs it, and PostgreSQL
may then keep a generic plan, made without the parameters' values: a statement
fine while planned afresh can turn slow from its sixth call on. This takes, from a
store kept by `bench/million.py --keep`, `--items` random items and the keys of a
tenth of them (what a batch looks up), and times `filed` `--calls` times in a row
on one session, this tree's and, with `--before`, another tree's (each in its own
process), printing each call's wall time and the rows it returned. `--generic`
has PostgreSQL keep the generic plan from the start (`plan_cache_mode`), as it
chose to in a 100,000-item `bench/million.py` load whose grouping slowed sixfold.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(url: str, calls: int, items: int, generic: bool) -> None:
    import sqlalchemy as sa
    from sqlmodel import Session

    from tracker.store import event_keys as key_rows

    engine = sa.create_engine(url)
    with Session(engine) as session:
        if generic:
            session.execute(sa.text("SET plan_cache_mode = force_generic_plan"))
        ids = list(
            session.execute(
                sa.text(f"SELECT id FROM item ORDER BY md5(id::text) LIMIT {items}")
            ).scalars()
        )
        wanted = set(
            session.execute(
                sa.text("SELECT key FROM eventkey WHERE item_id = ANY(:ids)"),
                {"ids": ids[: items // 10]},
            ).scalars()
        )
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            found = key_rows.filed(session, ids, wanted)
            times.append(round(time.perf_counter() - started, 3))
        rows = sum(len(keys) for keys in found.values())
    print(json.dumps({"times": times, "rows": rows, "wanted": len(wanted)}))


def run(tree: Path, url: str, calls: int, items: int, generic: bool) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    args = [sys.executable, __file__, url, "--calls", str(calls), "--items", str(items),
            "--child"] + (["--generic"] if generic else [])  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--items", type=int, default=8000)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--generic", action="store_true", help="generic plans from the start")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.url, args.calls, args.items, args.generic)
    trees = [("this tree", ROOT)] + ([("before", args.before)] if args.before else [])
    plans = "generic plans" if args.generic else "plans as PostgreSQL chooses"
    print(f"`filed` for {args.items:,} items, {args.calls} calls on one session, {plans}"
          " (s per call)\n")  # fmt: skip
    print("| tree | " + " | ".join(str(i + 1) for i in range(args.calls)) + " | rows |")
    print("| --- |" + " ---: |" * (args.calls + 1))
    for name, tree in trees:
        found = run(tree, args.url, args.calls, args.items, args.generic)
        cells = " | ".join(str(t) for t in found["times"])  # type: ignore[attr-defined]
        print(f"| {name} | {cells} | {found['rows']:,} |")
    print(f"\nload average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
