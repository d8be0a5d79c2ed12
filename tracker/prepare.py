"""Normalise and tag a batch of parsed items, on every core when the batch is large.

Normalising and tagging are pure and cost most of an ingest's time, while
parsing and storing must stay in one process (one feed, one transaction). So a
large batch is cut into chunks that worker processes prepare while this process
stores the chunks already done; small batches stay in-process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from tracker.normalize import normalize_item
from tracker.parse import ParseError, parse_document
from tracker.parse.split import count_entries, split_feed
from tracker.tag import tag_item
from tracker.taxonomy import Taxonomy
from tracker.types import ItemRecord, ParsedItem, ParseResult, TagResult

PARALLEL_MIN = 600  # items; below this, forking workers costs more than it saves
CHUNK = 250

Prepared = list[tuple[ItemRecord, TagResult]]


@dataclass(frozen=True)
class Context:
    """What every item of one batch shares."""

    fetched_at: datetime
    base_url: str | None
    default_doc_type: str
    # Sample sources: invented bills get no link at all, neither a deep link to
    # whatever congress.gov files under that number nor a shared front page
    # (which would make them look like the same document as other items).
    unlink_bills: bool = False


def prepare_items(items: Sequence[ParsedItem], taxonomy: Taxonomy, context: Context) -> Prepared:
    """Normalise and tag each item, in order, in this process."""
    prepared = []
    for item in items:
        if context.unlink_bills and item.bill_key:
            item = replace(item, url=None)
        record = normalize_item(item, context.fetched_at, context.base_url)
        result = tag_item(
            record.title,
            record.text,
            taxonomy,
            default_doc_type=context.default_doc_type,
            format_doc_type=record.format_doc_type,
            agencies=record.agencies,
        )
        prepared.append((record, result))
    return prepared


def prepare_chunks(
    items: Sequence[ParsedItem], taxonomy: Taxonomy, context: Context
) -> Iterator[Prepared]:
    """Prepared chunks in input order; large batches are spread over worker processes."""
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    if (
        len(items) < PARALLEL_MIN
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for chunk in chunks:
            yield prepare_items(chunk, taxonomy, context)
        return
    # fork: the workers inherit the compiled taxonomy instead of rebuilding it.
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(taxonomy, context),
    )
    try:
        yield from pool.map(_prepare_in_worker, chunks)
    finally:
        pool.shutdown(cancel_futures=True)


_worker: tuple[Taxonomy, Context] | None = None


def _adopt(taxonomy: Taxonomy, context: Context) -> None:
    global _worker
    _worker = (taxonomy, context)


def _prepare_in_worker(items: Sequence[ParsedItem]) -> Prepared:
    assert _worker is not None, "worker started without its taxonomy"
    return prepare_items(items, *_worker)


SPLIT_MIN = 1_000_000  # bytes; a smaller feed parses faster than workers start


def parse_large(
    content: bytes,
    kind: str | None,
    *,
    base_url: str = "",
    selectors: Mapping[str, str] | None = None,
) -> ParseResult:
    """`parse_document`, with a large RSS or Atom file parsed in parts on every core.

    The result equals the whole-file parse: the parts must hold exactly the
    entries the file does and parse cleanly, or the file is parsed whole.
    """
    workers = os.cpu_count() or 1
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    whole = partial(parse_document, content, kind, base_url=base_url, selectors=selectors)
    if kind not in (None, "rss") or len(content) < SPLIT_MIN or workers < 2 or not can_fork:
        return whole()
    parts = split_feed(content, workers * 2)
    if parts is None:
        return whole()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        try:
            results = list(pool.map(_parse_part, parts))
        except ParseError:
            return whole()
    # Any warning (a skipped entry, lenient reading) and the whole file is read
    # again, so that what is reported is numbered as in the file.
    clean = not any(r.warnings for r in results)
    if not clean or sum(len(r.items) for r in results) != count_entries(content):
        return whole()
    first = results[0]
    return ParseResult(
        kind=first.kind,
        items=tuple(item for r in results for item in r.items),
        feed_title=first.feed_title,
    )


def _parse_part(part: bytes) -> ParseResult:
    return parse_document(part, "rss")
