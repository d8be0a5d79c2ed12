"""One `tracker fetch` run against every hostile source at once: outcome, reason, time, memory.

    python bench/hostile.py

Serves tests/hostile_server.py's cases on 127.0.0.1 (good feeds beside gzip
bombs, broken redirects, endless bodies, entity bombs, ...), writes a
sources.toml listing them all into a fresh TRACKER_HOME, and runs `tracker
fetch` once, as a subprocess, the way a user would. Prints one row per source
from the fetch log (outcome, seconds, reason), then the run's exit code, wall
time and peak resident memory: the largest process (wait4's ru_maxrss) and
the whole process tree (sampled from /proc every 20 ms).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from hostile_server import CASES, run_measured, serving, sources_toml  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.models import FetchLog, Item, Source  # noqa: E402
from tracker.store.engine import make_engine  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, serving() as server:
        home = Path(folder)
        data = home / "data"
        data.mkdir()
        shutil.copy(REPO / "data" / "taxonomy.toml", data / "taxonomy.toml")
        (data / "sources.toml").write_text(sources_toml(server), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        env |= {"TRACKER_HOME": str(home), "TRACKER_DATA_DIR": str(data),
                "TRACKER_ALLOW_PRIVATE_FETCH": "1", "PYTHONPATH": str(REPO)}  # fmt: skip
        run = run_measured([sys.executable, "-m", "tracker.cli", "fetch"], env, home)
        rows = _rows(Settings.from_env(env))
    expected = {c.slug: c.expect for c in CASES}
    print(f"{'source':<20} {'expected':<8} {'outcome':<8} {'items':>5} {'seconds':>7}  reason")
    for slug, outcome, items, seconds, reason in rows:
        print(f"{slug:<20} {expected[slug]:<8} {outcome:<8} {items:>5} {seconds:>7.2f}  {reason}")
    tracebacks = "Traceback" in run.stderr + run.stdout
    print(f"\nexit code {run.returncode}; {run.seconds:.1f} s; traceback printed: {tracebacks}")
    print(f"peak resident memory: largest process {run.peak_mib:.0f} MiB, "
          f"process tree {run.tree_peak_mib:.0f} MiB (limit 600 MB)")  # fmt: skip


def _rows(settings: Settings) -> list[tuple[str, str, int, float, str]]:
    engine = make_engine(settings)
    with Session(engine) as session:
        logs = session.exec(select(FetchLog, Source).join(Source).order_by(FetchLog.id)).all()  # type: ignore[arg-type]
        rows = []
        for log, source in logs:
            count = len(session.exec(select(Item.id).where(Item.source_id == source.id)).all())
            seconds = (log.finished_at - log.started_at).total_seconds()
            rows.append((source.slug, log.outcome, count, seconds, log.error or ""))
    engine.dispose()
    return rows


if __name__ == "__main__":
    main()
