"""A worker that has not counted a listing, asked for it after a change: two trees
side by side over HTTP on one PostgreSQL store, wall time with the server's CPU.

    python bench/kept_cold.py DATABASE_URL --before TREE [--changes 3] [--only PAGE]

Per page, each tree's first server (`gunicorn -w 1`) asks for the page once
(it counts the page's aggregates; a tree that saves kept aggregates saves
them). Then `--changes` times: one item of export-controls gets a new sequence
number (`events.bump`), and for each tree a new server (`gunicorn -w 1`, warmed
on /sources, so its imports and connections are made) is asked for the page:
its worker has never counted it, as a worker that answered from the shared
feed cache or never served the listing. Its wall time and the server's CPU for
that request are reported, and the server stopped. The database is WRITTEN to:
use a copy. Both trees must read the same schema (for a tree before a
migration, a copy of the newer tree with the older code of what is compared).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from kept_http import setting, timed
from pages import pages
from search_http import serve, server_cpu

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["home", "topic timeline", "topic Atom", "topic JSON Feed", "API items", "API timeline"]


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--changes", type=int, default=3)
    parser.add_argument("--only", action="append", help="a page's name (repeatable)")
    args = parser.parse_args()
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    engine, items, top, spread, newest, trees, envs = setting(args.url, args.before, args.changes)
    rows = []
    try:
        for name, path in pages(top // 2):
            if name not in (args.only or PAGES):
                continue
            first: dict[str, float] = {}
            for tree in trees:  # a first worker counts the page (and may save it)
                server, base = serve(trees[tree], envs[tree], workers=1)
                with httpx.Client(timeout=600) as client:
                    first[tree] = timed(client, base + path)
                time.sleep(0.5)  # its saving thread writes
                stop(server)
            wall: dict[str, list[float]] = {t: [] for t in trees}
            cpu: dict[str, list[float]] = {t: [] for t in trees}
            for n in range(args.changes):
                with session_scope(engine) as session:
                    bump(session, [next(newest if n % 2 else spread)])
                order = list(trees) if n % 2 == 0 else list(trees)[::-1]
                for tree in order:
                    server, base = serve(trees[tree], envs[tree], workers=1)
                    spent = server_cpu(server)
                    with httpx.Client(timeout=600) as client:
                        wall[tree].append(timed(client, base + path))
                    cpu[tree].append((server_cpu(server) - spent) * 1000)
                    time.sleep(0.5)  # its saving thread writes
                    stop(server)
            rows.append((name, first, wall, cpu))
            print(name, first, wall, cpu, file=sys.stderr, flush=True)
    finally:
        for env in envs.values():
            shutil.rmtree(env["TRACKER_HOME"], ignore_errors=True)
    print(f"\n{items:,} items; a new gunicorn -w 1 worker asked for a page it never "
          f"counted, after a change; ms, median of {args.changes} changes (max), "
          "CPU of the server\n")  # fmt: skip
    print("| page | first count before | after | cold worker before | after "
          "| its CPU before | after |")  # fmt: skip
    print("| --- |" + " ---: |" * 6)
    for name, first, wall, cpu in rows:
        b, a = "before", "after"
        print(f"| {name} | {first[b]:.0f} | {first[a]:.0f} "
              f"| {statistics.median(wall[b]):.0f} ({max(wall[b]):.0f}) "
              f"| {statistics.median(wall[a]):.0f} ({max(wall[a]):.0f}) "
              f"| {statistics.median(cpu[b]):.0f} | {statistics.median(cpu[a]):.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
