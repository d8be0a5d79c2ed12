"""RSS 0.9x/1.0/2.0, Atom and RDF through feedparser."""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from datetime import UTC, datetime
from typing import Any

import feedparser
from defusedxml import DefusedXmlException

from tracker.parse import ParseError
from tracker.parse.feed_nesting import TooDeep, limit_nesting
from tracker.parse.sax_buffered import use_buffered_driver
from tracker.types import ParsedItem, ParseResult

use_buffered_driver()
limit_nesting()

# feedparser's own sanitiser and relative-link resolution are most of its run
# time; summaries are sanitised later with nh3 (which also resolves links), so
# both are switched off here rather than done twice.
_FEEDPARSER_OPTIONS = {"sanitize_html": False, "resolve_relative_uris": False}

# govinfo's billstatus-batch.xml announces each finished BILLSTATUS job with an
# entry whose body lists every file the job changed (hundreds of names, up to
# ~2 MB). It is a notice about files, not a bill: stored, it became a "bill"
# item full of file names. Bills are followed one by one (kind billstatus).
_BATCH_NOTICE = re.compile(r"\bBILLSTATUS\b.*\bbatch\b", re.IGNORECASE)

_ROOT_CLOSE = re.compile(rb"</\s*(?:[\w-]+:)?(rss|feed|rdf|channel)\s*>\s*$", re.IGNORECASE)


def parse_feed(content: bytes) -> ParseResult:
    """Every feed feedparser reads; a truncated or undecodable file is a ParseError."""
    try:
        parsed = feedparser.parse(content, **_FEEDPARSER_OPTIONS)
    except DefusedXmlException:
        raise ParseError(
            "the XML declares entities, which is refused (entity expansion is unsafe)"
        ) from None
    except TooDeep as too_deep:
        raise ParseError(f"{too_deep}, which is refused (each level costs memory)") from None
    exc = parsed.get("bozo_exception")
    if not parsed.version:
        reason = f" ({_one_line(exc)})" if exc else ""
        raise ParseError(f"not a feed that can be read{reason}")
    if isinstance(exc, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown):
        raise ParseError(f"wrong character encoding: {_one_line(exc)}")
    if parsed.bozo and not _ROOT_CLOSE.search(content.rstrip()[-200:]):
        raise ParseError(f"truncated {parsed.version} feed: the file ends before its last tag")
    warnings: list[str] = []
    if parsed.bozo and exc is not None:
        warnings.append(f"feed is not well-formed, read leniently: {_one_line(exc)}")
    items: list[ParsedItem] = []
    notices = 0
    for position, entry in enumerate(parsed.entries, start=1):
        item = _entry_to_item(entry)
        if item is None:
            warnings.append(f"entry {position} skipped: it has neither a title nor a link")
        elif _BATCH_NOTICE.search(item.title):
            notices += 1
        else:
            items.append(item)
    if notices:
        warnings.append(
            f"{notices} BILLSTATUS batch notice(s) skipped: lists of changed files, not bills"
        )
    title = parsed.feed.get("title")
    return ParseResult(kind="rss", items=tuple(items), warnings=tuple(warnings), feed_title=title)


def _entry_to_item(entry: Any) -> ParsedItem | None:
    title = entry.get("title") or ""
    link = entry.get("link")
    summary = _summary(entry)
    if not title.strip() and not link:
        return None
    published = _time(entry.get("published_parsed")) or _time(entry.get("created_parsed"))
    # dict.get: feedparser maps a missing updated_parsed to published_parsed (and warns).
    updated = _time(dict.get(entry, "updated_parsed"))
    guid = entry.get("id") or link or _fallback_guid(title, published, summary)
    tags = tuple(t.get("term") for t in entry.get("tags") or () if t.get("term"))
    return ParsedItem(
        guid=str(guid),
        title=title,
        url=link,
        summary_html=summary,
        published=published,
        updated=updated if updated != published else None,
        author=entry.get("author"),
        categories=tags,
    )


def _summary(entry: Any) -> str:
    """The fullest text the entry carries, as HTML."""
    detail = None
    for content in entry.get("content") or ():
        if content.get("value") and (
            detail is None or len(content["value"]) > len(detail["value"])
        ):
            detail = content
    if detail is None:
        detail = entry.get("summary_detail")
    if not detail or not detail.get("value"):
        return ""
    if detail.get("type") == "text/plain":
        return html.escape(detail["value"])
    return detail["value"]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _fallback_guid(title: str, published: datetime | None, summary: str) -> str:
    basis = f"{title}\x1f{published.isoformat() if published else ''}\x1f{summary[:500]}"
    return "sha1:" + hashlib.sha1(basis.encode("utf-8", "replace")).hexdigest()


def _one_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
