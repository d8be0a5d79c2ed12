"""Event grouping on coverage it was not written beside (issue 13 item 3).

`tests/data/events_holdout.jsonl` (202 reports of 62 happenings, with
same-week lookalikes; see tests/data/EVALUATION.md) is tagged by the project's
tagger, grouped as the store groups, and held to floors a little under the
figures `python bench/events.py` measured. The rules were tuned on this set's
errors when it was written (F1 0.906), and again on events_unseen.jsonl's
(test_events_unseen.py): precision 0.976, recall 0.972, F1 0.974, 0.5 false
merges per 100 items; after the events6 recall work, 0.954, 0.992, 0.973, 0.5.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from itertools import combinations
from pathlib import Path

from tracker.events import EventItem, group
from tracker.tag import tag_item
from tracker.taxonomy import load_taxonomy

HOLDOUT = Path(__file__).resolve().parent / "data" / "events_holdout.jsonl"


def load() -> tuple[list[EventItem], dict[int, str]]:
    taxonomy = load_taxonomy()
    items, happening = [], {}
    for line in HOLDOUT.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        tags = tag_item(row["title"], row["summary"], taxonomy)
        happening[row["id"]] = row["event"]
        items.append(
            EventItem(
                id=row["id"],
                title=row["title"],
                text=row["summary"],
                entities=frozenset(tags.entities),
                topics=frozenset(tags.named_topics),
                published=datetime.fromisoformat(row["published"]),
                doc_type=row["doc_type"],
                source=row["source"],
                url=row["url"],
            )
        )
    return items, happening


def pairs(groups: list[list[int]]) -> set[frozenset[int]]:
    return {frozenset(p) for members in groups for p in combinations(members, 2)}


def test_the_set_is_what_the_issue_asks_for() -> None:
    rows = [json.loads(line) for line in HOLDOUT.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    assert len({r["source_kind"] for r in rows}) >= 5
    assert sum(1 for r in rows if r["lookalike_of"]) >= 40


def test_grouping_holds_its_floors_on_the_holdout_set() -> None:
    items, happening = load()
    labelled: dict[str, list[int]] = {}
    for item_id, name in happening.items():
        labelled.setdefault(name, []).append(item_id)
    found = group(items)
    truth, predicted = pairs(list(labelled.values())), pairs(found)
    precision = len(truth & predicted) / len(predicted)
    recall = len(truth & predicted) / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    merges = sum(len({happening[m] for m in members}) - 1 for members in found)
    assert precision >= 0.95 and recall >= 0.95 and f1 >= 0.95, (precision, recall, f1)
    assert 100 * merges / len(items) <= 1.0, merges


def test_grouping_is_the_same_under_any_hash_seed() -> None:
    # Two processes grouping one feed (two ingests at once, or a run resumed by
    # another command) must decide alike; set order changes with the seed.
    script = (
        "import json, sys; sys.path.insert(0, 'tests'); "
        "from test_events_holdout import load; from tracker.events import group; "
        "print(json.dumps(group(load()[0])))"
    )
    root = Path(__file__).resolve().parent.parent
    answers = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env,
                              capture_output=True, text=True, check=True)  # fmt: skip
        answers.add(done.stdout)
    assert len(answers) == 1
