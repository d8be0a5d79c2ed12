"""The /search page as a reader waits for it: over HTTP, under gunicorn, this tree against another.

Used by ``bench/search.py --http [--before DIR]`` on the database it built,
or as ``python bench/search_http.py HOME BEFORE_TREE [RUNS]`` on a kept one:
each tree gets its own index (built by its own code) and its own
``gunicorn -w 2``, and requests alternate between the two so machine noise
hits both. For each query class it times the first request a fresh server
answers (the index opened, caches filled), then warm requests; and, in
process, where a page's time goes (the search call, the template, the rest
of the view).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLASSES = {
    "one word": ["qwen", "distillation", "nvidia", "tariffs", "huawei", "copyright"],
    "two words": ["qwen distillation", "nvidia chips", "export licences", "huawei sanctions"],
    "phrase": ['"model distillation"', '"entity list"', '"national security"', '"trade secrets"'],
    "filtered": [
        "chips type:letter entity:nvidia after:2025-09-01 before:2026-02-28",
        "distillation type:news entity:qwen after:2025-01-15 before:2025-06-30",
        "sanctions type:rule entity:huawei after:2024-10-01 before:2025-09-30",
    ],
    "concept": ["semiconductors", "Warren", "IAPS", "export controls Alibaba", "BIS"],
}
# Run under each tree: the page in-process, its time split between the search
# call, the template and the rest of the view.
BREAKDOWN = r"""
import json, statistics, sys, time
from tracker.config import Settings
from tracker.web import create_app, search_page
queries = json.loads(sys.argv[1])
spent = {"search": 0.0, "render": 0.0}
def timed(name, fn):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started
    return wrapper
search_page.search.search = timed("search", search_page.search.search)
search_page.render_template = timed("render", search_page.render_template)
app = create_app({"SETTINGS": Settings.from_env()})
client = app.test_client()
rows = {"page": [], "search": [], "render": []}
for query in queries * 3:
    client.get("/search", query_string={"q": query})
for query in queries * 5:
    spent.update(search=0.0, render=0.0)
    started = time.perf_counter()
    assert client.get("/search", query_string={"q": query}).status_code == 200
    rows["page"].append(time.perf_counter() - started)
    rows["search"].append(spent["search"])
    rows["render"].append(spent["render"])
print(json.dumps({k: statistics.median(v) * 1000 for k, v in rows.items()}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(tree: Path, home: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        PYTHONPATH=str(tree),
        TRACKER_HOME=str(home),
        TRACKER_DATABASE_URL=database_url,
        # One client sends thousands of searches: the server is measured, not the limiter.
        TRACKER_RATE_SEARCH="1000000/minute",
        TRACKER_RATE_API="1000000/minute",
    )
    return env


def build_index(tree: Path, env: dict[str, str]) -> float:
    """`tracker reindex` with the tree's own code; returns seconds.

    Every process runs in its tree: `python -m` and `-c` put the working
    folder ahead of PYTHONPATH, so another folder's `tracker` would win.
    """
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tracker.cli", "reindex"], env=env,
                          capture_output=True, text=True, cwd=tree)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"reindex in {tree} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started


def serve(tree: Path, env: dict[str, str], workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    """`gunicorn -w WORKERS` from `tree`, once it answers /sources."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "app:app"],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/sources", timeout=10).status_code < 500:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn from {tree} did not start")


def server_cpu(server: subprocess.Popen[bytes]) -> float:
    """CPU seconds used so far by a gunicorn master and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that just exited
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def get(client: httpx.Client, base: str, query: str, found: set[str] | None = None) -> float:
    """Milliseconds for one page; `query` goes into `found` when the page showed hits."""
    started = time.perf_counter()
    response = client.get(base + "/search", params={"q": query})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (query, response.status_code)
    if found is not None and 'class="card hit"' in response.text:
        found.add(query)
    return elapsed


def compare(trees: dict[str, Path], home: Path, database_url: str, runs: int) -> None:
    """Build, serve and time each tree's page; print the tables."""
    envs, builds = {}, {}
    for name, tree in trees.items():
        side_home = home / f"http-{name}"
        side_home.mkdir(exist_ok=True)
        envs[name] = environment(tree, side_home, database_url)
        # An index this tree built before is kept (a re-run on a kept database).
        built = (side_home / "index").is_dir()
        builds[name] = 0.0 if built else build_index(tree, envs[name])
    servers = {name: serve(tree, envs[name]) for name, tree in trees.items()}
    times: dict[tuple[str, str], list[float]] = {}
    firsts: dict[tuple[str, str], float] = {}
    cpu: dict[tuple[str, str], float] = {}
    found: dict[str, set[str]] = {name: set() for name in trees}
    try:
        with httpx.Client(timeout=120) as client:
            for kind, queries in CLASSES.items():
                for name, (_server, base) in servers.items():
                    firsts[(name, kind)] = get(client, base, queries[0], found[name])
                used = {name: server_cpu(server) for name, (server, _base) in servers.items()}
                for query in queries:
                    for _ in range(runs):
                        for name, (_server, base) in servers.items():
                            ms = get(client, base, query, found[name])
                            times.setdefault((name, kind), []).append(ms)
                for name, (server, _base) in servers.items():
                    # The server's own CPU per warm request: what the page costs on a
                    # machine others share, whatever the wall clock says.
                    spent = server_cpu(server) - used[name]
                    cpu[(name, kind)] = spent * 1000 / len(times[(name, kind)])
    finally:
        for server, _base in servers.values():
            server.terminate()
            server.wait(timeout=30)
    for name in trees:
        # A side that found nothing for plain words could not use its index: no timing then.
        assert "qwen" in found[name], f"{name} found no item for 'qwen'"
    breakdown = {name: _breakdown(tree, envs[name]) for name, tree in trees.items()}
    _print(trees, builds, firsts, times, cpu, breakdown)
    every = [q for queries in CLASSES.values() for q in queries]
    for name in trees:
        missed = [q for q in every if q not in found[name]]
        print(f"\n{name}: queries whose page showed no result: {', '.join(missed) or 'none'}")


def _breakdown(tree: Path, env: dict[str, str]) -> dict[str, dict[str, float]]:
    found = {}
    for kind, queries in CLASSES.items():
        out = subprocess.run([sys.executable, "-c", BREAKDOWN, json.dumps(queries)], env=env,
                             check=True, capture_output=True, text=True, cwd=tree)  # fmt: skip
        found[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _print(trees, builds, firsts, times, cpu, breakdown) -> None:  # type: ignore[no-untyped-def]
    names = list(trees)
    built = ", ".join(f"{n} {builds[n]:.0f} s" if builds[n] else f"{n} kept" for n in names)
    print(f"\n/search over HTTP, gunicorn -w 2, {', '.join(f'{n}: {trees[n]}' for n in names)}; "
          f"index build {built}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
          f"CPUs\n")  # fmt: skip
    head = " | ".join(f"{n} first / p50 / p95 ms | {n} server CPU ms/request" for n in names)
    print(f"| query class | {head} |")
    print("| --- |" + " ---: | ---: |" * len(names))
    for kind in CLASSES:
        cells = []
        for n in names:
            values = times[(n, kind)]
            cells.append(f"{firsts[(n, kind)]:.0f} / {statistics.median(values):.1f} / "
                         f"{p95(values):.1f} | {cpu[(n, kind)]:.1f}")  # fmt: skip
        print(f"| {kind} | {' | '.join(cells)} |")
    print("\nWhere a warm page's time goes, in process (median ms: page = search call + "
          "template + rest of the view):\n")  # fmt: skip
    head = " | ".join(f"{n} page / search / template / rest" for n in names)
    print(f"| query class | {head} |")
    print("| --- |" + " ---: |" * len(names))
    for kind in CLASSES:
        cells = []
        for n in names:
            b = breakdown[n][kind]
            rest = b["page"] - b["search"] - b["render"]
            cells.append(f"{b['page']:.1f} / {b['search']:.1f} / {b['render']:.1f} / {rest:.1f}")
        print(f"| {kind} | {' | '.join(cells)} |")


def main() -> None:
    """Serve and compare on a database kept from a run of bench/search.py: HOME BEFORE_TREE."""
    home, before = Path(sys.argv[1]), Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    compare({"before": before, "after": ROOT}, home, f"sqlite:///{home / 'tracker.db'}", runs)


if __name__ == "__main__":
    main()
