"""Event grouping quality and speed on the labelled set.

    python bench/events.py [--data tests/data/events_eval.jsonl] [--rounds 20]

Runs `tracker.events.group` over the labelled items and compares the pairs it
puts in one event with the labelled pairs: pairwise precision, recall and F1,
then every wrongly merged and wrongly split pair with both titles, whether any
lookalike (an event labelled as resembling another) was merged with the event
it resembles, and items per second (best round, feature cache cleared first).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from datetime import datetime
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.events import EventItem, features, group, score  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "data" / "events_eval.jsonl"
Pair = frozenset[int]


def load(path: Path) -> tuple[list[EventItem], dict[int, dict[str, object]]]:
    """The labelled items as `EventItem`s, and each item's row by id."""
    items, rows = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        rows[row["id"]] = row
        items.append(
            EventItem(
                id=row["id"],
                title=row["title"],
                text=row["summary"],
                entities=frozenset(row["entities"]),
                topics=frozenset(row["topics"]),
                published=datetime.fromisoformat(row["published"]),
                doc_type=row["doc_type"],
                source=row["source"],
            )
        )
    return items, rows


def pairs(groups: Iterable[Iterable[int]]) -> set[Pair]:
    """Every unordered pair of ids that share a group."""
    return {frozenset(p) for members in groups for p in combinations(sorted(members), 2)}


def labelled_groups(rows: dict[int, dict[str, object]]) -> list[list[int]]:
    by_event: dict[object, list[int]] = {}
    for item_id, row in rows.items():
        by_event.setdefault(row["event"], []).append(item_id)
    return list(by_event.values())


def show(pair: Pair, rows: dict[int, dict[str, object]], items: dict[int, EventItem]) -> str:
    a, b = sorted(pair)
    value = score(items[a], items[b])
    return (
        f"  score {value:.2f}  #{a} [{rows[a]['event']}] {rows[a]['title']}\n"
        f"              #{b} [{rows[b]['event']}] {rows[b]['title']}"
    )


def lookalikes_merged(groups: list[list[int]], rows: dict[int, dict[str, object]]) -> list[str]:
    """Lookalike events that share a predicted event with the event they resemble."""
    merged = set()
    for members in groups:
        events = {rows[m]["event"] for m in members}
        for m in members:
            resembles = rows[m].get("lookalike_of")
            if resembles in events:
                merged.add(f"{rows[m]['event']} ~ {resembles}")
    return sorted(merged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    items, rows = load(args.data)
    by_id = {item.id: item for item in items}

    times = []
    for _ in range(args.rounds):
        features.cache_clear()  # count tokenising, as a fresh process would
        started = time.perf_counter()
        groups = group(items)
        times.append(time.perf_counter() - started)

    truth, found = pairs(labelled_groups(rows)), pairs(groups)
    hits = len(truth & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    lookalike_events = {row["event"] for row in rows.values() if row.get("lookalike_of")}
    merged = lookalikes_merged(groups, rows)

    print(f"{len(items)} items, {len(labelled_groups(rows))} labelled events, "
          f"{len(groups)} found, {len(truth)} labelled pairs\n")  # fmt: skip
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| pairwise precision | {precision:.3f} |")
    print(f"| pairwise recall | {recall:.3f} |")
    print(f"| pairwise F1 | {f1:.3f} |")
    print(f"| lookalikes merged | {len(merged)} of {len(lookalike_events)} |")
    print(f"| items/s (best of {args.rounds}) | {len(items) / min(times):,.0f} |")
    print(f"\nwrongly merged pairs: {len(found - truth)}")
    for pair in sorted(found - truth, key=sorted):
        print(show(pair, rows, by_id))
    print(f"\nwrongly split pairs: {len(truth - found)}")
    for pair in sorted(truth - found, key=sorted):
        print(show(pair, rows, by_id))
    for line in merged:
        print(f"\nlookalike merged: {line}")


if __name__ == "__main__":
    main()
