"""The read side at sizes the pipeline cannot reach in an evening: a bulk-filled store.

    python bench/million_bulk.py [--items 1000000] [--rounds 20] [--keep] [--report]

NOT the pipeline: rows go straight into the real tables of a fresh PostgreSQL
schema by bench/pages_corpus.py's `fill` (what bench/pages.py measures at
100,000): titles and text from the taxonomy's names, rule tags with evidence
(two to four per item), events of one to fifteen items, bills, over two years
and sixteen sources. The tagger and the grouping do not run, so this store
says nothing about load rates and its tags are sparser than the pipeline's;
it says what the index build, the disk, and every page and search over HTTP
cost at this size (bench/million_http.py, as bench/million.py measures the
pipeline's store). Figures go to REPORTS/million_bulk_<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import drop_schema, fresh_database, run
from million import REPORTS, disk, environment, vacuum
from million_table import print_table
from pages_corpus import fill

from tracker.config import Settings
from tracker.pipeline import Pipeline


def path_for(items: int) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS / f"million_bulk_{items}.json"


def measure(items: int, rounds: int, keep: bool) -> None:
    from million_http import measure_http

    def say(text: str) -> None:
        print(text, flush=True)

    home = Path(tempfile.mkdtemp(prefix="million-bulk-"))
    database, schema = fresh_database("postgresql")
    env = environment(home, database)
    settings = Settings.from_env(env)
    pipeline = Pipeline(settings)
    result: dict[str, Any] = {"size": items, "bulk": True, "started": datetime.now(UTC).isoformat()}
    try:
        pipeline.init()
        say(f"bulk {items:,}: schema {schema}, home {home}, URL {database}")
        started = time.perf_counter()
        fill(pipeline.engine, items, random.Random(5), datetime.now(UTC))
        result["fill_wall"] = time.perf_counter() - started
        say(f"  filled in {result['fill_wall']:.0f} s")
        vacuum(pipeline.engine)
        reindex = run([sys.executable, "-m", "tracker.cli", "reindex"], env)
        result.update(index_wall=reindex.wall, index_cpu=reindex.cpu)
        result.update(index_rate=items / reindex.wall, index_rate_cpu=items / reindex.cpu)
        result.update(disk(pipeline.engine, settings.index_dir))
        say(f"  indexed in {reindex.wall:.0f} s (CPU {reindex.cpu:.0f} s)")
        path_for(items).write_text(json.dumps(result, indent=1, default=str))
        pipeline.engine.dispose()
        result.update(measure_http(env, pipeline.engine, rounds, say))
        result["load_average"] = os.getloadavg()[0]
        path_for(items).write_text(json.dumps(result, indent=1, default=str))
    finally:
        pipeline.engine.dispose()
        if keep:
            say(f"kept: schema {schema}, home {home}")
        else:
            drop_schema(schema)
            shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    if not args.report:
        measure(args.items, args.rounds, args.keep)
    print_table([path_for(args.items)])


if __name__ == "__main__":
    main()
