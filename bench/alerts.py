"""Alert digests at scale: decide and queue, then send through a local SMTP server.

    python bench/alerts.py [--items 100000] [--new 500] [--subs 10000] [--database-url URL]

Fills a store (SQLite in a temporary TRACKER_HOME, or --database-url) with
`items + new` generated items (bench/pages_corpus.py), and `subs` confirmed
subscriptions over the views readers follow (everything, a topic, a topic of
one type, an entity, a type, a source), all started after the first `items`:
the last `new` items are what arrived since. Then times what the worker does:

1. decide + queue (`decide_all`): every due subscription's digest written to
   the outbox with its `alert_sent` rows. Target: <= 30 s.
2. send (`deliver`): every queued mail composed and sent over SMTP to an
   aiosmtpd server in another process on 127.0.0.1 (its Sink handler). Target:
   >= 50 mails/s.

Wall and CPU time side by side, and the process's peak memory (max RSS,
which includes building the store).
"""

from __future__ import annotations

import argparse
import random
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import mkdtemp
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from pages_corpus import DOC_TYPES, ENTITIES, TOPICS, fill  # noqa: E402

from tracker.alerts import send  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.models import AlertSent, AlertSubscription, Source  # noqa: E402
from tracker.pipeline import Pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=500)
    parser.add_argument("--subs", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    home = Path(mkdtemp(prefix="tracker-alerts-bench-"))
    smtp, port = _smtp_server()
    try:
        env = {"TRACKER_HOME": str(home), "TRACKER_DATABASE_URL": args.database_url,
               "TRACKER_SMTP_URL": f"smtp://127.0.0.1:{port}",
               "TRACKER_BASE_URL": "https://tracker.example.org"}  # fmt: skip
        settings = Settings.from_env(env)
        pipeline = Pipeline(settings)
        pipeline.init()
        rng = random.Random(args.seed)
        started = time.perf_counter()
        fill(pipeline.engine, args.items + args.new, rng, datetime.now(UTC))
        _subscribe(pipeline.engine, args.subs, args.items, rng)
        if pipeline.engine.dialect.name == "postgresql":
            with pipeline.engine.begin() as conn:  # as autovacuum would after a bulk load
                conn.execute(sa.text("ANALYZE"))
        filled = time.perf_counter() - started
        print(f"store: {args.items + args.new:,} items ({args.new} new), {args.subs:,} "
              f"subscriptions, filled in {filled:.1f} s ({pipeline.engine.dialect.name}); "
              f"max RSS so far {_max_rss_mb():.0f} MB")  # fmt: skip
        queued = _timed("decide + queue", lambda: send.decide_all(settings, pipeline.engine))
        with pipeline.engine.connect() as conn:
            sent = AlertSent.__table__  # type: ignore[attr-defined]
            rows = conn.execute(sa.select(sa.func.count()).select_from(sent)).scalar_one()
        print(f"  {queued:,} digests queued, {rows:,} item rows recorded (target <= 30 s)")
        report = _timed("send", lambda: send.deliver(settings, pipeline.engine))
        print(f"  mails: {dict(report.states)}; errors: {len(report.errors)}")
        pipeline.engine.dispose()
    finally:
        smtp.terminate()
        smtp.wait(10)
        shutil.rmtree(home, ignore_errors=True)
    print(f"peak memory (max RSS of this process): {_max_rss_mb():.0f} MB")


def _timed(name: str, work: Callable[[], T]) -> T:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    mails = sum(result.states.values()) if isinstance(result, send.Report) else 0
    rate = f", {mails / wall:.0f} mails/s" if mails else ""
    print(f"{name}: wall {wall:.1f} s, CPU {cpu:.1f} s{rate}; max RSS {_max_rss_mb():.0f} MB")
    return result


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _views(conn: sa.Connection) -> list[tuple[str, str, int]]:
    """(path, query, weight) of what readers follow."""
    sources = [s for s in conn.execute(sa.select(Source.__table__.c.slug)).scalars()]
    types = sorted(set(DOC_TYPES))
    views = [("/", "", 20)]
    views += [(f"/topics/{t}", "", 10) for t in TOPICS]
    views += [(f"/topics/{t}", f"type={d}", 1) for t in TOPICS for d in types]
    views += [(f"/entities/{e}", "", 3) for e in ENTITIES]
    views += [(f"/entities/{e}", "type=letter", 1) for e in ENTITIES]
    views += [(f"/types/{d}", "", 4) for d in types]
    views += [(f"/sources/{s}", "", 1) for s in sources]
    return views


def _subscribe(engine: sa.Engine, count: int, started_at_seq: int, rng: random.Random) -> None:
    """`count` confirmed subscriptions, started when item `started_at_seq` was the last."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        views = _views(conn)
        chosen = rng.choices(views, weights=[w for _, _, w in views], k=count)
        rows = [
            {"email": f"reader{n}@bench.example", "path": path, "query": query,
             "label": path, "frequency": "immediate", "token": secrets.token_urlsafe(32),
             "site": "", "created_at": now - timedelta(days=3),
             "confirmed_at": now - timedelta(days=3), "unsubscribed_at": None,
             "last_sent_seq": started_at_seq, "last_digest_at": now - timedelta(days=3)}
            for n, (path, query, _) in enumerate(chosen)
        ]  # fmt: skip
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(AlertSubscription.__table__), rows[start : start + 5000])


def _smtp_server() -> tuple[subprocess.Popen[bytes], int]:
    """aiosmtpd's Sink (takes every mail, keeps none) in its own process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the SMTP server did not start")


if __name__ == "__main__":
    main()
