"""Search relevance against the judged set in tests/data (see tests/data/relevance.md).

    python bench/relevance.py [--class NAME] [--show N] [--check]

Loads the 155-item corpus into a fresh home the way an ingest would (the real
tagger and taxonomy, bill links, event grouping, the index catch-up), runs
every judged query through `tracker.search.search` exactly as the page asks
it, and prints per query and overall:

- P@5: judged-relevant results among the first five shown, over the five (or
  over the relevant entries there are, when fewer than five exist);
- nDCG@10: gains 3 (grade 2) and 1 (grade 1), against the best list the page
  could show (one entry per event, since an event's other reports are folded
  under its lead);
- R@20: relevant entries on the first page, over those there are;
- look@5: lookalikes in the first five; look>rel: lookalikes ranked above a
  relevant result on the first page.

Targets: mean P@5 >= 0.90, mean nDCG@10 >= 0.85, no lookalike above a
relevant result. ``--check`` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from tracker import search
from tracker.config import Settings
from tracker.models import Item, Source
from tracker.pipeline import Pipeline
from tracker.store import catalog
from tracker.store.engine import session_scope
from tracker.store.ingest import store_bill, store_items
from tracker.tag import tag_item
from tracker.types import BillRecord, ItemRecord

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CORPUS = DATA / "relevance_corpus.jsonl"
QUERIES = DATA / "relevance_queries.jsonl"
TARGETS = {"p5": 0.90, "ndcg10": 0.85}
PAGE = 20


@dataclass
class Scores:
    query: str
    kind: str
    p5: float
    ndcg10: float
    recall: float
    look5: int
    look_above: int
    top: list[str]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_corpus(settings: Settings) -> Pipeline:
    """Store and index the corpus under `settings`, as `tracker ingest` would."""
    pipeline = Pipeline(settings)
    pipeline.init()
    rows = read_jsonl(CORPUS)
    by_source: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(row)
    with session_scope(pipeline.engine) as session:
        title = "Deterring American AI Model Theft Act of 2026"
        bill = BillRecord(119, "hr", 8283, title, None, None, None, (), (), "committee")
        store_bill(session, bill)
        for slug, items in by_source.items():
            source = catalog.local_source(session, slug, "rss", items[0]["doc_type"])
            source.name = items[0]["source_name"]
            batch = [(_record(row), _tags(pipeline, row)) for row in items]
            store_items(session, source, batch, datetime.now(UTC))
    pipeline.settle()
    return pipeline


def _record(row: dict) -> ItemRecord:
    day = datetime.fromisoformat(row["published"]).replace(hour=12, tzinfo=UTC)
    return ItemRecord(
        guid=row["key"], title=row["title"], url=f"https://example.org/relevance/{row['key']}",
        summary_html=f"<p>{html.escape(row['text'])}</p>", text=row["text"], published=day,
        updated=None, undated=False, author=None, format_doc_type=None, document_number=None,
        agencies=(), categories=(), rins=(), bill_key=row.get("bill"),
        content_hash=str(hash((row["title"], row["text"]))),
    )  # fmt: skip


def _tags(pipeline: Pipeline, row: dict):  # type: ignore[no-untyped-def]
    found = tag_item(row["title"], row["text"], pipeline.taxonomy, default_doc_type=row["doc_type"])
    # The document type is a fact of the document here, as a source's own type is.
    return replace(found, doc_type=row["doc_type"])


def item_facts(pipeline: Pipeline) -> tuple[dict[int, str], dict[str, int | None]]:
    """Item id → corpus key, and corpus key → event id."""
    with session_scope(pipeline.engine) as session:
        rows = session.exec(
            select(Item.id, Item.guid, Item.event_id).join(Source, Source.id == Item.source_id)
        ).all()
    return {i: key for i, key, _ in rows}, {key: event for _, key, event in rows}


def score(
    query: dict, shown: list[str], events: dict[str, int | None], folded: bool = True
) -> Scores:
    """The figures of one query, from the keys of the results shown in order.

    With `folded` (an event's reports share one entry), the best list the
    page can show holds one entry per event: its best item; else every item.
    """
    grades: dict[str, int] = query["relevant"]
    lookalikes = set(query["lookalikes"])
    best: dict[object, int] = {}
    for key, grade in grades.items():
        group = (events.get(key) or key) if folded else key
        best[group] = max(best.get(group, 0), grade)
    ideal = sorted(best.values(), reverse=True)
    top5 = shown[:5]
    hits5 = sum(1 for key in top5 if key in grades)
    p5 = hits5 / min(5, len(ideal)) if ideal else 0.0
    dcg = sum((2 ** grades.get(k, 0) - 1) / math.log2(i + 2) for i, k in enumerate(shown[:10]))
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal[:10]))
    page = shown[:PAGE]
    seen_groups = {((events.get(k) or k) if folded else k) for k in page if k in grades}
    recall = len(seen_groups) / len(best) if best else 0.0
    relevant_ranks = [i for i, k in enumerate(page) if k in grades]
    last = max(relevant_ranks, default=-1)
    above = sum(1 for i, k in enumerate(page) if k in lookalikes and i < last)
    return Scores(
        query["query"], query["class"], min(p5, 1.0), dcg / idcg if idcg else 0.0, recall,
        sum(1 for k in top5 if k in lookalikes), above, top5,
    )  # fmt: skip


def run(settings: Settings, pipeline: Pipeline, queries: list[dict]) -> list[Scores]:
    keys, events = item_facts(pipeline)
    results = []
    for query in queries:
        try:
            found = search.search(settings, query["query"], per_page=PAGE, collapse=True)
        except TypeError:  # a tree from before events were folded: the baseline
            found = search.search(settings, query["query"], per_page=PAGE)
        shown = [keys[hit.id] for hit in found.hits]
        folded = getattr(found, "entries", None) is not None
        results.append(score(query, shown, events, folded))
    return results


def print_table(results: list[Scores], show: int) -> None:
    print(f"| query | class | P@5 | nDCG@10 | R@{PAGE} | look@5 | look>rel |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| `{r.query}` | {r.kind} | {r.p5:.2f} | {r.ndcg10:.2f} | {r.recall:.2f} "
              f"| {r.look5} | {r.look_above} |")  # fmt: skip
    n = len(results) or 1
    print(f"| **all {len(results)}** | | **{sum(r.p5 for r in results) / n:.3f}** "
          f"| **{sum(r.ndcg10 for r in results) / n:.3f}** "
          f"| **{sum(r.recall for r in results) / n:.3f}** "
          f"| **{sum(r.look5 for r in results)}** "
          f"| **{sum(r.look_above for r in results)}** |")  # fmt: skip
    by_class: dict[str, list[Scores]] = defaultdict(list)
    for r in results:
        by_class[r.kind].append(r)
    print("\n| class | queries | P@5 | nDCG@10 | look@5 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, group in sorted(by_class.items()):
        k = len(group)
        p5, ndcg = sum(r.p5 for r in group) / k, sum(r.ndcg10 for r in group) / k
        print(f"| {kind} | {k} | {p5:.2f} | {ndcg:.2f} | {sum(r.look5 for r in group)} |")
    if show:
        print()
        for r in results:
            if r.p5 < 1 or r.look5 or r.look_above:
                print(f"{r.query!r}: {', '.join(r.top[:show])}")


def summary(results: list[Scores]) -> dict[str, float]:
    n = len(results) or 1
    return {
        "p5": sum(r.p5 for r in results) / n,
        "ndcg10": sum(r.ndcg10 for r in results) / n,
        "look_above": sum(r.look_above for r in results),
        "look5": sum(r.look5 for r in results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--class", dest="kind", help="only queries of this class")
    parser.add_argument("--show", type=int, default=0, help="print the top N of imperfect queries")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    queries = [q for q in read_jsonl(QUERIES) if not args.kind or q["class"] == args.kind]
    with tempfile.TemporaryDirectory(prefix="relevance-") as home:
        settings = Settings.from_env({"TRACKER_HOME": home})
        started = time.perf_counter()
        pipeline = load_corpus(settings)
        loaded = time.perf_counter() - started
        results = run(settings, pipeline, queries)
        pipeline.engine.dispose()
    print(f"{len(read_jsonl(CORPUS))} items loaded and indexed in {loaded:.1f} s; "
          f"{len(queries)} queries\n")  # fmt: skip
    print_table(results, args.show)
    figures = summary(results)
    missed = [name for name, target in TARGETS.items() if figures[name] < target]
    if figures["look_above"]:
        missed.append("look_above")
    verdict = "missed " + ", ".join(missed) if missed else "met"
    print(f"\ntargets: mean P@5 >= {TARGETS['p5']}, mean nDCG@10 >= {TARGETS['ndcg10']}, "
          f"no lookalike above a relevant result: {verdict}")  # fmt: skip
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
