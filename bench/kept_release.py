"""A new worker's first request after a release: two trees side by side over HTTP on
one PostgreSQL store, wall time with the server's CPU.

    python bench/kept_release.py DATABASE_URL --before TREE [--rounds 3] [--only PAGE]

A release is simulated as deploys make one: each tree is copied (app, tracker/,
templates, static, data) and a comment naming the release is added to one file
of tracker/store/, which changes no aggregate's meaning but is a new release of
the store's code. Per page and round, for each tree: release one
(`gunicorn -w 1`) asks for the page once (a warm store: it counts or loads the
page's aggregates and saves them) and is stopped; an item of export-controls
gets a new sequence number (the store moves on between releases); then
release two, a new server warmed on /sources (its imports and connections
made), is asked for the page: its worker's first request after the release.
Its wall time and the server's CPU for that request are reported, and beside
them the same worker's second request (warm). Each round is a new pair of
releases. The database is WRITTEN to (saved aggregates, sequence numbers):
use a copy or a bench store.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from kept_cold import stop
from kept_http import setting, timed
from pages import pages
from search_http import serve, server_cpu

PAGES = ["home", "topic timeline", "entity timeline", "type timeline"]
COPIED = ["app.py", "pyproject.toml", "tracker", "templates", "static", "data"]
TOUCHED = "tracker/store/engine.py"  # gets the release's comment


def released(tree: Path, name: str, into: Path) -> Path:
    """A copy of `tree` as release `name`: one comment added to the store's code."""
    copy = into / name
    for part in COPIED:
        source = tree / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / part)
    with (copy / TOUCHED).open("a") as f:
        f.write(f"\n# release {name}\n")
    return copy


def first_request(tree: Path, env: dict[str, str], url: str) -> tuple[float, float, float]:
    """A new `gunicorn -w 1` from `tree`: its first request for `url` (ms), the server's
    CPU for it (ms), its second request (ms)."""
    server, base = serve(tree, {**env, "PYTHONPATH": str(tree)}, workers=1)
    try:
        spent = server_cpu(server)
        with httpx.Client(timeout=600) as client:
            wall = timed(client, base + url)
            cpu = (server_cpu(server) - spent) * 1000
            warm = timed(client, base + url)
        time.sleep(1.5)  # its saving thread writes
    finally:
        stop(server)
    return wall, cpu, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", action="append", help="a page's name (repeatable)")
    args = parser.parse_args()
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    engine, items, top, spread, newest, trees, envs = setting(args.url, args.before, args.rounds)
    work = Path(tempfile.mkdtemp(prefix="kept-release-"))
    rows = []
    try:
        for name, path in pages(top // 2):
            if name not in (args.only or PAGES):
                continue
            found: dict[str, dict[str, list[float]]] = {
                t: {"wall": [], "cpu": [], "warm": []} for t in trees
            }
            for r in range(args.rounds):
                order = list(trees) if r % 2 == 0 else list(trees)[::-1]
                tag = f"{name.replace(' ', '-')}-{r}"
                for tree in order:  # release one serves the page (and saves what it kept)
                    one = released(trees[tree], f"{tree}-{tag}-1", work)
                    first_request(one, envs[tree], path)
                with session_scope(engine) as session:
                    bump(session, [next(newest if r % 2 else spread)])
                for tree in order:  # release two: a new worker's first request
                    two = released(trees[tree], f"{tree}-{tag}-2", work)
                    wall, cpu, warm = first_request(two, envs[tree], path)
                    for key, value in (("wall", wall), ("cpu", cpu), ("warm", warm)):
                        found[tree][key].append(value)
            rows.append((name, found))
            print(name, found, file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for env in envs.values():
            shutil.rmtree(env["TRACKER_HOME"], ignore_errors=True)
        engine.dispose()
    print(f"\n{items:,} items; a new gunicorn -w 1 worker of a new release (store code "
          f"changed, no aggregate's format), its first request for the page after a change; "
          f"ms, median of {args.rounds} rounds (max), CPU of the server for that request; "
          f"then its second request\n")  # fmt: skip
    print("| page | first after release before | after | its CPU before | after "
          "| second request before | after |")  # fmt: skip
    print("| --- |" + " ---: |" * 6)
    mid = statistics.median
    for name, f in rows:
        b, a = f["before"], f["after"]
        print(f"| {name} | {mid(b['wall']):.0f} ({max(b['wall']):.0f}) "
              f"| {mid(a['wall']):.0f} ({max(a['wall']):.0f}) | {mid(b['cpu']):.0f} "
              f"| {mid(a['cpu']):.0f} | {mid(b['warm']):.0f} | {mid(a['warm']):.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
