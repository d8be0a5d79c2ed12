"""One document into the store: parsed, normalised, tagged and written in one transaction.

A large RSS or Atom document is cut into parts that worker processes parse,
normalise and tag while this process stores the parts already done; when the
parts do not read exactly as the whole document would, the transaction is
rolled back and the document read whole. Everything else is parsed here and
prepared in chunks (on workers when the batch is large).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.gcpause import gc_paused
from tracker.models import Source
from tracker.parse import parse_document
from tracker.prepare import (
    CHUNK,
    Context,
    PartsMismatch,
    feed_parts,
    prepare_chunks,
    prepare_parts,
)
from tracker.store import calendar_sync, catalog
from tracker.store.ingest import StoreReport, store_bill, store_items
from tracker.store.locks import write_scope
from tracker.taxonomy import Taxonomy
from tracker.types import ItemRecord, ParsedItem, ParseResult, TagResult


class RejectedInput(Exception):
    """A file or source whose content was refused; the message is one line."""


@gc_paused()
def parse_and_store(
    engine: Engine,
    taxonomy: Taxonomy,
    source_slug: str,
    content: bytes,
    kind: str | None,
    fetched_at: datetime,
    *,
    base_url: str = "",
    selectors: Mapping[str, str] | None = None,
    local: bool = False,
) -> tuple[ParseResult, StoreReport]:
    """Parse `content` and store its items under the source, in one transaction.

    `local`: the source is a local one (`tracker ingest`), made on first use.
    Raises `ParseError` for a document that cannot be read and
    `RejectedInput` for an unknown source.
    """
    parts = feed_parts(content, kind)
    if parts is not None:
        try:
            return _store_parts(
                engine, taxonomy, source_slug, content, parts, fetched_at, base_url, local
            )
        except PartsMismatch:
            pass  # e.g. a literal </item> inside an entry: read the whole file below
    parsed = parse_document(content, kind, base_url=base_url, selectors=selectors)
    made_as = parsed.kind if local else None
    return parsed, store_parsed(
        engine, taxonomy, source_slug, parsed, fetched_at, base_url, made_as=made_as
    )


def store_parsed(
    engine: Engine,
    taxonomy: Taxonomy,
    source_slug: str,
    parsed: ParseResult,
    fetched_at: datetime,
    base_url: str,
    *,
    made_as: str | None = None,
) -> StoreReport:
    """Normalise, tag and store one parsed document in one transaction.

    The transaction holds the write lock from the start (`write_scope`): what
    is already stored is read under it, so two runs of one document at once
    store it once and count it once. `made_as`: create a local source of this
    format if there is none.
    """
    with write_scope(engine) as session:
        if made_as:
            source = catalog.local_source(session, source_slug, made_as, _default_type(made_as))
        else:
            source = _known_source(session, source_slug)
        for bill in parsed.bills:
            store_bill(session, bill, source.is_sample)
        context = _context(source, fetched_at, base_url)
        items = _snapshot_links(parsed) if source.is_sample else parsed.items
        report = StoreReport()
        for chunk in prepare_chunks(items, taxonomy, context):
            report.add(_store_chunk(session, source, chunk, fetched_at))
        return report


def _store_parts(
    engine: Engine,
    taxonomy: Taxonomy,
    source_slug: str,
    content: bytes,
    parts: list[bytes],
    fetched_at: datetime,
    base_url: str,
    local: bool,
) -> tuple[ParseResult, StoreReport]:
    report = StoreReport()
    title = None
    with write_scope(engine) as session:
        if local:
            source = catalog.local_source(session, source_slug, "rss", _default_type("rss"))
        else:
            source = _known_source(session, source_slug)
        context = _context(source, fetched_at, base_url)
        for part in prepare_parts(content, parts, taxonomy, context):
            title = title or part.feed_title
            for start in range(0, len(part.prepared), CHUNK):
                chunk = part.prepared[start : start + CHUNK]
                report.add(_store_chunk(session, source, chunk, fetched_at))
    # Only what the callers read: the parts carried no warnings and no paging link.
    return ParseResult(kind="rss", feed_title=title), report


def _store_chunk(
    session: Session,
    source: Source,
    chunk: Sequence[tuple[ItemRecord, TagResult | None]],
    fetched_at: datetime,
) -> StoreReport:
    """Store a chunk, then bring the calendar entries of what it touched up to date."""
    done = store_items(session, source, chunk, fetched_at)
    records = [record for record, _ in chunk]
    calendar_sync.after_batch(session.connection(), source.id or 0, records, done.item_ids)
    return done


def _snapshot_links(parsed: ParseResult) -> tuple[ParsedItem, ...]:
    """A demo bill links to the text its snapshot names, or nowhere.

    The congress.gov page a live bill links to is built from the number; a
    snapshot may only point at an address its file holds (data/demo rules).
    """
    texts = {bill.key: bill.text_url for bill in parsed.bills}
    return tuple(
        replace(item, url=texts.get(item.bill_key)) if item.bill_key else item
        for item in parsed.items
    )


def _known_source(session: Session, slug: str) -> Source:
    source = catalog.source_by_slug(session, slug)
    if source is None:
        raise RejectedInput(f"unknown source {slug!r}")
    return source


def _context(source: Source, fetched_at: datetime, base_url: str) -> Context:
    return Context(
        fetched_at=fetched_at,
        base_url=base_url or None,
        default_doc_type=source.doc_type,
    )


def _default_type(kind: str) -> str:
    """The document type a new local source of this format gets."""
    types = {"billstatus": "bill", "federal-register": "rule", "congress-api": "bill",
             "senate-hearings": "hearing"}  # fmt: skip
    return types.get(kind, "news")
