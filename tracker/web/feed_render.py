"""One listing as RSS 2.0, Atom 1.0 or JSON Feed 1.1: pure functions of plain records.

RSS and Atom are written by feedgen (lxml underneath), JSON Feed by `json`.
Everything that reaches a feed passes `xml_text` (no character XML forbids)
and summaries pass the project's sanitiser again: `summary_html` was cleaned
at ingest, but a feed is read by many programs and must never carry a script.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator
from lxml import etree
from markupsafe import escape

from tracker.normalize import sanitize_html

# XML 1.0 allows tab, LF, CR and most of the rest; C1 controls and
# non-characters are allowed or discouraged but break strict readers too.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
JSON_SUMMARY_CHARS = 500
GENERATOR = "Policy Tracker"
_ATOM = "{http://www.w3.org/2005/Atom}"


def xml_text(value: str | None) -> str:
    """`value` without the characters an XML document may not hold."""
    return _NOT_XML.sub("", value or "")


def safe_html(value: str | None) -> str:
    """Sanitised HTML that is also legal in XML."""
    return xml_text(sanitize_html(xml_text(value)))


@dataclass(frozen=True)
class Category:
    """A tag or type of an entry: `term` is the slug, `scheme` the listing's base URL."""

    term: str
    scheme: str
    label: str


@dataclass(frozen=True)
class FeedEntry:
    """One item as every feed format shows it."""

    id: str  # stable: built from the item id, never from its URL
    title: str
    link: str  # the item's page on this site
    published: datetime
    updated: datetime
    summary_html: str
    summary_text: str
    source_name: str
    source_url: str
    categories: tuple[Category, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # JSON Feed `_policy_tracker`
    original: str | None = None  # the document where its publisher put it


@dataclass(frozen=True)
class FeedMeta:
    """The listing as a whole."""

    id: str
    title: str
    description: str
    html_url: str
    self_url: str
    updated: datetime
    icon_url: str | None = None
    next_url: str | None = None


def _generator(meta: FeedMeta, entries: list[FeedEntry]) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(meta.id)
    fg.title(xml_text(meta.title))
    fg.subtitle(xml_text(meta.description))  # RSS: description
    fg.link(href=meta.self_url, rel="self")
    if meta.next_url:
        fg.link(href=meta.next_url, rel="next")
    # feedgen takes the last link as the RSS channel's <link>: the page.
    fg.link(href=meta.html_url, rel="alternate")
    fg.author(name=GENERATOR)
    fg.generator(GENERATOR)
    fg.language("en")
    fg.updated(meta.updated)
    fg.lastBuildDate(meta.updated)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(xml_text(entry.title) or "(untitled)")
        fe.link(href=entry.link, rel="alternate")  # RSS: <link>
        if entry.original:
            fe.link(href=entry.original, rel="related")
        fe.published(entry.published)
        fe.updated(entry.updated)
        summary = safe_html(entry.summary_html) or xml_text(entry.summary_text)
        fe.summary(summary + _original_html(entry), type="html")
        for c in entry.categories:
            fe.category(term=c.term, scheme=c.scheme, label=xml_text(c.label))
        fe.source(url=entry.source_url, title=xml_text(entry.source_name))
    return fg


def _original_html(entry: FeedEntry) -> str:
    """A closing line linking the original document: RSS has one link, and it is the page."""
    if not entry.original:
        return ""
    where = escape(xml_text(entry.source_name) or "the publisher")
    return f'<p>Original at <a href="{escape(entry.original)}">{where}</a>.</p>'


def render_rss(meta: FeedMeta, entries: list[FeedEntry]) -> bytes:
    """An RSS 2.0 document."""
    return _generator(meta, entries).rss_str(pretty=False)  # type: ignore[no-any-return]


def render_atom(meta: FeedMeta, entries: list[FeedEntry]) -> bytes:
    """An Atom 1.0 document."""
    body: bytes = _generator(meta, entries).atom_str(pretty=False)
    if not any(e.original for e in entries):
        return body
    # feedgen 1.0 writes an entry's links without their rel (a shadowed loop
    # variable), which would make the original a second rel=alternate: set it.
    root = etree.fromstring(body)
    originals = {e.original for e in entries if e.original}
    for link in root.iter(f"{_ATOM}link"):
        parent = link.getparent()
        if parent is not None and parent.tag == f"{_ATOM}entry" and link.get("href") in originals:
            link.set("rel", "related")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]


def render_json(meta: FeedMeta, entries: list[FeedEntry]) -> bytes:
    """A JSON Feed 1.1 document."""
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": xml_text(meta.title),
        "home_page_url": meta.html_url,
        "feed_url": meta.self_url,
        "description": xml_text(meta.description),
        "language": "en",
        "authors": [{"name": GENERATOR}],
        "items": [_json_item(e) for e in entries],
    }
    if meta.next_url:
        feed["next_url"] = meta.next_url
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()


def _json_item(entry: FeedEntry) -> dict[str, Any]:
    text = xml_text(entry.summary_text)
    if len(text) > JSON_SUMMARY_CHARS:
        text = text[: JSON_SUMMARY_CHARS - 1].rstrip() + "…"
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.link,
        **({"external_url": entry.original} if entry.original else {}),
        "title": xml_text(entry.title) or "(untitled)",
        "summary": text,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
        "tags": [c.label for c in entry.categories],
        "authors": [{"name": xml_text(entry.source_name), "url": entry.source_url}],
    }
    html = safe_html(entry.summary_html)
    if html:
        item["content_html"] = html
    else:
        item["content_text"] = text or item["title"]
    if entry.extra:
        item["_policy_tracker"] = entry.extra
    return item
