"""/search at a kept store, this tree against another, in one run: bench/million_http.py's
search figures, and the search page's first request after an item changed.

    python bench/million_search.py DATABASE_URL HOME BEFORE_TREE [ROUNDS] [--changes N]

Both trees serve the same store and the same index (same schema version), each
with its own fresh `gunicorn -w 2`; for each query class the two take turns,
the before tree first in odd classes and second in even ones, so machine noise
(2 shared cores) falls on both. Per class and tree: the first request a fresh
server answers, warm p50 and p95 over ROUNDS rounds of the class's queries,
and the server's CPU per warm request.

After a change: the search page (bench/pages.py's search) is served warm, an
item is given a new sequence number (as any edit or re-fetch does), and after
the version memo's second the page is asked twice (both workers answer in
turn; the slower is what some reader meets), N times per tree. This WRITES to
the store (sequence numbers) and the index (the catch-up): run it on a copy,
or pass --changes 0 to leave the store as it is.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from million import environment
from million_http import SEARCHES, stop, timed, worker_memory
from search_http import p95, serve, server_cpu

from tracker.models import Item, table_of

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/search?q=distillation+Alibaba"


def _env(tree: Path, home: Path, url: str) -> dict[str, str]:
    env = environment(home, url)
    env["PYTHONPATH"] = str(tree)
    return env


def search_class(tree: Path, env: dict[str, str], queries: list[str], rounds: int) -> dict:
    server, base = serve(tree, env)
    try:
        with httpx.Client(timeout=300) as client:
            first = timed(client, f"{base}/search?" + str(httpx.QueryParams(q=queries[0])))
            times, cpu = [], server_cpu(server)
            for _ in range(rounds):
                for query in queries:
                    times.append(timed(client, f"{base}/search?" + str(httpx.QueryParams(q=query))))
            cpu_ms = (server_cpu(server) - cpu) * 1000 / len(times)
        rss = max(worker_memory(server).values())
    finally:
        stop(server)
    return {"first": first, "p50": statistics.median(times), "p95": p95(times), "cpu": cpu_ms,
            "rss": rss}  # fmt: skip


def after_change(
    tree: Path, env: dict[str, str], engine: sa.Engine, item_id: int, times: int
) -> list[float]:
    """The search page's first request after a change, `times` times (ms, the slower worker)."""
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    found = []
    server, base = serve(tree, env)
    try:
        with httpx.Client(timeout=300) as client:
            for n in range(times):
                for _ in range(6):
                    timed(client, base + PAGE)
                with session_scope(engine) as session:
                    bump(session, [item_id + n])
                time.sleep(2.1)  # past the version memo's second and the follow interval
                found.append(max(timed(client, base + PAGE) for _ in range(2)))
    finally:
        stop(server)
    return found


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    changes = int(sys.argv[sys.argv.index("--changes") + 1]) if "--changes" in sys.argv else 3
    if "--changes" in sys.argv:
        args.remove(str(changes))
    url, home, before = args[0], Path(args[1]), Path(args[2])
    rounds = int(args[3]) if len(args) > 3 else 20
    trees = {"before": before.resolve(), "after": ROOT}
    envs = {name: _env(tree, home, url) for name, tree in trees.items()}
    rows: dict[str, dict[str, dict]] = {}
    for n, (kind, queries) in enumerate(SEARCHES.items()):
        order = list(trees) if n % 2 == 0 else list(reversed(trees))
        for name in order:
            rows.setdefault(kind, {})[name] = search_class(trees[name], envs[name], queries, rounds)
            got = rows[kind][name]
            print(f"  {kind} {name}: first {got['first']:.0f} ms, p50 {got['p50']:.1f}, "
                  f"p95 {got['p95']:.1f}, CPU {got['cpu']:.1f}, VmRSS {got['rss']:.0f} MB",
                  file=sys.stderr)  # fmt: skip
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(table_of(Item).c.id))).scalar_one()
    changed: dict[str, list[float]] = {}
    for n, name in enumerate(["before", "after", "after", "before"] if changes else []):
        ms = after_change(trees[name], envs[name], engine, top // 3 + 10 * n, changes)
        changed.setdefault(name, []).extend(ms)
        print(f"  search page after a change, {name}: {', '.join(f'{m:.0f}' for m in ms)} ms",
              file=sys.stderr)  # fmt: skip
    print(f"\n/search, gunicorn -w 2, before {before} vs after {ROOT}; {rounds} rounds\n")
    print("| class | before first ms | after first ms | before p50 | after p50 | before p95 | "
          "after p95 | before CPU ms/req | after CPU ms/req | "
          "before / after worker MB |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, sides in rows.items():
        b, a = sides["before"], sides["after"]
        print(f"| {kind} | {b['first']:.0f} | {a['first']:.0f} | {b['p50']:.1f} | {a['p50']:.1f} | "
              f"{b['p95']:.1f} | {a['p95']:.1f} | {b['cpu']:.1f} | {a['cpu']:.1f} | "
              f"{b['rss']:.0f} / {a['rss']:.0f} |")  # fmt: skip
    if not changes:  # --changes 0: the store is left as it is
        return
    b, a = changed["before"], changed["after"]
    print(f"\nsearch page, first request after a change (ms, the slower of both workers, "
          f"{len(b)} changes each): before median {statistics.median(b):.0f} max {max(b):.0f}; "
          f"after median {statistics.median(a):.0f} max {max(a):.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
