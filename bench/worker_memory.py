"""Each gunicorn worker's memory and the /search page per query class, two trees in one run.

    python bench/worker_memory.py DATABASE_URL HOME --before TREE [--rounds 10] [--pages 3]

Serves a kept store (bench/million_bulk.py --keep, or million.py's) with
this tree's code and with TREE's (e.g. /work/main), each as `gunicorn -w 2`
on the same database and index folder, requests alternated between the two
so machine noise hits both alike. Only GET requests: the store and the index
are read, never written (neither server has anything to catch up while no
one else writes; point HOME at a copy of a shared home to be sure).

For each tree, one row per measurement:

- each worker's resident memory once started and warmed up (VmRSS, and of
  it RssAnon, the process's own, and RssFile, mapped files: shared with the
  page cache and every process that maps the same index);
- per query class (bench/million_http.py's), on a fresh pair of servers: the
  first request (a worker that has served nothing), then warm p50 and p95
  and the server's CPU per warm request;
- the same workers' memory after every class and `--pages` rounds of
  bench/pages.py's pages: what a worker holds after a while in service.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from million_http import SEARCHES
from pages import pages
from search_http import environment, p95, serve, server_cpu

ROOT = Path(__file__).resolve().parent.parent
Servers = dict[str, tuple[subprocess.Popen[bytes], str]]


def memory(server: subprocess.Popen[bytes]) -> list[dict[str, float]]:
    """VmRSS, RssAnon and RssFile (MB) of each worker."""
    found = []
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        fields = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) / 1024
        found.append(fields)
    return found


def settled(server: subprocess.Popen[bytes], timeout: float = 300) -> list[dict[str, float]]:
    """Memory once both workers are up and it stops growing (warm-up done)."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = memory(server)
        sizes = [round(m.get("VmRSS", 0)) for m in now]
        if len(now) == 2 and sizes == last:
            return now
        last = sizes
        time.sleep(3)
    return memory(server)


def get(client: httpx.Client, base: str, path: str) -> float:
    started = time.perf_counter()
    response = client.get(base + path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def start(trees: dict[str, Path], home: Path, url: str) -> Servers:
    servers = {}
    for name, tree in trees.items():
        env = environment(tree, home, url)
        env |= {f"TRACKER_RATE_{k}": "1000000/minute" for k in ("LISTING", "EXPORT")}
        servers[name] = serve(tree, env)
    return servers


def stop(servers: Servers) -> None:
    for server, _base in servers.values():
        server.terminate()
        server.wait(timeout=60)


def search_path(query: str) -> str:
    return "/search?" + str(httpx.QueryParams(q=query))


def measure(trees: dict[str, Path], home: Path, url: str, rounds: int, page_rounds: int) -> dict:
    found: dict = {name: {"search": {}} for name in trees}
    with httpx.Client(timeout=600) as client:
        for kind, queries in SEARCHES.items():
            servers = start(trees, home, url)
            try:
                for name, (server, base) in servers.items():
                    settled(server)
                    first = get(client, base, search_path(queries[0]))
                    found[name]["search"][kind] = {"first": first}
                times: dict[str, list[float]] = {name: [] for name in trees}
                cpu = {name: server_cpu(server) for name, (server, _b) in servers.items()}
                for _ in range(rounds):
                    for query in queries:
                        for name, (_server, base) in servers.items():
                            times[name].append(get(client, base, search_path(query)))
                for name, (server, _base) in servers.items():
                    row = found[name]["search"][kind]
                    spent = (server_cpu(server) - cpu[name]) * 1000 / len(times[name])
                    row.update(p50=statistics.median(times[name]), p95=p95(times[name]), cpu=spent)
                    print(f"  {name} {kind}: first {row['first']:.0f} ms, p50 {row['p50']:.1f}, "
                          f"p95 {row['p95']:.1f}, CPU {spent:.1f} ms/req", flush=True)  # fmt: skip
            finally:
                stop(servers)
        servers = start(trees, home, url)
        try:
            for name, (server, _base) in servers.items():
                found[name]["rss_warm"] = settled(server)
            with httpx.Client(timeout=600) as client:
                for _ in range(page_rounds):
                    for queries in SEARCHES.values():
                        for query in queries:
                            for _server, base in servers.values():
                                get(client, base, search_path(query))
                    for _label, path in pages(item_id(url)):
                        for _server, base in servers.values():
                            get(client, base, path)
            for name, (server, _base) in servers.items():
                found[name]["rss_after"] = memory(server)
        finally:
            stop(servers)
    return found


def item_id(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT max(id) FROM item")).scalar_one()) // 2
    finally:
        engine.dispose()


def show(found: dict) -> None:
    names = list(found)
    print("\n| measurement | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for when, label in (("rss_warm", "after warm-up"), ("rss_after", "after searches and pages")):
        for field in ("VmRSS", "RssAnon", "RssFile"):
            cells = [" / ".join(f"{m.get(field, 0):.0f}" for m in found[n][when]) for n in names]
            print(f"| worker {field} MB {label} (each worker) | " + " | ".join(cells) + " |")
    for kind in SEARCHES:
        for key, label, spec in (("first", "first ms", ".0f"), ("p95", "warm p95 ms", ".1f"),
                                 ("cpu", "server CPU ms/req", ".1f")):  # fmt: skip
            cells = [format(found[n]["search"][kind][key], spec) for n in names]
            print(f"| /search {kind}: {label} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("home", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="the other tree")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--pages", type=int, default=3, help="rounds of every page before RSS")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": ROOT}
    found = measure(trees, args.home, args.database_url, args.rounds, args.pages)
    show(found)
    print(f"\nload average (1 min) at the end: {__import__('os').getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
