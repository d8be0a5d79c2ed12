"""Search relevance holds its floor on the judged set (tests/data/relevance.md).

`python bench/relevance.py` prints the figures per query; this test runs the
same evaluation and fails when the mean drops below a floor set a little under
the figure measured (P@5 0.937, nDCG@10 0.881, no lookalike above a relevant
result since the tagger's potato-chip and car-theft mistakes were fixed), so a
change that makes search worse is caught.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import make_settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import relevance

FLOOR = {"p5": 0.90, "ndcg10": 0.84}
MOST_LOOKALIKES_ABOVE = 0


def test_relevance_holds_its_floor(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    pipeline = relevance.load_corpus(settings)
    try:
        results = relevance.run(settings, pipeline, relevance.read_jsonl(relevance.QUERIES))
    finally:
        pipeline.engine.dispose()
    assert len(results) >= 40
    figures = relevance.summary(results)
    worst = sorted(results, key=lambda r: (r.p5, r.ndcg10))[:5]
    detail = [(r.query, round(r.p5, 2), round(r.ndcg10, 2), r.top) for r in worst]
    for name, floor in FLOOR.items():
        assert figures[name] >= floor, (name, figures, detail)
    assert figures["look_above"] <= MOST_LOOKALIKES_ABOVE, (figures, detail)
