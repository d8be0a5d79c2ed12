"""Two trees side by side on one PostgreSQL store: every page's warm p95 and its first
request after a change, over HTTP, with the servers' CPU beside the wall time.

    python bench/kept_http.py DATABASE_URL --before TREE [--rounds 20] [--changes 5]

Each tree is served by its own `gunicorn -w 2` (its own TRACKER_HOME: no search
page is asked, so no index is needed) on the same database, which this WRITES
to: use a copy of a kept store. Per page, both servers are warmed (first
request), then timed warm `--rounds` times each, requests alternated; then
`--changes` times one item of the busiest topic gets a new sequence number (as
any edit, retag or re-fetch gives; in turn an item from anywhere in the store
and one of its newest), and, past the version memo's second, each
server is asked for the page twice at once, so that each of its two workers
answers (the slower is what some reader meets; both workers were warmed the
same way), the servers taking turns at going first. CPU is the server's (master
and workers) per request.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from pages import pages
from search_http import p95, serve, server_cpu

from tracker.models import Item, ItemTag, table_of

ROOT = Path(__file__).resolve().parent.parent
LOTS = "1000000/minute"


def environment(tree: Path, url: str) -> dict[str, str]:
    import os

    home = tempfile.mkdtemp(prefix="kept-http-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(PYTHONPATH=str(tree), TRACKER_HOME=home, TRACKER_DATABASE_URL=url)
    env |= {f"TRACKER_RATE_{k}": LOTS for k in ("SEARCH", "API", "LISTING", "EXPORT")}
    return env


def timed(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return ms


def both_workers(url: str) -> float:
    """Two requests at once, so each of the two workers answers one: the slower (ms)."""
    with ThreadPoolExecutor(2) as pool, httpx.Client(timeout=600) as one, \
            httpx.Client(timeout=600) as two:  # fmt: skip
        return max(pool.map(timed, [one, two], [url, url]))


def tagged_items(engine: sa.Engine, count: int) -> tuple[list[int], list[int]]:
    """Items of export-controls to change one at a time: spread over the store, and the
    newest by publication (what arrives or is corrected is mostly recent)."""
    item, tag = table_of(Item).c, table_of(ItemTag).c
    with engine.connect() as conn:
        ids = (
            conn.execute(
                sa.select(tag.item_id).where(tag.slug == "export-controls").order_by(tag.item_id)
            )
            .scalars()
            .all()
        )
        newest = conn.execute(
            sa.select(item.id)
            .where(item.id.in_(sa.select(tag.item_id).where(tag.slug == "export-controls")))
            .order_by(item.published_at.desc())
            .limit(count)
        ).scalars().all()  # fmt: skip
    step = max(1, len(ids) // (count * 7 + 1))
    return list(ids[step::step]), list(newest)


def setting(url: str, before: Path, changes: int) -> tuple[Any, ...]:
    """The store's engine, item count and highest id, ids to change (spread over
    the store, and newest), and the two trees with an environment each."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        items = conn.execute(sa.select(sa.func.count()).select_from(table_of(Item))).scalar_one()
        top = conn.execute(sa.select(sa.func.max(table_of(Item).c.id))).scalar_one()
    spread, newest = (iter(ids) for ids in tagged_items(engine, changes * 20))
    trees = {"before": before.resolve(), "after": ROOT}
    envs = {name: environment(tree, url) for name, tree in trees.items()}
    return engine, items, top, spread, newest, trees, envs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--only", action="append", help="a page's name (repeatable)")
    args = parser.parse_args()
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    engine, items, top, spread, newest, trees, envs = setting(args.url, args.before, args.changes)
    homes = [env["TRACKER_HOME"] for env in envs.values()]
    servers = {name: serve(tree, envs[name]) for name, tree in trees.items()}
    rows = []
    try:
        with httpx.Client(timeout=600) as client:
            for name, path in pages(top // 2):
                if path.startswith("/search") or (args.only and name not in args.only):
                    continue
                found: dict[str, dict[str, float]] = {}
                for tree, (_, base) in servers.items():
                    found[tree] = {"first": timed(client, base + path)}
                    both_workers(base + path)  # each worker has asked for the page once
                warm: dict[str, list[float]] = {t: [] for t in trees}
                cpu = {t: server_cpu(s) for t, (s, _) in servers.items()}
                for _ in range(args.rounds):
                    for tree, (_, base) in servers.items():
                        warm[tree].append(timed(client, base + path))
                for tree, (server, _) in servers.items():
                    found[tree]["p50"] = statistics.median(warm[tree])
                    found[tree]["p95"] = p95(warm[tree])
                    found[tree]["cpu"] = (server_cpu(server) - cpu[tree]) * 1000 / args.rounds
                changed: dict[str, list[float]] = {t: [] for t in trees}
                changed_cpu: dict[str, list[float]] = {t: [] for t in trees}
                for n in range(args.changes):
                    with session_scope(engine) as session:
                        bump(session, [next(newest if n % 2 else spread)])
                    time.sleep(1.1)  # past the version memo's one second
                    order = list(servers.items())
                    for tree, (server, base) in order if n % 2 == 0 else order[::-1]:
                        spent = server_cpu(server)
                        changed[tree].append(both_workers(base + path))
                        changed_cpu[tree].append((server_cpu(server) - spent) * 1000)
                for tree in trees:
                    found[tree]["changed"] = statistics.median(changed[tree])
                    found[tree]["changed_max"] = max(changed[tree])
                    found[tree]["changed_cpu"] = statistics.median(changed_cpu[tree])
                rows.append((name, found))
                print(name, {t: {k: round(v, 1) for k, v in f.items()} for t, f in found.items()},
                      file=sys.stderr, flush=True)  # fmt: skip
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=60)
        for home in homes:
            shutil.rmtree(home, ignore_errors=True)
    print(f"\n{items:,} items, gunicorn -w 2 per tree, ms; warm: {args.rounds} requests; after "
          f"a change: median of {args.changes} changes (max), CPU of both requests\n")  # fmt: skip
    print(
        "| page | warm p95 before | after | warm CPU before | after "
        "| after a change before | after | its CPU before | after |"
    )
    print("| --- |" + " ---: |" * 8)
    for name, f in rows:
        b, a = f["before"], f["after"]
        print(f"| {name} | {b['p95']:.1f} | {a['p95']:.1f} | {b['cpu']:.1f} | {a['cpu']:.1f} "
              f"| {b['changed']:.0f} ({b['changed_max']:.0f}) | {a['changed']:.0f} "
              f"({a['changed_max']:.0f}) | {b['changed_cpu']:.0f} "
              f"| {a['changed_cpu']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
