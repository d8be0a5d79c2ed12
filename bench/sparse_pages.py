"""Timelines whose matching items are sparse, before and after, on a kept store.

    python bench/sparse_pages.py DATABASE_URL HOME [--before TREE] [--rounds 20]

bench/pages.py's "topic, filtered" and "rare entity" pages, with a dense topic
timeline (newest and oldest first) beside them, fetched in process through the
Flask test client: the first request of a fresh process, then warm p50 and p95,
wall time and this process's CPU time per request. Then the walk of events
alone (`timelines._events_walked`, never remembered) for each page's listing:
what a page costs when its walk is not remembered (the first request after any
change, or any other page of the listing). With `--before TREE` the same runs
first on that checkout (e.g. /work/main) against the same store, and both are
printed in one table. The store is only read (e.g. one made by
`bench/million_bulk.py --keep`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))
LOTS = "1000000/minute"  # the site's rate limits are for clients, not for one bench

PAGES = {  # name: (path, the listing its walk reads)
    "topic, filtered": ("/topics/distillation?type=letter&from=2026-01-01",
                        {"topic": "distillation", "doc_type": "letter", "since": "2026-01-01"}),
    "rare entity": ("/entities/iaps", {"entity": "iaps"}),
    "topic timeline": ("/topics/export-controls", {"topic": "export-controls"}),
    "topic, oldest first": ("/topics/export-controls?order=oldest", {"topic": "export-controls"}),
}  # fmt: skip


def cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(len(times) * 0.95) - 1)]


def measure(url: str, home: Path, rounds: int) -> dict[str, dict[str, float]]:
    """Each page's first request, warm p50/p95 and CPU, and its walk alone."""
    import tracker
    from tracker.config import Settings
    from tracker.store import timelines
    from tracker.store.engine import session_scope
    from tracker.store.listings import ListingFilter
    from tracker.web import create_app

    env = {"TRACKER_HOME": str(home), "TRACKER_DATABASE_URL": url}
    env |= {f"TRACKER_RATE_{k}": LOTS for k in ("SEARCH", "API", "LISTING", "EXPORT")}
    app = create_app({"SETTINGS": Settings.from_env(env), "TESTING": True})
    client = app.test_client()
    found: dict[str, dict[str, float]] = {}
    if Path(tracker.__file__).resolve().parent.parent != CODE.resolve():
        raise SystemExit(f"measuring {tracker.__file__}, not {CODE}")
    for name, (path, _) in PAGES.items():
        times, cpus = [], []
        for _ in range(rounds + 1):
            started, used = time.perf_counter(), cpu()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpus.append((cpu() - used) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
        found[name] = {"first": times[0], "p50": statistics.median(times[1:]),
                       "p95": p95(times[1:]), "cpu": statistics.median(cpus[1:])}  # fmt: skip
    engine = app.extensions["tracker.engine"]
    for name, (_, fields) in PAGES.items():
        if "since" in fields:
            since = datetime.fromisoformat(fields["since"]).replace(tzinfo=UTC)
            fields = {**fields, "since": since}
        f = ListingFilter(**fields)  # type: ignore[arg-type]
        oldest = "oldest" in name
        times, cpus = [], []
        with session_scope(engine) as session:
            for _ in range(max(rounds // 2, 3)):
                started, used = time.perf_counter(), cpu()
                timelines._events_walked(session, f, 21, 0, oldest)
                times.append((time.perf_counter() - started) * 1000)
                cpus.append((cpu() - used) * 1000)
        found[name] |= {"walk_p50": statistics.median(times), "walk_cpu": statistics.median(cpus)}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("home", type=Path)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each tree (medians)")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.url, args.home, args.rounds)))
        return
    trees = [(label, tree) for label, tree in (("before", args.before), ("after", ROOT)) if tree]
    found: dict[str, list[dict[str, dict[str, float]]]] = {label: [] for label, _ in trees}
    for turn in range(args.repeat):  # the machine is shared: turns alternate which tree is first
        for label, tree in trees[:: -1 if turn % 2 else 1]:
            found[label].append(_run(tree, args))
    runs = {
        label: {name: {k: statistics.median(r[name][k] for r in results) for k in results[0][name]}
                for name in PAGES}
        for label, results in found.items()
    }  # fmt: skip
    print(
        f"load average {os.getloadavg()[0]:.1f}; medians of {args.repeat} runs; ms; "
        "cpu = this process's CPU per warm request"
    )
    keys = ("first", "p50", "p95", "cpu", "walk_p50", "walk_cpu")
    print("| page | " + " | ".join(f"{k} {label}" for k in keys for label in runs) + " |")
    print("|---" * (1 + len(keys) * len(runs)) + "|")
    for name in PAGES:
        cells = [f"{runs[label][name][k]:.1f}" for k in keys for label in runs]
        print(f"| {name} | " + " | ".join(cells) + " |")


def _run(tree: Path, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """One measurement on `tree`'s code, in a fresh process."""
    command = [sys.executable, __file__, args.url, str(args.home), "--rounds", str(args.rounds),
               "--code", str(tree), "--json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


if __name__ == "__main__":
    main()
