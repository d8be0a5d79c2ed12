"""Document types from title and text alone, against tests/data/doctype_eval.jsonl.

Prints accuracy (all, unambiguous, ambiguous), precision, recall and F1 per
type, the confusion table (rows: the right type; columns: the type given)
and every miss with its title.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "doctype_eval.jsonl"
SHORT = {
    "memo": "memo", "executive-order": "EO", "proclamation": "procl", "notice": "notice",
    "export-control": "exp-c", "letter": "letter", "bill": "bill", "rule": "rule",
    "hearing": "hear", "report": "report", "press-release": "press", "news": "news",
}  # fmt: skip


def load_items(path: Path = EVAL) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def report_types(name: str, items: list[dict], decide) -> float:  # type: ignore[no-untyped-def]
    """Print the tables for one split; return its accuracy. `decide(title, text)` gives a type."""
    got = [decide(i["title"], i["text"]) for i in items]
    want = [i["doc_type"] for i in items]
    right = [w == g for w, g in zip(want, got, strict=True)]
    accuracy = sum(right) / len(items)
    clear = [r for r, i in zip(right, items, strict=True) if not i["ambiguous"]]
    hard = [r for r, i in zip(right, items, strict=True) if i["ambiguous"]]
    print(f"\n=== document types, {name}: {len(items)} items, title and text only ===")
    print(f"accuracy {accuracy:.3f} ({sum(right)}/{len(items)});"
          f" unambiguous {sum(clear)}/{len(clear)}, ambiguous {sum(hard)}/{len(hard)}")  # fmt: skip
    types = [t for t in SHORT if t in want or t in got] + sorted(set(want + got) - set(SHORT))
    pairs = Counter(zip(want, got, strict=True))
    print(f"\n{'type':16} {'n':>4} {'prec':>6} {'recall':>6} {'f1':>6}")
    for t in types:
        tp, n = pairs[(t, t)], want.count(t)
        p = tp / got.count(t) if got.count(t) else 1.0
        r = tp / n if n else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {t:14} {n:4} {p:6.3f} {r:6.3f} {f:6.3f}")
    print("\nconfusion (rows: right type, columns: type given)")
    print(" " * 16 + "".join(f"{SHORT.get(t, t)[:6]:>7}" for t in types))
    for w in types:
        cells = "".join(f"{pairs[(w, g)] or '.':>7}" for g in types)
        print(f"  {w:14}{cells}")
    misses = [(i, g) for i, g, r in zip(items, got, right, strict=True) if not r]
    print(f"\nmisses: {len(misses)}")
    for item, given in misses:
        mark = "~" if item["ambiguous"] else " "
        print(f" {mark}{item['id']} want {item['doc_type']:15} got {given:15} {item['title'][:70]}")
    return accuracy
