"""The item-to-event map of bench/ingest.py's generated feed, to compare two checkouts.

    python bench/grouping_map.py OUT.jsonl [--code DIR] [--entries 5000] [--density 500]
                                 [--database sqlite|postgresql]

Writes the feed bench/ingest.py generates, runs `tracker init` and `tracker ingest`
on a fresh database with the code at DIR (default: this checkout), and writes one
line per item, sorted by url: the item's url and the urls of every member of its
event. Two checkouts whose grouping decides alike write byte-identical files:

    python bench/grouping_map.py /tmp/after.jsonl
    python bench/grouping_map.py /tmp/before.jsonl --code /path/to/worktree-of-main
    cmp /tmp/before.jsonl /tmp/after.jsonl

    python bench/grouping_map.py --regroup-profile OUT.prof [--code DIR] ...

instead ingests, ungroups every item and runs `assign_pending` under cProfile.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import ROOT, drop_schema, environment, fresh_database, make_feed, run


def dump(out: Path) -> None:
    """Write url -> event members' urls for every item (run in the code under test)."""
    import os

    import sqlalchemy as sa

    from tracker.config import Settings
    from tracker.models import Item, table_of
    from tracker.store.engine import make_engine

    engine = make_engine(Settings.from_env(dict(os.environ)))
    table = table_of(Item)
    with engine.connect() as conn:
        rows = list(conn.execute(sa.select(table.c.url, table.c.event_id)))
    members: dict[int, list[str]] = defaultdict(list)
    for url, event_id in rows:
        members[event_id].append(url)
    lines = [
        json.dumps([url, sorted(members[event_id])] if event_id is not None else [url, None])
        for url, event_id in sorted(rows)
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine.dispose()


def profile(out: Path) -> None:
    """Ungroup every item, then `assign_pending` under cProfile (code under test)."""
    import cProfile

    sys.argv = [sys.argv[0], "--regroup"]
    import ingest

    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    ingest.regroup()
    profiler.disable()
    print(f"cpu {time.process_time() - started:.2f}", file=sys.stderr)
    profiler.dump_stats(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--density", type=int, default=500)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--regroup-profile", action="store_true")
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        return dump(args.out)
    if args.profile:
        return profile(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        feed = work / "feed.xml"
        feed.write_bytes(make_feed(args.entries, args.density))
        database, schema = fresh_database(args.database)
        env = environment(args.code.resolve(), work / "home", database)
        try:
            run([sys.executable, "-m", "tracker.cli", "init"], env)
            started = time.perf_counter()
            command = ["-m", "tracker.cli", "ingest", str(feed), "--source", "bench"]
            run([sys.executable, *command], env)
            print(f"ingest {time.perf_counter() - started:.2f} s wall", file=sys.stderr)
            mode = "--profile" if args.regroup_profile else "--dump"
            me = str(Path(__file__).resolve())
            run([sys.executable, me, str(args.out.resolve()), mode], env)
        finally:
            drop_schema(schema)


if __name__ == "__main__":
    main()
