"""JSON Feed 1.0 and 1.1 (feedparser 6.0 does not read them)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from tracker.parse import ParseError
from tracker.types import ParsedItem, ParseResult


def parse_jsonfeed(document: dict[str, Any]) -> ParseResult:
    """A decoded JSON Feed document → items; entries without id or title are skipped."""
    entries = document.get("items")
    if not isinstance(entries, list):
        raise ParseError("JSON Feed without an 'items' list")
    items: list[ParsedItem] = []
    warnings: list[str] = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            warnings.append(f"item {position} skipped: not an object")
            continue
        url = _str(entry.get("url")) or _str(entry.get("external_url"))
        title = _str(entry.get("title"))
        guid = _str(entry.get("id")) or url
        if not guid or not (title or url):
            warnings.append(f"item {position} skipped: it has no id, title or url")
            continue
        summary = _str(entry.get("content_html"))
        if not summary:
            text = _str(entry.get("content_text")) or _str(entry.get("summary"))
            summary = html.escape(text) if text else ""
        authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
        author = next((_str(a.get("name")) for a in authors if isinstance(a, dict)), None)
        tags = tuple(t for t in entry.get("tags") or () if isinstance(t, str))
        items.append(
            ParsedItem(
                guid=guid,
                title=title or "",
                url=url,
                summary_html=summary,
                published=_date(entry.get("date_published")),
                updated=_date(entry.get("date_modified")),
                author=author,
                categories=tags,
            )
        )
    title = _str(document.get("title"))
    return ParseResult(
        kind="rss", items=tuple(items), warnings=tuple(warnings), feed_title=title or None
    )


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
