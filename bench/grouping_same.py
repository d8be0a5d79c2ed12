"""Does grouping decide alike on two checkouts? The partitions of bench feeds, compared.

    python bench/grouping_same.py --before /path/to/main-worktree
                                  [--entries 5000] [--densities 50,500,5000]
                                  [--database sqlite|postgresql]

For each density, `bench/grouping_map.py` ingests bench/ingest.py's generated
feed with `tracker ingest` on a fresh database, once with this checkout and
once with the one at `--before`, and dumps each item's event. Each run's
partition (the set of events, each the set of its items, an item named by its
url: ids are the database's and need not match between two databases) is
compared; prints "identical" or the events found by one checkout only. Both
runs use one PYTHONHASHSEED, so sets iterate alike and float sums over them
add in one order. Exits 1 when any partition differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "bench" / "grouping_map.py"
Partition = set[frozenset[str]]


def partition(path: Path) -> set[frozenset[str]]:
    """The events of a `grouping_map.py` dump, each as the urls of its members."""
    events: set[frozenset[str]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        url, members = json.loads(line)
        events.add(frozenset(members) if members is not None else frozenset({url}))
    return events


def grouped(code: Path, out: Path, entries: int, density: int, database: str) -> Partition:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    command = [sys.executable, str(MAP), str(out), "--code", str(code), "--entries",
               str(entries), "--density", str(density), "--database", database]  # fmt: skip
    subprocess.run(command, env=env, check=True)
    return partition(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--densities", default="50,500,5000")
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for density in (int(d) for d in args.densities.split(",")):
            runs = {}
            for label, code in (("before", args.before), ("after", ROOT)):
                out = Path(tmp) / f"{label}-{density}.jsonl"
                runs[label] = grouped(code.resolve(), out, args.entries, density, args.database)
            only_before = runs["before"] - runs["after"]
            only_after = runs["after"] - runs["before"]
            items = sum(len(e) for e in runs["after"])
            head = f"{density:,} items/day, {args.database}: {items:,} items"
            if not only_before and not only_after:
                print(f"{head}, {len(runs['after']):,} events: identical", flush=True)
                continue
            same = False
            print(f"{head}: {len(only_before)} events only before, {len(only_after)} only after")
            for label, events in (("before", only_before), ("after", only_after)):
                for event in sorted(events, key=sorted)[:10]:
                    print(f"  only {label}: {sorted(event)}")
    raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
