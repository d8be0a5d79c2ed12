"""A dry run of one source: fetch → parse → normalise → tag, and nothing stored.

Admins test a source before trusting it: the page shows what an ingest would
keep, with the tags each item would get. Orchestration only, like
`pipeline`: each stage's logic lives in its own module, and no session is
opened, so a test can never change what readers see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from tracker import fetch
from tracker.config import Settings
from tracker.parse import ParseError, parse_document
from tracker.prepare import Context, prepare_items
from tracker.source_request import SourceSkipped, source_request
from tracker.taxonomy import Taxonomy
from tracker.types import SourceConfig

SHOWN = 50  # items listed; the rest are counted
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreviewItem:
    """What one item would be stored as."""

    title: str
    url: str | None
    published: datetime
    undated: bool
    doc_type: str
    summary_html: str
    topics: tuple[str, ...]
    entities: tuple[str, ...]


@dataclass
class Preview:
    """The outcome of a dry run: an error, or the items and the parser's warnings."""

    url: str
    http_status: int | None = None
    error: str | None = None
    kind: str | None = None
    total: int = 0
    bills: int = 0
    items: list[PreviewItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def preview_source(source: SourceConfig, settings: Settings, taxonomy: Taxonomy) -> Preview:
    """Fetch `source` now (ignoring its validators) and show what would be ingested.

    Never raises: whatever goes wrong becomes the preview's error, so the
    admin reads why on the page instead of getting a server error.
    """
    try:
        return _preview(source, settings, taxonomy)
    except Exception as exc:  # the last-resort boundary: an unforeseen error is a bug
        log.error("unexpected error testing %s", source.slug, exc_info=exc)
        lines = str(exc).strip().splitlines()
        detail = lines[0][:200] if lines else "no message"
        return Preview(
            url=source.url,
            error=f"unexpected error, a bug ({type(exc).__name__}: {detail}); "
            "its traceback is in the server's log",
        )


def _preview(source: SourceConfig, settings: Settings, taxonomy: Taxonomy) -> Preview:
    preview = Preview(url=source.url)
    limits = fetch.FetchSettings(
        user_agent=settings.user_agent or fetch.DEFAULT_USER_AGENT,
        read_timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
        allow_private=settings.allow_private_fetch,
        retries=1,  # a person is waiting: one try, and say what happened
    )
    request = None
    try:
        # The same request a fetch sends: the fields asked for, the key as a header.
        key = settings.congress_api_key
        request = source_request(source.kind, source.url, congress_api_key=key)
        got = fetch.fetch_url(request.url, settings=limits, headers=request.headers)
        preview.http_status = got.status
        kind = None if source.kind == "rss" else source.kind
        parsed = parse_document(got.content, kind, base_url=got.url, selectors=source.selectors)
    except (fetch.FetchError, ParseError, SourceSkipped) as exc:
        preview.error = request.redact(str(exc)) if request else str(exc)
        preview.http_status = getattr(exc, "status", preview.http_status)
        return preview
    preview.kind, preview.total, preview.bills = parsed.kind, len(parsed.items), len(parsed.bills)
    preview.warnings = list(parsed.warnings)
    context = Context(got.fetched_at, got.url, source.doc_type)
    for record, result in prepare_items(parsed.items[:SHOWN], taxonomy, context):
        preview.items.append(
            PreviewItem(
                title=record.title,
                url=record.url,
                published=record.published,
                undated=record.undated,
                doc_type=result.doc_type,
                summary_html=record.summary_html,
                topics=tuple(result.topics),
                entities=tuple(result.entities),
            )
        )
    return preview
