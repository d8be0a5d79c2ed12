"""Whether two trees answer the same searches the same, byte for byte.

    PYTHONPATH=TREE python bench/search_same.py OUT.json    # with TRACKER_HOME etc. set

Runs a few hundred searches (words, phrases, OR, NOT, filters, dates, both
sorts, several pages, folded and not) on the store and index of the
environment and writes every answer in full: hits with scores (as repr),
folding, highlights and reasons, totals, facets, notices, suggestions and
cards. Run it under each tree on one store and compare the two files
(`cmp`); nothing is timed.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

from tracker.config import Settings
from tracker.search import Filters, search

QUERIES = [
    "qwen", "distillation", "nvidia", "tariffs", "huawei", "copyright", "security", "chips",
    "department", "commerce", "export controls", "qwen distillation", "nvidia chips",
    "export licences", "huawei sanctions", '"model distillation"', '"entity list"',
    '"national security"', '"trade secrets"', '"export controls"', '"intellectual property"',
    '"commerce department"', '"national security" chips', '"entity list" OR "trade secrets"',
    'security -"national security"', '"distillation model"', '"security national"',
    '"bureau of industry and security"', '"the entity list"', "semiconductors", "Warren", "IAPS",
    "export controls Alibaba", "BIS", "chips type:letter", "distilation", "nvidai chips",
    "sanctions type:rule entity:huawei after:2024-10-01 before:2025-09-30",
]  # fmt: skip
FILTERS = [
    Filters(),
    Filters(types=("news",)),
    Filters(types=("letter", "rule")),
    Filters(topics=("export-controls",)),
    Filters(entities=("nvidia",), date_from=date(2025, 3, 4), date_to=date(2025, 11, 20)),
]
SHAPES = [("relevance", 1, True), ("relevance", 2, True), ("relevance", 1, False),
          ("relevance", 7, False), ("newest", 1, True), ("newest", 3, False)]  # fmt: skip


def answer(settings: Settings, query: str, filters: Filters, shape: tuple[str, int, bool]) -> Any:
    sort, page, collapse = shape
    found = search(settings, query, filters=filters, sort=sort, page=page, collapse=collapse)
    return {
        "ask": [query, repr(filters), sort, page, collapse],
        "total": found.total,
        "entries": found.entries,
        "sort": found.sort,
        "notice": found.notice,
        "suggestion": found.suggestion,
        "corrected": found.corrected,
        "partial": found.partial,
        "facets": found.facets,
        "cards": [repr(card) for card in found.cards],
        "hits": [
            [
                hit.id,
                repr(hit.score),
                hit.folded,
                hit.event,
                str(hit.title_html),
                [str(f) for f in hit.fragments_html],
                list(hit.why),
            ]
            for hit in found.hits
        ],
    }


def main() -> None:
    settings = Settings.from_env()
    asks = [
        (query, filters, shape)
        for query, filters, shape in product(QUERIES, FILTERS, SHAPES)
        if filters == Filters() or shape[1] == 1  # filters on first pages only
    ]
    out = [answer(settings, *ask) for ask in asks]
    Path(sys.argv[1]).write_text(json.dumps(out, indent=0, default=str))
    print(f"{len(out)} searches written to {sys.argv[1]}")


if __name__ == "__main__":
    main()
