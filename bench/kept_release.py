"""A new worker's first request after a release: two trees side by side over HTTP on
one PostgreSQL store, wall time with the server's CPU.

    python bench/kept_release.py DATABASE_URL --before TREE [--rounds 3] [--only PAGE]
    python bench/kept_release.py DATABASE_URL --before TREE --hours [--rounds 6]

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

With `--hours`, the home page's first request after the hour turns instead (its
week ends at the next full hour, so a new hour is a new week): each tree's copy
is served by one `gunicorn -w 1` whose clock (the home page's `datetime`,
patched in the copy's app.py) is moved an hour on per round; after the page is
served once, each round moves the clock and times the worker's first request
for the page, then its second; every other round an item of the week changes
first. The trees' clocks run two days apart (the after tree's an hour past
the item with a fiftieth of the store newer than it, less a random number of
hours under 1,000 so that a run does not load the weeks an earlier one saved;
the before tree's 48 hours earlier), so neither reads the other's saved
weeks; both weeks are full of items (a bulk store thins out towards its
newest), and items newer than the clock keep the week the current one,
ending at the next full hour.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
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


CLOCK = """
# bench/kept_release.py --hours: the home page's clock, offset by the seconds in a file.
import datetime as _datetime
import os as _os

import tracker.web.pages as _pages


class _Clock(_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        with open(_os.environ["TRACKER_BENCH_CLOCK"]) as f:
            offset = float(f.read())
        return _datetime.datetime.now(tz) + _datetime.timedelta(seconds=offset)


_pages.datetime = _Clock
"""


def set_clock(path: Path, to: datetime) -> None:
    path.write_text(str((to - datetime.now(UTC)).total_seconds()))


def hour_turns(
    engine: Any, trees: dict[str, Path], envs: dict[str, dict[str, str]], newest: Any, rounds: int
) -> list[tuple[str, dict[str, dict[str, list[float]]]]]:
    """Per tree, the home page's first request at each new hour (see the module's text):
    rows for the hours with no change and those after one."""
    from tracker.models import Item, table_of
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    item = table_of(Item).c
    with engine.connect() as conn:  # past the thin newest end of a bulk store
        count = conn.execute(sa.select(sa.func.count()).select_from(table_of(Item))).scalar_one()
        stmt = sa.select(item.published_at).order_by(item.published_at.desc())
        last = conn.execute(stmt.offset(count // 50).limit(1)).scalar_one()
    # Some hours earlier again, new each run: a run must not find the weeks an
    # earlier run on this store saved at the same hours (it would load them).
    back = timedelta(hours=random.randrange(1000))
    top = last.replace(tzinfo=UTC, minute=0, second=0, microsecond=0) - back
    print(f"clocks {back} before the item a fiftieth from the newest", file=sys.stderr)
    start = {"after": top + timedelta(minutes=90), "before": top - timedelta(hours=46, minutes=30)}
    work = Path(tempfile.mkdtemp(prefix="kept-hours-"))
    servers = {}
    rows = {kind: {t: {"wall": [], "cpu": [], "warm": []} for t in trees}
            for kind in ("new hour", "new hour, an item changed")}  # fmt: skip
    try:
        for tree in trees:
            copy = released(trees[tree], f"{tree}-hours", work)
            with (copy / "app.py").open("a") as f:
                f.write(CLOCK)
            clock = work / f"{tree}.clock"
            set_clock(clock, start[tree])
            env = {**envs[tree], "PYTHONPATH": str(copy), "TRACKER_BENCH_CLOCK": str(clock)}
            servers[tree] = (*serve(copy, env, workers=1), clock)
        with httpx.Client(timeout=600) as client:
            for _, base, _ in servers.values():
                timed(client, base + "/")  # the first hour: counted (or loaded)
            for r in range(rounds):
                changed = r % 2 == 1
                if changed:
                    with session_scope(engine) as session:
                        bump(session, [next(newest)])
                order = list(trees) if r % 4 < 2 else list(trees)[::-1]
                for tree in order:
                    server, base, clock = servers[tree]
                    set_clock(clock, start[tree] + timedelta(hours=r + 1))
                    spent = server_cpu(server)
                    wall = timed(client, base + "/")
                    cpu = (server_cpu(server) - spent) * 1000
                    row = rows["new hour, an item changed" if changed else "new hour"][tree]
                    row["wall"].append(wall)
                    row["cpu"].append(cpu)
                    row["warm"].append(timed(client, base + "/"))
                walls = {t: round(servers_row(rows, t, changed)) for t in trees}
                print(r, "changed" if changed else "", walls, file=sys.stderr, flush=True)
    finally:
        for server, _, _ in servers.values():
            stop(server)
        shutil.rmtree(work, ignore_errors=True)
    return list(rows.items())


def servers_row(rows: dict[str, Any], tree: str, changed: bool) -> float:
    return float(rows["new hour, an item changed" if changed else "new hour"][tree]["wall"][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", action="append", help="a page's name (repeatable)")
    parser.add_argument("--hours", action="store_true", help="the home page at new hours")
    args = parser.parse_args()
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    engine, items, top, spread, newest, trees, envs = setting(args.url, args.before, args.rounds)
    if args.hours:
        try:
            rows = hour_turns(engine, trees, envs, newest, args.rounds)
        finally:
            for env in envs.values():
                shutil.rmtree(env["TRACKER_HOME"], ignore_errors=True)
            engine.dispose()
        table(rows, f"{items:,} items; the home page of a warm gunicorn -w 1 worker, its first "
              f"request after the hour turned (its week moved an hour); ms, median of "
              f"{(args.rounds + 1) // 2} / {args.rounds // 2} rounds (max), CPU of the server "
              f"for that request; then its second request", "the hour turned")  # fmt: skip
        return
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
    table(rows, f"{items:,} items; a new gunicorn -w 1 worker of a new release (store code "
          f"changed, no aggregate's format), its first request for the page after a change; "
          f"ms, median of {args.rounds} rounds (max), CPU of the server for that request; "
          f"then its second request")  # fmt: skip


def table(
    rows: list[tuple[str, dict[str, dict[str, list[float]]]]], title: str, first: str = "release"
) -> None:
    print(f"\n{title}\n")
    print(f"| page | first after {first} before | after | its CPU before | after "
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
