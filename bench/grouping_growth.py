"""Does event grouping cost more per item as the store grows? Replayed on a kept store.

    python bench/grouping_growth.py [--source SCHEMA] [--sizes 10000,100000]
                                    [--count 1000] [--profile]

`bench/million.py --keep` leaves a PostgreSQL store grown through the normal
pipeline (24 sources, items spread over five years, grouped slice by slice).
Items keep the event they were placed in, and ids follow the order of
loading, so the items with id <= N, their tags, blocking keys and events are
the store as it stood at N items. For each N this copies that much into a
fresh schema (the kept one is only read), adds `--count` items of the next
slice (sampled over its five years, as a slice's are) ungrouped, and times
`assign_pending` placing them: CPU of this process (PostgreSQL's own is not
counted) and wall, per item. `--profile` prints the top of a cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from tracker.store.engine import migrate, session_scope  # noqa: E402
from tracker.store.events import assign_pending  # noqa: E402

PG = os.environ.get("TRACKER_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SLICE = 24_000  # items per slice in bench/million.py


def copy_store(source: str, size: int, count: int, seed: int = 5) -> tuple[str, sa.Engine]:
    """A fresh schema with the kept store at `size` items and `count` ungrouped newcomers."""
    schema = "growth_" + uuid.uuid4().hex[:10]
    with sa.create_engine(PG).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        top = conn.execute(sa.text(f'SELECT max(id) FROM "{source}".item')).scalar_one()
    sep = "&" if "?" in PG else "?"
    engine = sa.create_engine(f"{PG}{sep}options=-csearch_path%3D{schema}")
    migrate(engine)
    pool = range(size + 1, min(size + SLICE, top) + 1)
    newcomers = sorted(random.Random(seed).sample(pool, min(count, len(pool))))
    where = {
        "source": "true",
        "bill": "true",
        "counter": "true",
        "event": "true",
        "item": "id <= :size OR id = ANY(:new)",
        "itemtag": "item_id <= :size OR item_id = ANY(:new)",
        "eventkey": "item_id <= :size",
    }
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM counter"))
        for table, condition in where.items():
            columns = conn.execute(
                sa.text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position"
                ),
                {"s": schema, "t": table},
            ).scalars()
            names = ", ".join(f'"{c}"' for c in columns)
            conn.execute(
                sa.text(
                    f'INSERT INTO "{table}" ({names}) SELECT {names} '
                    f'FROM "{source}"."{table}" WHERE {condition}'
                ),
                {"size": size, "new": newcomers},
            )
        conn.execute(sa.text("UPDATE item SET event_id = NULL WHERE id = ANY(:new)"),
                     {"new": newcomers})  # fmt: skip
        for table in ("event", "item", "itemtag", "source", "bill"):
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            ))  # fmt: skip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in where:
            conn.execute(sa.text(f'VACUUM ANALYZE "{table}"'))
    return schema, engine


def place(engine: sa.Engine, profile: bool) -> tuple[int, float, float, str]:
    """Place the waiting items as `settle` does; (placed, cpu s, wall s, profile)."""
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    with session_scope(engine) as session:
        placed = assign_pending(session)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    text = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        text = out.getvalue()
    return placed, cpu, wall, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default="bench_e92a29eafe")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        schema, engine = copy_store(args.source, size, args.count)
        try:
            placed, cpu, wall, text = place(engine, args.profile)
            rows.append((size, placed, cpu, wall))
            print(f"{size:>8,} items: placed {placed} in {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({1000 * cpu / max(placed, 1):.2f} ms CPU/item)", flush=True)  # fmt: skip
            if text:
                print(text, flush=True)
        finally:
            engine.dispose()
            with sa.create_engine(PG).begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    print("\n| store size | placed | wall s | CPU s | CPU ms/item |\n|---|---|---|---|---|")
    for size, placed, cpu, wall in rows:
        print(
            f"| {size:,} | {placed} | {wall:.1f} | {cpu:.1f} | {1000 * cpu / max(placed, 1):.2f} |"
        )


if __name__ == "__main__":
    main()
