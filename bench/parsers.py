"""Parser speed on the real government files in ../shared/fixtures.

    python bench/parsers.py [--repeat 7]

Times `parse_document` (format detection, the entity guard and the parser, as
`tracker ingest` calls it) on every BILLSTATUS file and the Federal Register
page, and prints a markdown table: size, median and worst wall time, CPU time.
These figures used to be a timed unit test, which failed whenever the machine
was busy; here they are read, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.parse import parse_document

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    files = sorted(FIXTURES.glob("billstatus/**/*.xml")) + sorted(FIXTURES.glob("**/*.json"))
    print("| file | KB | median ms | worst ms | CPU ms (median) | items |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for path in files:
        content = path.read_bytes()
        walls: list[float] = []
        cpus: list[float] = []
        count = 0
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            result = parse_document(content)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            count = len(result.items) + len(result.bills)
        name = path.relative_to(FIXTURES)
        print(
            f"| {name} | {len(content) / 1024:,.0f} | {statistics.median(walls) * 1000:.1f} "
            f"| {max(walls) * 1000:.1f} | {statistics.median(cpus) * 1000:.1f} | {count} |"
        )


if __name__ == "__main__":
    main()
