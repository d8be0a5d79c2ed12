"""The HTTP half of bench/million.py: the store served by `gunicorn -w 2`, timed from outside.

- /search per query class (bench/search_http.py's classes and a facet-heavy
  one: broad words whose hits span every type, source and topic): the first
  request a fresh server answers, then warm requests; the server's CPU per
  warm request beside the wall time;
- every page of bench/pages.py on one fresh server: its first request, warm
  p50 and p95, and the first request after an item changed (a new sequence
  number, as any edit or re-fetch gives, then past the version memo's second);
- a topic feed answered 304 (`If-None-Match`) beside a trivial Flask app
  served the same way (gunicorn -w 2), as requests per second;
- each gunicorn worker's resident memory (VmRSS) after the page runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import sqlalchemy as sa
from pages import pages
from search_http import CLASSES, free_port, p95, serve, server_cpu

from tracker.models import Item, table_of

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = {
    **CLASSES,
    "facet-heavy": ["security", "chips", "department", "export controls", "commerce"],
}
FEED = "/topics/export-controls.rss"
TRIVIAL = (
    "from flask import Flask\napp = Flask(__name__)\napp.add_url_rule('/', 'ok', lambda: 'ok')\n"
)

IN_APP = "from app import app\napp.add_url_rule('/bench/trivial', 'bench_trivial', lambda: 'ok')\n"
Say = Callable[[str], None]


def timed(client: httpx.Client, url: str, headers: dict[str, str] | None = None,
          expect: int = 200) -> float:  # fmt: skip
    """Milliseconds for one request, its status checked."""
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    ms = (time.perf_counter() - started) * 1000
    if response.status_code != expect:
        raise SystemExit(f"{url}: {response.status_code}, expected {expect}")
    return ms


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=60)


def search_figures(env: dict[str, str], rounds: int, say: Say) -> dict[str, dict[str, float]]:
    """Per class: first request on a fresh server, warm p50/p95, server CPU per request."""
    found = {}
    with httpx.Client(timeout=300) as client:
        for kind, queries in SEARCHES.items():
            server, base = serve(ROOT, env)  # a fresh server: the first request is a first
            try:
                first = timed(client, f"{base}/search?" + httpx.QueryParams(q=queries[0]).__str__())
                times, cpu = [], server_cpu(server)
                for _ in range(rounds):
                    for query in queries:
                        url = f"{base}/search?" + str(httpx.QueryParams(q=query))
                        times.append(timed(client, url))
                cpu_ms = (server_cpu(server) - cpu) * 1000 / len(times)
            finally:
                stop(server)
            found[kind] = {"first": first, "p50": statistics.median(times), "p95": p95(times),
                           "cpu": cpu_ms}  # fmt: skip
            say(f"  search {kind}: first {first:.0f} ms, p50 {found[kind]['p50']:.1f}, "
                f"p95 {found[kind]['p95']:.1f}")  # fmt: skip
    return found


def page_figures(
    env: dict[str, str], engine: sa.Engine, rounds: int, say: Say
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Every page: first, warm p50/p95, first after a change; then the workers' VmRSS (MB)."""
    from tracker.store.engine import session_scope
    from tracker.store.events import bump

    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(table_of(Item).c.id))).scalar_one()
    item_id = top // 2
    found: dict[str, dict[str, float]] = {}
    server, base = serve(ROOT, env)
    try:
        with httpx.Client(timeout=300) as client:
            for n, (name, path) in enumerate(pages(item_id)):
                first = timed(client, base + path)
                cpu = server_cpu(server)
                times = [timed(client, base + path) for _ in range(rounds)]
                cpu_ms = (server_cpu(server) - cpu) * 1000 / rounds
                with session_scope(engine) as session:
                    bump(session, [item_id + n])  # an edit: remembered aggregates go
                time.sleep(1.1)  # past the version memo's one second
                # Both workers answer in turn: the slower is what some reader meets.
                changed = max(timed(client, base + path) for _ in range(2))
                found[name] = {"path": path, "first": first, "changed": changed,  # type: ignore[dict-item]
                               "p50": statistics.median(times), "p95": p95(times),
                               "cpu": cpu_ms}  # fmt: skip
                say(f"  page {name}: first {first:.0f} ms, after change {changed:.0f}, "
                    f"p95 {found[name]['p95']:.1f}")  # fmt: skip
        memory = worker_memory(server)
    finally:
        stop(server)
    return found, memory


def worker_memory(server: subprocess.Popen[bytes]) -> dict[str, float]:
    """Resident memory (MB) of each gunicorn worker, from /proc."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    found = {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found[pid] = int(line.split()[1]) / 1024
    return found


def not_modified(env: dict[str, str], rounds: int, home: Path) -> dict[str, float]:
    """Median ms: a feed's 304, a trivial view in the same app, and a bare Flask app's
    trivial response, all under gunicorn -w 2, requests alternated."""
    (home / "trivial_app.py").write_text(TRIVIAL)
    (home / "million_app.py").write_text(IN_APP)
    bare_port, app_port = free_port(), free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "2", "-b"]
    bare = subprocess.Popen([*gunicorn, f"127.0.0.1:{bare_port}", "trivial_app:app"], cwd=home,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    app = subprocess.Popen([*gunicorn, f"127.0.0.1:{app_port}", "million_app:app"], cwd=ROOT,
                           env={**env, "PYTHONPATH": f"{ROOT}:{home}"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base, plain_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}/"
    times: dict[str, list[float]] = {"bare": [], "in_app": [], "feed304": []}
    try:
        with httpx.Client(timeout=60) as client:
            _up(client, plain_url)
            _up(client, base + "/bench/trivial")
            etag = client.get(base + FEED).headers["ETag"]
            for _ in range(rounds * 10):
                times["bare"].append(timed(client, plain_url))
                times["in_app"].append(timed(client, base + "/bench/trivial"))
                times["feed304"].append(timed(client, base + FEED, {"If-None-Match": etag}, 304))
    finally:
        stop(app)
        stop(bare)
    p50 = {k: statistics.median(v) for k, v in times.items()}
    return {"trivial_p50": p50["bare"], "in_app_p50": p50["in_app"],
            "feed304_p50": p50["feed304"], "ratio": p50["bare"] / p50["feed304"],
            "ratio_in_app": p50["in_app"] / p50["feed304"]}  # fmt: skip


def _up(client: httpx.Client, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get(url).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the trivial app did not start")


def measure_http(
    env: dict[str, str], engine: sa.Engine, rounds: int, say: Say
) -> dict[str, object]:
    """Every HTTP figure of one store."""
    searches = search_figures(env, rounds, say)
    page_times, memory = page_figures(env, engine, rounds, say)
    say(f"  worker VmRSS MB: {', '.join(f'{v:.0f}' for v in memory.values())}")
    cached = not_modified(env, rounds, Path(env["TRACKER_HOME"]))
    say(f"  304: {cached['feed304_p50']:.2f} ms; trivial: bare Flask {cached['trivial_p50']:.2f} "
        f"ms ({cached['ratio']:.2f}x), in the app {cached['in_app_p50']:.2f} ms "
        f"({cached['ratio_in_app']:.2f}x)")  # fmt: skip
    return {"search": searches, "pages": page_times, "rss_mb": memory, "not_modified": cached}


def main() -> None:
    """Measure a store kept by `bench/million.py --keep` again: DATABASE_URL HOME [ROUNDS]."""
    import json
    import os

    from million import environment

    url, home = sys.argv[1], Path(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    env = environment(home, url)
    engine = sa.create_engine(url)
    found = measure_http(env, engine, rounds, lambda text: print(text, file=sys.stderr))
    found["load_average"] = os.getloadavg()[0]
    print(json.dumps(found))


if __name__ == "__main__":
    main()
