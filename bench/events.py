"""Event grouping quality on the labelled sets: which reports are one happening.

    python bench/events.py [--data FILE ...] [--code DIR] [--worst 12]
    python bench/events.py --rarity    # rebuild tracker/event_rarity.py's table

By default every labelled set in tests/data (see EVALUATION.md for which are
held out and which the rules were tuned on); `--data` picks some.

Runs `tracker.events.group` over each labelled set and compares the pairs it
puts in one event with the labelled pairs: pairwise precision, recall and F1;
split happenings (labelled happenings spread over more than one event); false
merges per 100 items (each event holding reports of k happenings counts k - 1);
lookalikes merged with the happening they resemble; then the worst pairs
(highest-scored wrong merges, lowest-scored missed pairs) with both titles.

Items without labelled tags are tagged with the project's own tagger first, as
ingest would. `--code DIR` imports `tracker` from another checkout (e.g. a
`git worktree add` of main) to print that code's figures on the same sets.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETS = tuple(
    ROOT / "tests" / "data" / f"events_{name}.jsonl"
    for name in (
        "holdout",
        "eval",
        "fresh",
        "unseen",
        "unseen2",
        "unseen3",
        "unseen4",
        "unseen5",
        "unseen6",
        "unseen7",
        "unseen8",
        "unseen9",
        "links_dev",
        "unseen10",
        "unseen11",
        "unseen12",
        "unseen13",
        "unseen14",
        "unseen15",
        "unseen16",
        "unseen17",
        "unseen18",
        "unseen19",
        "unseen20",
        "unseen21",
        "unseen22",
        "unseen23",
        "unseen24",
        "unseen25",
        "unseen26",
        "unseen27",
        "unseen28",
    )
    if (ROOT / "tests" / "data" / f"events_{name}.jsonl").exists()
)
Pair = frozenset[int]


def load(path: Path, events: Any, tagging: Any) -> tuple[list[Any], dict[int, dict[str, Any]]]:
    """The labelled items as the given code's `EventItem`s, and each row by id."""
    fields = {f.name for f in dataclasses.fields(events.EventItem)}
    items, rows = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        rows[row["id"]] = row
        if "entities" not in row:
            result = tagging.tag(row["title"], row["summary"])
            # As the store gives grouping: not the topics the model read (store/events.py).
            row["entities"] = result.entities
            row["topics"] = getattr(result, "named_topics", result.topics)
        values = {
            "id": row["id"],
            "title": row["title"],
            "text": row["summary"],
            "entities": frozenset(row["entities"]),
            "topics": frozenset(row["topics"]),
            "published": datetime.fromisoformat(row["published"]),
            "doc_type": row["doc_type"],
            "source": row["source"],
            "url": row.get("url", ""),
            "links": _links(row) if "links" in fields else frozenset(),
        }
        items.append(events.EventItem(**{k: v for k, v in values.items() if k in fields}))
    return items, rows


def _links(row: dict[str, Any]) -> frozenset[str]:
    """The links grouping reads from a row's `summary_html`, sanitised as ingest stores it
    (the text stays the row's plain `summary`); none for a set without HTML."""
    if not row.get("summary_html"):
        return frozenset()
    from tracker.event_links import extract  # from the code under test, as `events`
    from tracker.normalize import canonical_url, sanitize_html

    url = canonical_url(row.get("url")) or ""
    published = datetime.fromisoformat(row["published"])
    markup = sanitize_html(row["summary_html"], url or None)
    if "title" in inspect.signature(extract).parameters:  # a checkout before aside23 has none
        return extract(markup, url, published, title=row["title"])
    return extract(markup, url, published)


def pairs(groups: Iterable[Iterable[int]]) -> set[Pair]:
    """Every unordered pair of ids that share a group."""
    return {frozenset(p) for members in groups for p in combinations(sorted(members), 2)}


def labelled_groups(rows: dict[int, dict[str, Any]]) -> list[list[int]]:
    by_event: dict[str, list[int]] = defaultdict(list)
    for item_id, row in rows.items():
        by_event[row["event"]].append(item_id)
    return list(by_event.values())


def measures(groups: list[list[int]], rows: dict[int, dict[str, Any]]) -> dict[str, float]:
    """Pairwise precision, recall, F1, split happenings and false merges per 100 items."""
    truth, found = pairs(labelled_groups(rows)), pairs(groups)
    hits = len(truth & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    event_of = {m: n for n, members in enumerate(groups) for m in members}
    split = sum(1 for members in labelled_groups(rows) if len({event_of[m] for m in members}) > 1)
    merges = sum(len({rows[m]["event"] for m in members}) - 1 for members in groups)
    lookalikes = 0
    for members in groups:
        happenings = {rows[m]["event"] for m in members}
        lookalikes += sum(1 for h in happenings if _resembles(h, rows) & happenings)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "split": split,
        "happenings": sum(1 for g in labelled_groups(rows) if len(g) > 1),
        "false_merges_per_100": 100 * merges / len(rows),
        "lookalikes_merged": lookalikes,
    }


def _resembles(happening: str, rows: dict[int, dict[str, Any]]) -> set[str]:
    return {
        r["lookalike_of"]
        for r in rows.values()
        if r["event"] == happening and r.get("lookalike_of")
    }


def worst(groups: list[list[int]], rows: dict[int, dict[str, Any]], items: dict[int, Any],
          events: Any, count: int) -> list[str]:  # fmt: skip
    """The highest-scored wrong merges and the lowest-scored missed pairs, with titles."""
    truth, found = pairs(labelled_groups(rows)), pairs(groups)
    scored = {p: events.score(*(items[i] for i in sorted(p))) for p in (truth ^ found)}
    lines = [f"wrongly merged pairs: {len(found - truth)}"]
    for pair in sorted(found - truth, key=lambda p: -scored[p])[:count]:
        lines.append(_show(pair, scored[pair], rows))
    lines.append(f"wrongly split pairs: {len(truth - found)}")
    for pair in sorted(truth - found, key=lambda p: scored[p])[:count]:
        lines.append(_show(pair, scored[pair], rows))
    return lines


def _show(pair: Pair, value: float, rows: dict[int, dict[str, Any]]) -> str:
    a, b = sorted(pair)
    return (f"  score {value:.2f}  #{a} [{rows[a]['event']}] {rows[a]['title'][:90]}\n"
            f"               #{b} [{rows[b]['event']}] {rows[b]['title'][:90]}")  # fmt: skip


class _Tagging:
    """The project's tagger with its bundled taxonomy, loaded from the code under test."""

    def __init__(self) -> None:
        from tracker.tag import tag_item
        from tracker.taxonomy import load_taxonomy

        self._tag, self._taxonomy = tag_item, load_taxonomy()

    def tag(self, title: str, text: str) -> Any:
        return self._tag(title, text, self._taxonomy)


# The project's own labelled text the word-rarity table is counted from (not the events sets).
RARITY_SOURCES = (
    ("tagging_eval", "summary"),
    ("doctype_eval", "text"),
    ("relevance_corpus", "text"),
)


def write_rarity() -> None:
    """Count in how many labelled documents each stem occurs; rewrite the table."""
    import textwrap
    from collections import Counter

    from tracker.event_words import tokens

    counts: Counter[str] = Counter()
    documents = 0
    for name, field in RARITY_SOURCES:
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            documents += 1
            counts.update(set(tokens(row["title"] + " " + (row.get(field) or "")[:600])))
    pairs = " ".join(f"{w}:{c}" for w, c in sorted(counts.items()) if c >= 3)
    path = ROOT / "tracker" / "event_rarity.py"
    head, _, rest = path.read_text().partition('_TABLE = """\n')
    tail = rest.partition('"""')[2]
    table = "\n".join(textwrap.wrap(pairs, 96, break_on_hyphens=False))
    head = re.sub(r"DOCUMENTS = \d+", f"DOCUMENTS = {documents}", head)
    path.write_text(f'{head}_TABLE = """\n{table}\n"""{tail}')
    print(f"{path}: {documents} documents, {len(pairs.split())} stems")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="*", default=list(SETS))
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose tracker to run")
    parser.add_argument("--worst", type=int, default=12)
    parser.add_argument("--rarity", action="store_true", help="rebuild the word-rarity table")
    args = parser.parse_args()
    if args.rarity:
        sys.path.insert(0, str(ROOT))
        write_rarity()
        return
    sys.path.insert(0, str(args.code.resolve()))
    from tracker import events

    print(f"code: {Path(events.__file__).resolve().parent.parent}\n")
    tagging = _Tagging()
    for path in args.data:
        items, rows = load(path, events, tagging)
        started = time.process_time()
        groups = events.group(items)
        cpu = time.process_time() - started
        m = measures(groups, rows)
        print(f"## {path.name}: {len(items)} items, {len(labelled_groups(rows))} happenings, "
              f"{len(groups)} events found\n")  # fmt: skip
        print("| measure | value |\n| --- | ---: |")
        print(f"| pairwise precision | {m['precision']:.3f} |")
        print(f"| pairwise recall | {m['recall']:.3f} |")
        print(f"| pairwise F1 | {m['f1']:.3f} |")
        print(f"| split happenings | {m['split']} of {m['happenings']} |")
        print(f"| false merges per 100 items | {m['false_merges_per_100']:.1f} |")
        print(f"| lookalikes merged | {m['lookalikes_merged']} |")
        print(f"| grouping CPU | {cpu * 1000:.0f} ms |\n")
        by_id = {item.id: item for item in items}
        print("\n".join(worst(groups, rows, by_id, events, args.worst)), "\n")


if __name__ == "__main__":
    main()
