"""Grouping holds a bounded amount of each item's text, however long the summary.

Grouping's caches (features, acts, names, footers) are bounded by count, and
hold the texts of the items they saw. A summary may run to 500,000
characters, so grouping reads at most `TEXT_CHARS` of it: here the bytes
still allocated after grouping items with huge summaries are counted.
"""

from __future__ import annotations

import gc
import random
import tracemalloc
from datetime import UTC, datetime

import sqlalchemy as sa
from wire_rows import insert_wire_items

from tracker.models import Item, table_of
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import TEXT_CHARS, assign_pending

ITEMS = 30
SUMMARY = 500_000
WORDS = "export controls chips model weights hearing rule licence agency court".split()


def _huge_summary(rng: random.Random) -> str:
    words: list[str] = []
    size = 0
    while size < SUMMARY:
        word = rng.choice(WORDS) + str(rng.randint(0, 99))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:SUMMARY]


def test_grouping_items_with_huge_summaries_keeps_little_of_their_text(
    pipeline: Pipeline,
) -> None:
    rng = random.Random(3)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with pipeline.engine.begin() as conn:
        texts = [(f"Agency {n} issues rule on chips", _huge_summary(rng)) for n in range(ITEMS)]
        insert_wire_items(conn, texts, now)
        conn.execute(sa.text("UPDATE counter SET value = :v WHERE name = 'item_seq'"),
                     {"v": ITEMS})  # fmt: skip

    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        with session_scope(pipeline.engine) as session:
            assert assign_pending(session) == ITEMS
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))

    # Read whole, the summaries (15 MB) left 189 MB in the caches, mostly the
    # words of each; the first TEXT_CHARS characters of each leave under 5 MB.
    assert held < ITEMS * TEXT_CHARS * 64 < ITEMS * SUMMARY
    with session_scope(pipeline.engine) as session:
        table = table_of(Item)
        waiting = session.execute(sa.select(sa.func.count()).where(table.c.event_id.is_(None)))
        assert waiting.scalar_one() == 0
