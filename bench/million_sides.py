"""Every page of a kept large store, this tree against another, over HTTP, side by side.

    python bench/million_sides.py DATABASE_URL HOME BEFORE_TREE [--rounds 20] [--pages a,b]

The store is one kept by `bench/million_bulk.py --keep` or `bench/million.py
--keep`. Each tree is served by its own `gunicorn -w 2` on the same store at
the same time; for each page of bench/pages.py both get their first request,
then warm requests alternate between them (so the machine's noise falls on
both), and each server's CPU per warm request is read from /proc. Then an
item is changed (a new sequence number, as any edit gives) and, past the
version memo's second, each server's two workers answer once (the slower is
what some reader meets); a fresh change for each tree, in alternating order,
so neither reads what the other has just brought up to date. Last, each
server's workers' resident memory.

Both trees share the store's saved aggregates (`kept_store`): a first request
may find parts another process saved. Prints a markdown table and the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from million import environment
from million_http import stop, timed, worker_memory
from pages import pages
from search_http import p95, serve, server_cpu

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("before", "after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("home", type=Path)
    parser.add_argument("before", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pages", default="", help="names of pages to time, comma-separated")
    args = parser.parse_args()
    from tracker.models import Item, table_of
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    env = environment(args.home, args.url)
    engine = sa.create_engine(args.url)
    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(table_of(Item).c.id))).scalar_one()
    item_id = top // 2
    chosen = [p for p in pages(item_id) if not args.pages or p[0] in args.pages.split(",")]
    servers = {"before": serve(args.before, env), "after": serve(ROOT, env)}
    rows: dict[str, dict[str, dict[str, float]]] = {n: {} for n in NAMES}
    loads = [os.getloadavg()[0]]
    try:
        with httpx.Client(timeout=300) as client:
            for n, (name, path) in enumerate(chosen):
                order = NAMES if n % 2 == 0 else NAMES[::-1]
                found = {k: {"first": timed(client, servers[k][1] + path)} for k in order}
                times: dict[str, list[float]] = {k: [] for k in NAMES}
                cpu = {k: server_cpu(servers[k][0]) for k in NAMES}
                for _ in range(args.rounds):
                    for k in order:
                        times[k].append(timed(client, servers[k][1] + path))
                for k in NAMES:
                    spent = (server_cpu(servers[k][0]) - cpu[k]) * 1000 / args.rounds
                    found[k].update(p50=statistics.median(times[k]), p95=p95(times[k]), cpu=spent)
                for step, k in enumerate(order):
                    with session_scope(engine) as session:
                        bump(session, [item_id + 2 * n + step])  # an edit: aggregates move
                    time.sleep(1.1)  # past the version memo's one second
                    found[k]["changed"] = max(timed(client, servers[k][1] + path) for _ in "ab")
                for k in NAMES:
                    rows[k][name] = found[k]
                loads.append(os.getloadavg()[0])
                print(f"  {name}: " + "; ".join(
                    f"{k} p50 {found[k]['p50']:.0f} p95 {found[k]['p95']:.0f} "
                    f"cpu {found[k]['cpu']:.0f} changed {found[k]['changed']:.0f}" for k in NAMES
                ), file=sys.stderr, flush=True)  # fmt: skip
        memory = {k: worker_memory(servers[k][0]) for k in NAMES}
    finally:
        for server, _ in servers.values():
            stop(server)
    _table(rows, chosen, loads, args)
    for k in NAMES:
        print(f"{k}: workers' VmRSS MB after the pages: "
              f"{', '.join(f'{v:.0f}' for v in memory[k].values())}")  # fmt: skip


def _table(rows, chosen, loads, args) -> None:  # type: ignore[no-untyped-def]
    load = f"load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} CPUs"
    print(f"\nbefore: {args.before}, after: {ROOT}; {args.rounds} warm requests each, "
          f"alternating; {load}\n")  # fmt: skip
    print("| page | p50 ms | p95 ms | server CPU ms/request | first ms | first after change ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, _ in chosen:
        b, a = rows["before"][name], rows["after"][name]
        cells = [f"{b[k]:.0f} → {a[k]:.0f}" for k in ("p50", "p95", "cpu", "first", "changed")]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
