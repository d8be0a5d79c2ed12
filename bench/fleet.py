"""Fetch workers at scale (issue 15, item 5): 1, 2 and 4 `tracker worker`
processes against PostgreSQL and a farm of 2,000 feeds, for a fixed time.

    python bench/fleet.py [--seconds 60] [--feeds 2000] [--hosts 200] [--netns]

The farm (bench/fleet_farm.py) serves every feed on its own loopback address
(127.0.1.x), with 0.5 to 4 s of latency, failures, 429s with Retry-After and
304s. Each run gets a fresh PostgreSQL schema with the 2,000 sources, starts
the workers, waits until each has sent its first heartbeat, counts for the
fixed time, then stops them with SIGTERM. It reports sources fetched per
minute (fetch-log rows finished inside the window), the busiest host's
requests in any one second and at once (the politeness limit is one at a
time and TRACKER_HOST_GAP = 1 s between two), fetches of one feed that
overlapped (must be 0), and items served by the farm but not stored (must be
0). A last run SIGKILLs one of four workers half-way.

With --netns, every worker runs in a network namespace of its own (its own
host: a veth pair to a bridge on 10.77.0.0/16), the farm listens on addresses
of that bridge, and PostgreSQL is reached over the link through a socat relay
on 10.77.0.1:5432. Every address is created here and removed afterwards.
Needs root, `ip` and `socat`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.config import Settings  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402

PG = os.environ.get("TRACKER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
LEASE, GAP, CONCURRENCY = 15, 1.0, 4
NETNS_BRIDGE, NETNS_PREFIX = "ptfbr0", "ptf-w"
TICK = os.sysconf("SC_CLK_TCK")


def run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


@contextmanager
def network(namespaces: int, hosts: int) -> Any:
    """A bridge with the farm's addresses, `namespaces` worker hosts, a PostgreSQL relay."""
    run("ip", "link", "add", NETNS_BRIDGE, "type", "bridge")
    relay = None
    try:
        run("ip", "addr", "add", "10.77.0.1/16", "dev", NETNS_BRIDGE)
        for h in range(hosts):
            run("ip", "addr", "add", f"10.77.{1 + h // 250}.{1 + h % 250}/32", "dev", NETNS_BRIDGE)
        run("ip", "link", "set", NETNS_BRIDGE, "up")
        for n in range(namespaces):
            ns, outer, inner = f"{NETNS_PREFIX}{n}", f"ptfv{n}", f"ptfp{n}"
            run("ip", "netns", "add", ns)
            run("ip", "link", "add", outer, "type", "veth", "peer", "name", inner)
            run("ip", "link", "set", outer, "master", NETNS_BRIDGE, "up")
            run("ip", "link", "set", inner, "netns", ns)
            run("ip", "-n", ns, "addr", "add", f"10.77.0.{10 + n}/16", "dev", inner)
            run("ip", "-n", ns, "link", "set", inner, "up")
            run("ip", "-n", ns, "link", "set", "lo", "up")
        relay = subprocess.Popen(
            ["socat", "TCP-LISTEN:5432,bind=10.77.0.1,fork,reuseaddr", "TCP:127.0.0.1:5432"]
        )
        time.sleep(0.5)
        yield
    finally:
        if relay:
            relay.terminate()
            relay.wait()
        for n in range(namespaces):
            subprocess.run(["ip", "netns", "del", f"{NETNS_PREFIX}{n}"], capture_output=True)
            subprocess.run(["ip", "link", "del", f"ptfv{n}"], capture_output=True)
        subprocess.run(["ip", "link", "del", NETNS_BRIDGE], capture_output=True)


def addresses(hosts: int, netns: bool) -> list[str]:
    if netns:
        return [f"10.77.{1 + h // 250}.{1 + h % 250}" for h in range(hosts)]
    return [f"127.0.{1 + h // 250}.{1 + h % 250}" for h in range(hosts)]


@contextmanager
def schema() -> Any:
    name = "fleet_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(PG)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield name
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def url_for(schema_name: str, netns: bool) -> str:
    base = PG.replace("127.0.0.1", "10.77.0.1") if netns else PG
    return f"{base}?options=-csearch_path%3D{schema_name}"


def prepare(work: Path, database_url: str, feeds: int, hosts: list[str]) -> dict[str, str]:
    """A data folder with the farm's sources, loaded into the schema (`tracker init`)."""
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "data" / "taxonomy.toml", data / "taxonomy.toml")
    with open(data / "sources.toml", "w", encoding="utf-8") as out:
        for i in range(feeds):
            url = f"http://{hosts[i % len(hosts)]}:8080/feed/{i}"
            out.write(f'[[source]]\nslug = "farm-{i}"\nname = "Farm feed {i}"\nkind = "rss"\n'
                      f'url = "{url}"\ndoc_type = "news"\ninterval_minutes = 1\n\n')  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")} | {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_DATA_DIR": str(data),
        "TRACKER_ALLOW_PRIVATE_FETCH": "1",
        "TRACKER_HOST_GAP": str(GAP),
        "TRACKER_LEASE_SECONDS": str(LEASE),
        "TRACKER_HEARTBEAT_SECONDS": "3",
        "TRACKER_WORKER_CONCURRENCY": str(CONCURRENCY),
        "PYTHONPATH": str(ROOT),
    }
    return env


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def one_run(args: argparse.Namespace, workers: int, kill: bool, netns: bool) -> dict[str, Any]:
    hosts = addresses(args.hosts, netns)
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fleet-")))
        name = stack.enter_context(schema())
        env = prepare(work, url_for(name, False), args.feeds, hosts)
        setup = Pipeline(Settings.from_env(env | {"TRACKER_HOME": str(work / "init")}))
        setup.init()
        farm_log = work / "farm.jsonl"
        farm = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "fleet_farm.py"), "--addresses", ",".join(hosts),
             "--feeds", str(args.feeds), "--log", str(farm_log)], stdout=subprocess.PIPE,
        )  # fmt: skip
        assert farm.stdout is not None and farm.stdout.readline().strip() == b"farm ready"
        procs = []
        for n in range(workers):
            wenv = env | {"TRACKER_HOME": str(work / f"w{n}"),
                          "TRACKER_DATABASE_URL": url_for(name, netns)}  # fmt: skip
            prefix = ["ip", "netns", "exec", f"{NETNS_PREFIX}{n}"] if netns else []
            log = open(work / f"w{n}.log", "wb")  # noqa: SIM115  # closed with the run
            stack.callback(log.close)
            command = [*prefix, sys.executable, "-m", "tracker.cli", "worker"]
            procs.append(subprocess.Popen(command, env=wenv, stdout=log, stderr=subprocess.STDOUT))
        beats = _wait_for_beats(setup, workers)
        t0 = datetime.now(UTC)
        killed_at = None
        cpu = {}
        if kill:
            time.sleep(args.seconds / 2)
            cpu[procs[0].pid] = cpu_seconds(procs[0].pid)
            procs[0].send_signal(signal.SIGKILL)
            killed_at = time.time()
            time.sleep(args.seconds / 2)
        else:
            time.sleep(args.seconds)
        t1 = datetime.now(UTC)
        if kill:
            # Not counted: the time the survivors need to take over what the
            # killed worker held (its leases run out), so that what it lost shows.
            time.sleep(LEASE + 15)
        for proc in procs:
            cpu.setdefault(proc.pid, cpu_seconds(proc.pid))
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=90)
        farm_cpu = cpu_seconds(farm.pid)
        farm.send_signal(signal.SIGTERM)
        farm.wait(timeout=60)
        result = measure(setup, farm_log, t0, t1, args.seconds)
        shutil.copy(farm_log, Path(tempfile.gettempdir()) / "fleet-last-farm.jsonl")
        result |= {"workers": workers, "cpu": sum(cpu.values()), "farm_cpu": farm_cpu,
                   "netns": netns, "killed": killed_at is not None, "startup": beats}  # fmt: skip
        setup.engine.dispose()
        return result


def _wait_for_beats(setup: Pipeline, workers: int) -> float:
    start = time.monotonic()
    while True:
        with setup.engine.connect() as conn:
            if conn.execute(sa.text("SELECT count(*) FROM worker_beat")).scalar() >= workers:
                return time.monotonic() - start
        if time.monotonic() - start > 120:
            raise SystemExit("workers did not start; see their logs")
        time.sleep(0.2)


def measure(setup: Pipeline, farm_log: Path, t0: datetime, t1: datetime, seconds: float) -> dict:
    with setup.engine.connect() as conn:
        window = {"a": t0.replace(tzinfo=None), "b": t1.replace(tzinfo=None)}
        fetched = conn.execute(sa.text(
            "SELECT count(*) FROM fetchlog WHERE finished_at >= :a AND finished_at < :b"
        ), window).scalar()  # fmt: skip
        stored = {row[0] for row in conn.execute(sa.text("SELECT guid FROM itemsource"))}
    rows = [json.loads(line) for line in farm_log.read_text().splitlines()]
    by_host: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_feed: dict[int, list[tuple[float, float]]] = defaultdict(list)
    served: dict[int, int] = {}
    for host, feed, start, end, status, items in rows:
        by_host[host].append((start, end))
        by_feed[feed].append((start, end))
        if status == 200:
            served[feed] = max(served.get(feed, 0), items)
    span = max(1e-9, max((r[3] for r in rows), default=0) - min((r[2] for r in rows), default=0))
    lost = sum(1 for f, n in served.items() for k in range(n) if f"farm-{f}-{k}" not in stored)
    return {
        "per_minute": fetched * 60 / seconds,
        "requests": len(rows),
        "max_per_second": max((_busiest_second(v) for v in by_host.values()), default=0),
        "max_at_once": max((_most_at_once(v) for v in by_host.values()), default=0),
        "farm_rate": len(rows) / span,
        "duplicates": sum(_most_at_once(v) > 1 for v in by_feed.values()),
        "lost": lost,
        "served": sum(served.values()),
    }


def _busiest_second(spans: list[tuple[float, float]]) -> int:
    starts = sorted(s for s, _ in spans)
    best, j = 0, 0
    for i, start in enumerate(starts):
        while starts[j] <= start - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


def _most_at_once(spans: list[tuple[float, float]]) -> int:
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    best = now = 0
    for _, step in events:
        now += step
        best = max(best, now)
    return best


def table(results: list[dict[str, Any]]) -> None:
    head = ("workers", "where", "fetched/min", "vs 1", "req/host max 1 s", "at once",
            "farm req/s", "dup fetches", "items lost", "worker CPU s", "farm CPU s")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    base = {}
    for r in results:
        key = r["netns"]
        if r["workers"] == 1 and not r["killed"]:
            base[key] = r["per_minute"]
        ratio = r["per_minute"] / base[key] if base.get(key) else float("nan")
        label = f"{r['workers']}" + (" (1 SIGKILLed half-way)" if r["killed"] else "")
        where = "netns hosts" if r["netns"] else "loopback"
        cells = [label, where, f"{r['per_minute']:.0f}", f"{ratio:.2f}x", r["max_per_second"],
                 r["max_at_once"], f"{r['farm_rate']:.1f}", r["duplicates"],
                 f"{r['lost']} of {r['served']}", f"{r['cpu']:.1f}",
                 f"{r['farm_cpu']:.1f}"]  # fmt: skip
        print("| " + " | ".join(str(c) for c in cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--counts", default="1,2,4")
    parser.add_argument("--netns", action="store_true", help="also run each worker as its own host")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    plan = [(n, False, False) for n in counts] + [(max(counts), True, False)]
    if args.netns:
        plan += [(n, False, True) for n in counts]
    results = []
    with ExitStack() as stack:
        if args.netns:
            stack.enter_context(network(max(counts), args.hosts))
        for workers, kill, netns in plan:
            results.append(one_run(args, workers, kill, netns))
            print(f"# done: {workers} workers, kill={kill}, netns={netns}: "
                  f"{results[-1]['per_minute']:.0f}/min", file=sys.stderr, flush=True)  # fmt: skip
    print(
        f"\n{args.feeds:,} feeds on {args.hosts} hosts, {args.seconds:g} s per run, "
        f"{CONCURRENCY} fetches at once per worker, host gap {GAP:g} s, lease {LEASE} s\n"
    )
    table(results)


if __name__ == "__main__":
    main()
