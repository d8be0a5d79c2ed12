"""The site under load while an ingest writes: gunicorn, 2 workers, 127.0.0.1 only.

    pip install -e '.[bench]'
    python bench/load.py [--items 100000] [--db PATH] [--seconds 60] [--clients 8]

Fills (or reuses) a SQLite database of generated items (bench/pages_corpus.py),
builds its search index, starts `gunicorn app:app` with two workers on a free
port of 127.0.0.1, starts `tracker ingest` on a generated feed in a loop, and
drives the site with a bounded number of concurrent clients for a fixed time
over a mix of the home page, timelines, search, item pages, feeds and the API.
Prints requests per second, p50 and p99 latency, and the count of 5xx answers
and connection errors. Target: none of either, p99 under 500 ms. Every request
goes to 127.0.0.1, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from ingest import make_feed  # noqa: E402
from pages_corpus import fill  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.models import Item  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402

MIX = (
    ("home", "/", 3),
    ("topic", "/topics/distillation", 3),
    ("entity", "/entities/alibaba", 3),
    ("topic filtered", "/topics/export-controls?type=news", 1),
    ("search", "/search?q=qwen+letter", 2),
    ("search phrase", '/search?q="export+controls"', 1),
    ("item", "/items/{item}", 4),
    ("feed", "/topics/distillation.rss", 2),
    ("atom", "/entities/alibaba.atom", 1),
    ("api", "/api/v1/items?topic=distillation", 2),
    ("api item", "/api/v1/items/{item}", 1),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(home: Path, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_HOME=str(home),
        TRACKER_DATABASE_URL=f"sqlite:///{db}",
        # The bench is one client address sending thousands of requests: lift
        # the per-client limits so the server, not the limiter, is measured.
        TRACKER_RATE_SEARCH="1000000/minute",
        TRACKER_RATE_API="1000000/minute",
    )
    return env


async def drive(base: str, seconds: float, clients: int, top_item: int) -> dict[str, object]:
    weighted = [(name, path) for name, path, weight in MIX for _ in range(weight)]
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def one_client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                kind, path = rng.choice(weighted)
                url = path.format(item=rng.randint(1, top_item))
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    statuses[response.status_code] += 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                    continue
                latencies.append(time.perf_counter() - started)
                by_kind.setdefault(kind, []).append(latencies[-1])

        await asyncio.gather(*(one_client(n) for n in range(clients)))
    return {"latencies": latencies, "statuses": statuses, "errors": errors, "by_kind": by_kind}


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="SQLite file to fill or reuse")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    home = args.db.parent if args.db else Path(mkdtemp(prefix="tracker-load-"))
    db = args.db or home / "tracker.db"
    env = environment(home, db)
    pipeline = Pipeline(Settings.from_env(env))
    pipeline.init()
    with pipeline.engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(Item.__table__)).scalar_one()
    if have < args.items:
        fill(pipeline.engine, args.items, random.Random(5), datetime.now(UTC))
        have = args.items
    pipeline.engine.dispose()
    tracker = [sys.executable, "-m", "tracker.cli"]
    subprocess.run([*tracker, "reindex"], env=env, check=True, capture_output=True)
    feed = home / "load-feed.xml"
    feed.write_bytes(make_feed(2000, per_day=40))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    writer: subprocess.Popen[bytes] | None = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        loop = 'while true; do "$@"; done'
        writer = subprocess.Popen(
            ["sh", "-c", loop, "sh", *tracker, "ingest", str(feed), "--source", "load-writer"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        result = asyncio.run(drive(base, args.seconds, args.clients, have))
    finally:
        if writer is not None:
            os.killpg(writer.pid, signal.SIGTERM)
            writer.wait()
        server.terminate()
        server.wait(timeout=30)
        if not args.db:
            shutil.rmtree(home, ignore_errors=True)
    report(result, args)


def report(result: dict[str, object], args: argparse.Namespace) -> None:
    latencies = sorted(result["latencies"])  # type: ignore[call-overload]
    statuses: Counter[int] = result["statuses"]  # type: ignore[assignment]
    errors: Counter[str] = result["errors"]  # type: ignore[assignment]
    done = len(latencies)
    p99 = latencies[min(done - 1, int(done * 0.99))] if done else float("nan")
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    print(f"{args.items:,} items, {args.clients} clients, {args.seconds:.0f} s, "
          "gunicorn 2 workers, an ingest writing throughout\n")  # fmt: skip
    print("| requests/s | p50 ms | p99 ms | 5xx | connection errors | statuses |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    print(f"| {done / args.seconds:,.1f} | {statistics.median(latencies) * 1e3:.0f} | "
          f"{p99 * 1e3:.0f} | {server_errors} | {sum(errors.values())} | {codes} |")  # fmt: skip
    if errors:
        print("errors:", dict(errors))
    print("\n| request | count | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |")
    for kind, values in sorted(result["by_kind"].items()):  # type: ignore[attr-defined]
        values = sorted(values)
        p99_kind = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"| {kind} | {len(values)} | {statistics.median(values) * 1e3:.0f} | "
              f"{p99_kind * 1e3:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
