"""Event grouping on two checkouts side by side: quality and grouping time per set.

    python bench/events_sides.py --before /path/to/main-worktree [--rounds 3]

Each round runs `bench/events.py`'s loading and `tracker.events.group` over every
labelled set once per checkout, each in a fresh process (cold caches, as a worker
starting a batch), the two checkouts alternating so a loaded machine slows both
alike. Prints pairwise precision, recall, F1 and false merges per 100 items of
each (the grouping is deterministic: the first round's), then the grouping's CPU
and wall time per set and in total, the median over rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def child(code: Path) -> None:
    """Score and time every set with the `tracker` of `code`; print JSON."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(code.resolve()))
    import events as bench  # bench/events.py, beside this file

    from tracker import events

    tagging = bench._Tagging()
    out: dict[str, dict[str, float]] = {}
    for path in bench.SETS:
        items, rows = bench.load(path, events, tagging)
        cpu, wall = time.process_time(), time.perf_counter()
        groups = events.group(items)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        m = bench.measures(groups, rows)
        out[path.stem.removeprefix("events_")] = {**m, "cpu": cpu, "wall": wall}
    print(json.dumps(out))


def run(code: Path) -> dict[str, dict[str, float]]:
    found = subprocess.run(
        [sys.executable, __file__, "--child", str(code)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, dict[str, float]] = json.loads(found.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the checkout to compare with (main)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.before is None:
        parser.error("--before is required")
    codes = {"before": args.before, "after": ROOT}
    runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in codes}
    for _ in range(args.rounds):
        for name, code in codes.items():
            runs[name].append(run(code))
    print(f"before: {args.before.resolve()}\nafter: {ROOT}\n")
    print("| set | before P / R / F1 / FM | after P / R / F1 / FM | CPU ms before / after "
          "| wall ms before / after |\n| --- | --- | --- | ---: | ---: |")  # fmt: skip
    totals: dict[str, list[float]] = {k: [0.0] * args.rounds for k in ("bc", "ac", "bw", "aw")}
    for name in runs["before"][0]:
        cells = [_quality(runs[side][0][name]) for side in ("before", "after")]
        times = []
        for key, short in (("cpu", "c"), ("wall", "w")):
            pair = []
            for side in ("before", "after"):
                values = [r[name][key] * 1000 for r in runs[side]]
                for i, v in enumerate(values):
                    totals[side[0] + short][i] += v
                pair.append(f"{statistics.median(values):.0f}")
            times.append(" / ".join(pair))
        print(f"| {name} | {cells[0]} | {cells[1]} | {times[0]} | {times[1]} |")
    med = {k: statistics.median(v) for k, v in totals.items()}
    print(f"| total | | | {med['bc']:.0f} / {med['ac']:.0f} | {med['bw']:.0f} / {med['aw']:.0f} |")
    for side in ("b", "a"):
        print(f"{'before' if side == 'b' else 'after'} CPU per round (ms): "
              + ", ".join(f"{v:.0f}" for v in totals[side + "c"]))  # fmt: skip


def _quality(m: dict[str, Any]) -> str:
    return (f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} / "
            f"{m['false_merges_per_100']:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
