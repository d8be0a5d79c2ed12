"""`tracker ingest` with a stopwatch on each stage, for bench/ingest.py.

    BENCH_LAUNCHED=<epoch seconds> BENCH_STAGES=<json file> \
        python bench/ingest_stages.py ingest FILE --source bench

Runs the command in this process exactly as `python -m tracker.cli` would
(same imports, same click entry point), with timers around the stages the
command goes through: storing the file (`Pipeline.ingest_file`: parse,
normalise and tag on worker processes while this one stores), linking bills,
grouping into events (`place_pending`) and the index catch-up. Each stage's
wall and CPU seconds (this process's; the workers' CPU apart) go to the JSON
file, with `start`: wall seconds from the launch to the command's first line.
A command that ends through `tracker.cli.leave` writes the file just before
it; the exit itself is then in bench/ingest.py's "other" (whole wall minus
the stages), as an ordinary exit is.

    python bench/ingest_stages.py --apart FILE

prints, as JSON, the CPU seconds of parsing FILE whole and of normalising
and tagging its items, each measured alone in this process.

Kept apart from bench/ingest.py so that the process it times imports no
more than the command does; run with PYTHONPATH at the code under test.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Stages = dict[str, list[float]]


def _timed(stages: Stages, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = stages.setdefault(name, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu

    return wrapper


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def staged(argv: list[str]) -> None:
    import tracker.cli
    import tracker.pipeline
    import tracker.search

    stages: Stages = {"start": [time.time() - float(os.environ["BENCH_LAUNCHED"]),
                                time.process_time()]}  # fmt: skip
    pipeline = tracker.pipeline
    pipeline.Pipeline.ingest_file = _timed(stages, "store", pipeline.Pipeline.ingest_file)  # type: ignore[method-assign]
    pipeline.link_bill_mentions = _timed(stages, "bills", pipeline.link_bill_mentions)
    pipeline.place_pending = _timed(stages, "group", pipeline.place_pending)
    tracker.search.catch_up = _timed(stages, "index", tracker.search.catch_up)
    sys.argv = ["tracker", *argv]

    def write() -> None:
        stages["workers"] = [0.0, _children_cpu()]
        with open(os.environ["BENCH_STAGES"], "w", encoding="utf-8") as out:
            json.dump(stages, out)

    # A command that ends through `leave` (os._exit) writes the figures first.
    real_leave = getattr(tracker.cli, "leave", None)
    if real_leave is not None:

        def leave(code: int, engine: Any = None) -> None:
            write()
            real_leave(code, engine)

        tracker.cli.leave = leave  # type: ignore[assignment]
    code: Any = 0
    try:
        tracker.cli.main()
    except SystemExit as stop:
        code = stop.code
    write()
    sys.exit(code)


def apart(path: str) -> None:
    from datetime import UTC, datetime

    from tracker.config import Settings
    from tracker.parse import parse_document
    from tracker.prepare import Context, prepare_items
    from tracker.taxonomy import load_taxonomy

    content = Path(path).read_bytes()
    taxonomy = load_taxonomy(Settings.from_env(dict(os.environ)).data_dir / "taxonomy.toml")
    started = time.process_time()
    parsed = parse_document(content, "rss")
    parse = time.process_time() - started
    context = Context(fetched_at=datetime.now(UTC), base_url=None, default_doc_type="news")
    started = time.process_time()
    prepare_items(parsed.items, taxonomy, context)
    tag = time.process_time() - started
    print(json.dumps({"parse": parse, "tag": tag, "items": len(parsed.items)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--apart"]:
        apart(sys.argv[2])
    else:
        staged(sys.argv[1:])
