"""A feed's 304 against a trivial Flask response, old code beside new in one run.

    python bench/not_modified.py DATABASE_URL HOME --old /path/to/other/tree [--rounds 400]

Serves, each with `gunicorn -w 2`: a bare Flask app's trivial view, and the
store at DATABASE_URL/HOME from this tree and from `--old` (a worktree of the
code to compare), each with a trivial view of its own added. Requests go one
after another in turn (bare, then each tree's feed poll answered 304 to
`If-None-Match`, then each tree's trivial view), so the machine's noise falls
on all alike. Prints median and p95 ms (wall, from the client), the ratio
bare/304 (issue 14's target: at least 0.8), and each server's CPU per 304
from a separate run of polls. Nothing is written to the store or HOME.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from million import environment
from million_http import FEED, IN_APP, TRIVIAL, _up, stop, timed
from search_http import free_port, p95, server_cpu

ROOT = Path(__file__).resolve().parent.parent


def gunicorn(cwd: Path, module: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", module]
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("home", type=Path)
    parser.add_argument("--old", type=Path, required=True, help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--cpu-polls", type=int, default=2000)
    parser.add_argument("--feed", default=FEED)
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": ROOT}
    with tempfile.TemporaryDirectory() as scratch:
        apps = Path(scratch)
        (apps / "trivial_app.py").write_text(TRIVIAL)
        (apps / "million_app.py").write_text(IN_APP)
        base_env = environment(args.home, args.database_url)
        servers = {"bare": gunicorn(apps, "trivial_app:app", base_env)}
        for name, tree in trees.items():
            env = {**base_env, "PYTHONPATH": f"{tree}:{apps}"}
            servers[name] = gunicorn(tree, "million_app:app", env)
        try:
            run(servers, args)
        finally:
            for server, _ in servers.values():
                stop(server)


def run(servers: dict[str, tuple[subprocess.Popen[bytes], str]], args: argparse.Namespace) -> None:
    bare = servers["bare"][1] + "/"
    with httpx.Client(timeout=60) as client:
        _up(client, bare)
        for name in ("old", "new"):
            _up(client, servers[name][1] + "/bench/trivial")
        etags = {n: client.get(servers[n][1] + args.feed).headers["ETag"] for n in ("old", "new")}
        times: dict[str, list[float]] = {"bare trivial": []}
        for name in ("old", "new"):
            times[f"{name} feed 304"], times[f"{name} in-app trivial"] = [], []
        started, cpu0 = time.perf_counter(), time.process_time()
        for _ in range(args.rounds):
            times["bare trivial"].append(timed(client, bare))
            for name in ("old", "new"):
                url = servers[name][1]
                times[f"{name} feed 304"].append(
                    timed(client, url + args.feed, {"If-None-Match": etags[name]}, 304)
                )
                times[f"{name} in-app trivial"].append(timed(client, url + "/bench/trivial"))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
        medians = {k: statistics.median(v) for k, v in times.items()}
        print(f"{args.rounds} rounds, wall {wall:.1f} s, client CPU {cpu:.1f} s")
        print("| series | p50 ms | p95 ms | bare/this |\n|---|---|---|---|")
        for key, values in times.items():
            ratio = medians["bare trivial"] / medians[key]
            print(f"| {key} | {medians[key]:.2f} | {p95(values):.2f} | {ratio:.2f} |")
        print("\n| server | CPU ms per feed 304 (server, both workers) |\n|---|---|")
        for name in ("old", "new"):
            server, url = servers[name]
            before = server_cpu(server)
            for _ in range(args.cpu_polls):
                timed(client, url + args.feed, {"If-None-Match": etags[name]}, 304)
            per = (server_cpu(server) - before) / args.cpu_polls * 1000
            print(f"| {name} | {per:.3f} |")


if __name__ == "__main__":
    main()
