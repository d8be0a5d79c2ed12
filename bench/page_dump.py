"""The pages two trees serve from one store, compared byte for byte.

    python bench/page_dump.py DATABASE_URL --before TREE

Each tree answers, in a process of its own (the app in process, no server),
the home page, a bill's page, two items' pages, topic, entity, type and source
timelines (pages 1 to 3, oldest first, filtered), their RSS, Atom and JSON
feeds, every item's feeds, the API timeline and items, and a CSV export;
twice: once counting or loading its kept aggregates, once from memory. Prints
each page whose bodies differ, and how many were compared. Both trees read
the same head: nothing is written but the kept aggregates each tree saves
(use a bench store or a copy).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTINGS = ["/topics/export-controls", "/topics/distillation", "/entities/alibaba",
            "/entities/anthropic", "/types/letter", "/types/news",
            "/sources/bench-outlet-4"]  # fmt: skip
QUERIES = ["", "?page=2", "?page=3", "?order=oldest", "?order=oldest&page=2",
           "?type=letter&from=2026-01-01", "?from=2025-06-01&to=2025-12-31"]  # fmt: skip
FEEDS = [".rss", ".atom", ".json"]


def paths() -> list[str]:
    found = ["/", "/sources", "/items.atom", "/api/v1/items?topic=export-controls",
             "/api/v1/timelines/topics/export-controls",
             "/api/v1/timelines/topics/export-controls?page=2",
             "/topics/distillation.csv?from=2026-06-01", "/bills/119/hr8283",
             "/items/50000", "/items/1", "/items.json", "/items.rss"]  # fmt: skip
    for listing in LISTINGS:
        found += [listing + q for q in QUERIES] + [listing + f for f in FEEDS]
        found += [listing + ".atom?page=2"]
    return found


def dump(url: str, home: str) -> None:
    """In this process (the tree on sys.path): {path: [status, sha256]} twice, as JSON."""
    os.environ.update(TRACKER_DATABASE_URL=url, TRACKER_HOME=home)
    for kind in ("SEARCH", "API", "LISTING", "EXPORT"):
        os.environ[f"TRACKER_RATE_{kind}"] = "1000000/minute"
    from tracker.store import kept_store
    from tracker.web import create_app

    client = create_app().test_client()
    rounds = []
    for _ in range(2):
        found = {}
        for path in paths():
            response = client.get(path)
            found[path] = [response.status_code, hashlib.sha256(response.data).hexdigest()]
        rounds.append(found)
        kept_store.flush()
    print(json.dumps(rounds))


def served(tree: Path, url: str) -> list[dict[str, list[object]]]:
    with tempfile.TemporaryDirectory(prefix="page-dump-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env["PYTHONPATH"] = str(tree)
        command = [sys.executable, __file__, url, "--dump", home]
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--before", type=Path)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump(args.url, args.dump)
        return
    if args.before is None:
        parser.error("--before TREE")
    before, after = served(args.before.resolve(), args.url), served(ROOT, args.url)
    differ = 0
    for n, (b, a) in enumerate(zip(before, after, strict=True)):
        for path in b:
            if b[path] != a[path] or b[path] != before[0][path]:
                differ += 1
                print(f"round {n + 1}: {path} before {b[path]} after {a[path]}")
    statuses = sorted({str(s) for s, _ in after[0].values()})
    print(f"{len(before[0])} pages x 2 rounds compared; {differ} differ; statuses {statuses}")


if __name__ == "__main__":
    main()
