"""Does event grouping cost more per item as the store grows? Replayed on a kept store.

    python bench/grouping_growth.py [--source SCHEMA] [--sizes 10000,100000]
                                    [--count 1000] [--span DAYS] [--profile]
                                    [--before TREE]

`bench/million.py --keep` leaves a PostgreSQL store grown through the normal
pipeline (24 sources, items spread over five years, grouped slice by slice).
Items keep the event they were placed in, and ids follow the order of
loading, so the items with id <= N, their tags, blocking keys and events are
the store as it stood at N items. For each N this copies that much into a
fresh schema (the kept one is only read), adds `--count` items of the next
slice ungrouped (sampled over its five years, as a slice's are; with
`--span DAYS`, only from its items of DAYS days in the middle of the years, as
a day's or a week's news arrives: a batch's window is then the span's, not
the store's), and times `assign_pending` placing them: CPU of this process
(PostgreSQL's own is not counted) and wall, per item. `--profile` prints the
top of a cProfile.

With `--before TREE` (a worktree of the old code) each size is copied twice
from one sample and placed once by each checkout, each in its own process
(`--place SCHEMA --code DIR`), and the table has both side by side. "rows
read" is what PostgreSQL's statistics count fetched in the copy's tables
(index fetches and sequential reads), per placed item; "index entries" what
its index scans returned (idx_tup_read), which counts the blocking-key
lookups: they are index-only scans, and fetch no rows once a table is
vacuumed. The copy reads the source in one snapshot, so a store still growing
is read as it stood.
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
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if "--code" in sys.argv:  # place with another checkout's code (see `--before`)
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])

import json  # noqa: E402
import subprocess  # noqa: E402

import sqlalchemy as sa  # noqa: E402

from tracker.store.engine import migrate, session_scope  # noqa: E402

PG = os.environ.get("TRACKER_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SLICE = 24_000  # items per slice in bench/million.py


def copy_store(
    source: str, size: int, count: int, seed: int = 5, span: int | None = None
) -> tuple[str, sa.Engine]:
    """A fresh schema with the kept store at `size` items and `count` ungrouped newcomers
    (with `span`, only from the next slice's items of `span` days in the store's middle)."""
    schema = "growth_" + uuid.uuid4().hex[:10]
    with sa.create_engine(PG).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        top = conn.execute(sa.text(f'SELECT max(id) FROM "{source}".item')).scalar_one()
        pool: Sequence[int] = range(size + 1, min(size + SLICE, top) + 1)
        if span is not None:
            first, last = conn.execute(
                sa.text(f'SELECT min(published_at), max(published_at) FROM "{source}".item')
            ).one()
            start = first + (last - first) / 2
            within = {"low": size, "high": size + SLICE, "start": start,
                      "end": start + timedelta(days=span)}  # fmt: skip
            pool = list(conn.execute(sa.text(
                f'SELECT id FROM "{source}".item WHERE id > :low AND id <= :high '
                "AND published_at >= :start AND published_at < :end ORDER BY id"
            ), within).scalars())  # fmt: skip
    sep = "&" if "?" in PG else "?"
    engine = sa.create_engine(f"{PG}{sep}options=-csearch_path%3D{schema}")
    migrate(engine)
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
    # One snapshot of the source: a store still being grown moves on between statements.
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
        conn.begin(),
    ):
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
        conn.execute(sa.text(
            "UPDATE counter SET value = greatest(value, (SELECT coalesce(max(seq), 0) FROM item)) "
            "WHERE name = 'item_seq'"
        ))  # fmt: skip
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
    from tracker.store.events import assign_pending  # the code chosen by `--code`

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


def _schema_engine(schema: str) -> sa.Engine:
    sep = "&" if "?" in PG else "?"
    return sa.create_engine(f"{PG}{sep}options=-csearch_path%3D{schema}")


def _tuples_read(engine: sa.Engine) -> tuple[int, int]:
    """Table rows PostgreSQL has fetched in the schema's tables so far (index fetches
    and sequential reads), and index entries its index scans returned (an index-only
    scan reads entries and no rows: the blocking-key lookups are such scans)."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        rows = int(conn.execute(sa.text(
            "SELECT coalesce(sum(coalesce(idx_tup_fetch, 0) + seq_tup_read), 0) "
            "FROM pg_stat_user_tables WHERE schemaname = current_schema()"
        )).scalar_one())  # fmt: skip
        entries = int(conn.execute(sa.text(
            "SELECT coalesce(sum(idx_tup_read), 0) "
            "FROM pg_stat_user_indexes WHERE schemaname = current_schema()"
        )).scalar_one())  # fmt: skip
        return rows, entries


def place_in_process(code: Path, schema: str, profile: bool) -> dict[str, float | str]:
    """Place a copied store's waiting items with the code at `code`, in a fresh process."""
    command = [sys.executable, str(Path(__file__).resolve()), "--place", schema,
               "--code", str(code)] + (["--profile"] if profile else [])  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    if profile:
        print(done.stderr, flush=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _drop(schema: str) -> None:
    with sa.create_engine(PG).begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default="bench_e92a29eafe")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--span", type=int, help="newcomers from this many days only")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--before", type=Path, help="a worktree of the old code")
    parser.add_argument("--place", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.place:  # the child of `place_in_process`
        engine = _schema_engine(args.place)
        rows, entries = _tuples_read(engine)
        placed, cpu, wall, text = place(engine, args.profile)
        engine.dispose()  # a backend flushes its counts as it ends
        time.sleep(1.0)  # the statistics collector reports at most every 500 ms
        rows_after, entries_after = _tuples_read(engine)
        print(text, file=sys.stderr)
        print(json.dumps({"placed": placed, "cpu": cpu, "wall": wall, "read": rows_after - rows,
                          "entries": entries_after - entries}))  # fmt: skip
        return
    trees = [("before", args.before), ("after", ROOT)] if args.before else [("this", ROOT)]
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        for name, code in trees:
            schema, engine = copy_store(args.source, size, args.count, span=args.span)
            engine.dispose()
            try:
                result = place_in_process(code, schema, args.profile)
            finally:
                _drop(schema)
            placed, cpu, wall = int(result["placed"]), float(result["cpu"]), float(result["wall"])
            rows.append((size, name, placed, cpu, wall, int(result["read"]),
                         int(result["entries"])))  # fmt: skip
            print(f"{size:>8,} items, {name}: placed {placed} in {wall:.1f} s wall, {cpu:.1f} s "
                  f"CPU ({1000 * cpu / max(placed, 1):.2f} ms CPU/item)", flush=True)  # fmt: skip
    print(
        "\n| store size | code | placed | wall s | CPU s | CPU ms/item | wall ms/item "
        "| rows read/item | index entries read/item |\n|---|---|---|---|---|---|---|---|---|"
    )
    for size, name, placed, cpu, wall, read, entries in rows:
        n = max(placed, 1)
        print(f"| {size:,} | {name} | {placed} | {wall:.1f} | {cpu:.1f} | {1000 * cpu / n:.2f} "
              f"| {1000 * wall / n:.2f} | {read / n:,.0f} | {entries / n:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
