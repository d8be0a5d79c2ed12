"""Preparing a batch on worker processes gives exactly what one process gives."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.prepare import PARALLEL_MIN, Context, prepare_chunks, prepare_items
from tracker.taxonomy import load_taxonomy
from tracker.types import ParsedItem


def test_workers_give_the_same_records_and_tags_in_order() -> None:
    taxonomy = load_taxonomy()
    items = [
        ParsedItem(
            guid=f"g{n}",
            title=f"Alibaba's Qwen and the BIS Entity List, part {n}",
            summary_html=f"<p>Sen. Elizabeth Warren wrote about distillation of Claude ({n}).</p>",
            url=f"https://e.org/{n}?utm_source=x",
        )
        for n in range(PARALLEL_MIN + 50)
    ]
    context = Context(datetime(2026, 6, 10, tzinfo=UTC), None, "news")
    spread = [pair for chunk in prepare_chunks(items, taxonomy, context) for pair in chunk]
    assert spread == prepare_items(items, taxonomy, context)
    record, result = spread[-1]
    assert record.guid == f"g{len(items) - 1}" and record.url == f"https://e.org/{len(items) - 1}"
    assert {"alibaba", "qwen", "bis", "elizabeth-warren", "anthropic"} <= set(result.entities)
