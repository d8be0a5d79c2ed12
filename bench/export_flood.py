"""The home page while four anonymous clients loop on /items.csv: gunicorn, 2 workers.

    pip install -e '.[bench]'
    git archive main | tar -x -C /tmp/before      # the code to compare with
    python bench/export_flood.py --before /tmp/before [--items 20000] [--seconds 30]

Fills a SQLite database of generated items (bench/pages_corpus.py) once, then
for each round and each side (the code in --before, then this tree, then the
other way round) starts `gunicorn -w 2 app:app` on a free port of 127.0.0.1
with that side's code and its default settings, and:

1. probes `GET /` alone for a few seconds (idle latency);
2. starts four flood clients, each from its own loopback address (so each is
   a client of its own to the rate limiter), each fetching /items.csv in a
   loop and ignoring Retry-After, as an attacker would; and probes `GET /`
   from a fifth address every 0.6 s (100 a minute, under the listing limit).

Prints the probe's p50/p95/max with and without the flood, and what the
flood got (answers, rows per file, seconds per file). Sides alternate within
one run, so both see the same machine. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
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

from load import free_port, wait_until_up  # noqa: E402
from pages_corpus import fill  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402

FLOODERS = 4
PROBE_EVERY = 0.6


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


async def probe(base: str, seconds: float, latencies: list[float]) -> Counter[int]:
    """`GET /` from 127.0.0.2 every PROBE_EVERY seconds; the latency of each answer."""
    statuses: Counter[int] = Counter()
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=base, timeout=120, transport=transport) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await client.get("/")
            latencies.append(time.perf_counter() - started)
            statuses[response.status_code] += 1
            await asyncio.sleep(max(0.0, PROBE_EVERY - latencies[-1]))
    return statuses


async def flood(base: str, seconds: float, n: int, found: dict[str, list[float]]) -> None:
    """/items.csv in a loop from 127.0.0.(11 + n), whatever the answer says."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{11 + n}")
    async with httpx.AsyncClient(base_url=base, timeout=120, transport=transport) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                response = await client.get("/items.csv")
            except httpx.HTTPError:
                found.setdefault("error", []).append(time.perf_counter() - started)
                continue
            spent = time.perf_counter() - started
            found.setdefault(str(response.status_code), []).append(spent)
            if response.status_code == 200:
                found.setdefault("rows", []).append(response.text.count("\r\n") - 1)


async def round_trip(base: str, idle: float, seconds: float) -> dict[str, object]:
    quiet: list[float] = []
    await probe(base, idle, quiet)
    loud: list[float] = []
    found: dict[str, list[float]] = {}
    tasks = [flood(base, seconds, n, found) for n in range(FLOODERS)]
    statuses, *_ = await asyncio.gather(probe(base, seconds, loud), *tasks)
    return {"quiet": quiet, "loud": loud, "flood": found, "probe_statuses": statuses}


def serve(tree: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    side_env = {**env, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:app"]
    return subprocess.Popen(command, cwd=tree, env=side_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the code to compare with")
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--idle", type=float, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    home = Path(mkdtemp(prefix="tracker-flood-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(home)
    pipeline = Pipeline(Settings.from_env(env))
    pipeline.init()
    fill(pipeline.engine, args.items, random.Random(5), datetime.now(UTC))
    pipeline.engine.dispose()
    sides = {"before": args.before.resolve(), "after": ROOT}
    rows = []
    try:
        for number in range(args.rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                port = free_port()
                server = serve(sides[side], env, port)
                try:
                    base = f"http://127.0.0.1:{port}"
                    wait_until_up(base)
                    result = asyncio.run(round_trip(base, args.idle, args.seconds))
                finally:
                    server.terminate()
                    server.wait(timeout=60)
                rows.append((side, number + 1, result))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    report(rows, args)


def report(rows: list[tuple[str, int, dict[str, object]]], args: argparse.Namespace) -> None:
    print(f"{args.items:,} items, gunicorn -w 2, SQLite, default settings; {FLOODERS} clients "
          f"loop on /items.csv for {args.seconds:.0f} s while GET / is probed every "
          f"{PROBE_EVERY} s\n")  # fmt: skip
    print("| side | round | GET / alone p50 ms | GET / under flood p50 ms | p95 ms | max ms "
          "| /items.csv answers | rows per file | s per file (p50) |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for side, number, result in rows:
        quiet, loud = result["quiet"], result["loud"]
        found: dict[str, list[float]] = result["flood"]  # type: ignore[assignment]
        answers = ", ".join(f"{code}: {len(v)}" for code, v in sorted(found.items())
                            if code != "rows")  # fmt: skip
        files = found.get("200", [])
        per_file = f"{statistics.median(files):.2f}" if files else "-"
        rows_each = f"{statistics.median(found['rows']):,.0f}" if found.get("rows") else "-"
        print(
            f"| {side} | {number} | {statistics.median(quiet) * 1e3:.0f} "  # type: ignore[arg-type]
            f"| {statistics.median(loud) * 1e3:.0f} | {percentile(loud, 0.95) * 1e3:.0f} "  # type: ignore[arg-type]
            f"| {max(loud) * 1e3:.0f} | {answers} | {rows_each} | {per_file} |"
        )  # type: ignore[type-var]


if __name__ == "__main__":
    main()
