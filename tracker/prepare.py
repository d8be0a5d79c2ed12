"""Parse, normalise and tag on every core while this process stores.

Parsing, normalising and tagging are pure and cost most of an ingest's time,
while storing must stay in one process (one feed, one transaction). So a large
RSS or Atom document is cut into parts that worker processes parse, normalise
and tag from start to finish, and this process stores each part as it comes
back; other large batches (a Federal Register page, a JSON Feed) are parsed
here and cut into chunks that workers normalise and tag. Small batches stay
in-process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

from tracker.gcpause import gc_paused
from tracker.normalize import normalize_item
from tracker.parse import ParseError, parse_document
from tracker.parse.split import count_entries, split_feed
from tracker.tag import tag_item
from tracker.taxonomy import Taxonomy
from tracker.types import ItemRecord, ParsedItem, TagResult

PARALLEL_MIN = 600  # items; below this, forking workers costs more than it saves
CHUNK = 250

Prepared = list[tuple[ItemRecord, TagResult]]


@dataclass(frozen=True)
class Context:
    """What every item of one batch shares."""

    fetched_at: datetime
    base_url: str | None
    default_doc_type: str


def prepare_items(items: Sequence[ParsedItem], taxonomy: Taxonomy, context: Context) -> Prepared:
    """Normalise and tag each item, in order, in this process."""
    prepared = []
    for item in items:
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
    pool = _pool(workers, taxonomy, context)
    done = 0
    try:
        for prepared in pool.map(_prepare_in_worker, chunks):
            done += 1
            yield prepared
    except BrokenProcessPool:
        # A worker died (killed, out of memory): the rest is prepared here.
        for chunk in chunks[done:]:
            yield prepare_items(chunk, taxonomy, context)
    finally:
        pool.shutdown(cancel_futures=True)


def _pool(workers: int, taxonomy: Taxonomy, context: Context) -> ProcessPoolExecutor:
    # fork: the workers inherit the compiled taxonomy instead of rebuilding it.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(taxonomy, context),
    )


_worker: tuple[Taxonomy, Context] | None = None


def _adopt(taxonomy: Taxonomy, context: Context) -> None:
    global _worker
    _worker = (taxonomy, context)


@gc_paused()
def _prepare_in_worker(items: Sequence[ParsedItem]) -> Prepared:
    assert _worker is not None, "worker started without its taxonomy"
    return prepare_items(items, *_worker)


SPLIT_MIN = 1_000_000  # bytes; a smaller feed parses faster than workers start
PARTS_PER_WORKER = 4  # small parts let storing start early and end soon after parsing


class PartsMismatch(Exception):
    """The parts did not read exactly as the whole document would: read it whole."""


@dataclass(frozen=True)
class PreparedPart:
    """One part of a large feed: its entries normalised and tagged, in order."""

    prepared: Prepared
    feed_title: str | None


def feed_parts(content: bytes, kind: str | None) -> list[bytes] | None:
    """A large RSS or Atom document cut into whole feeds for every core, or None.

    None means: read it in one piece (small, another format, one core, or a
    document the cut cannot handle).
    """
    workers = os.cpu_count() or 1
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if kind not in (None, "rss") or len(content) < SPLIT_MIN or workers < 2 or not can_fork:
        return None
    return split_feed(content, workers * PARTS_PER_WORKER)


def prepare_parts(
    content: bytes, parts: Sequence[bytes], taxonomy: Taxonomy, context: Context
) -> Iterator[PreparedPart]:
    """Parse, normalise and tag each part on a worker process; parts come back in order.

    Raises `PartsMismatch` as soon as the parts are seen not to equal the
    whole-file parse: a part that does not parse cleanly (a warning, a skipped
    entry, lenient reading) or, after the last one, a total that is not the
    document's count of entries; and when a worker dies. The caller then
    reads the document whole, so that what is stored and reported is exactly
    what that would give.
    """
    pool = _pool(min(os.cpu_count() or 1, len(parts)), taxonomy, context)
    entries = 0
    try:
        for outcome in pool.map(_prepare_part, parts):
            if outcome is None:
                raise PartsMismatch("a part did not parse cleanly")
            entries += len(outcome.prepared)
            yield outcome
    except BrokenProcessPool:
        raise PartsMismatch("a worker process stopped") from None
    finally:
        pool.shutdown(cancel_futures=True)
    if entries != count_entries(content):
        raise PartsMismatch(f"the parts hold {entries} entries, the document more or fewer")


@gc_paused()
def _prepare_part(part: bytes) -> PreparedPart | None:
    assert _worker is not None, "worker started without its taxonomy"
    try:
        parsed = parse_document(part, "rss")
    except ParseError:
        return None
    if parsed.warnings:
        return None
    return PreparedPart(prepare_items(parsed.items, *_worker), parsed.feed_title)
