"""Which listing a feed URL names, what to call it, and its items as feed entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from urllib.parse import urlencode

from flask import current_app
from sqlmodel import Session

from tracker.store import directory
from tracker.store.items import ItemCard
from tracker.store.listings import ListingFilter
from tracker.types import DOC_TYPES, bill_label
from tracker.web import site_url
from tracker.web.feed_render import Category, FeedEntry
from tracker.web.filters import doc_type_label

DEFAULT_AUTHORITY = "policy-tracker"
SNAPSHOT_LABEL = "Demo snapshot bundled with Policy Tracker, not fetched live"
# The year in every tag URI: part of the id, so it must never change.
TAG_YEAR = 2026
# ListingFilter fields as the query string names them.
QUERY_NAMES = {
    "topic": "topic",
    "entity": "entity",
    "doc_type": "type",
    "source": "source",
    "bill": "bill",
    "since": "from",
    "until": "to",
}


@dataclass(frozen=True)
class Listing:
    """A listing named by a path: its kind, key, own filter and HTML page."""

    kind: str  # items | topic | entity | type | source | bill | search
    key: str
    base: ListingFilter
    path: str  # the HTML page, "/topics/distillation"
    feed_path: str  # the feeds, before their extension: "/topics/distillation"


def listing(kind: str, key: str = "") -> Listing:
    """The listing of `kind` for `key` (a slug, a document type or a bill key)."""
    if kind == "items":
        return Listing("items", "", ListingFilter(), "/", "/items")
    if kind == "search":
        return Listing("search", "", ListingFilter(), "/search", "/search")
    if kind == "bill":
        congress, bill_type, number = key.split("-")
        path = f"/bills/{congress}/{bill_type}{number}"
        return Listing("bill", key, ListingFilter(bill=key), path, path)
    base = {
        "topic": ListingFilter(topic=key),
        "entity": ListingFilter(entity=key),
        "type": ListingFilter(doc_type=key),
        "source": ListingFilter(source=key),
    }[kind]
    path = f"/{kind}s/{key}" if kind != "entity" else f"/entities/{key}"
    return Listing(kind, key, base, path, path)


def exists(session: Session, item: Listing) -> bool:
    """Whether the listing's key names something (its feed is then never a 404)."""
    lookups = {
        "topic": directory.topic,
        "entity": directory.entity,
        "source": directory.source,
        "bill": directory.bill,
    }
    if item.kind == "type":
        return item.key in DOC_TYPES
    find = lookups.get(item.kind)
    return find is None or find(session, item.key) is not None


def title(session: Session, item: Listing, f: ListingFilter, query: str = "") -> str:
    """'Model distillation · Letter · Alibaba': the listing, then what narrows it."""
    names = directory.tag_names(session)
    if item.kind == "bill":
        bill = directory.bill(session, item.key)
        head = f"{bill_label(bill.bill_type, bill.number)}: {bill.title}" if bill else item.key
    elif item.kind == "source":
        source = directory.source(session, item.key)
        head = source.name if source else item.key
    elif item.kind == "type":
        head = doc_type_label(item.key)
    elif item.kind == "search":
        head = f"Search: {query}" if query else "Search"
    elif item.kind == "items":
        head = "All items"
    else:
        head = names.get(item.key, item.key)
    parts = [head]
    if f.doc_type and item.kind != "type":
        parts.append(doc_type_label(f.doc_type))
    for slug in (f.topic, f.entity):
        if slug and slug != item.key:
            parts.append(names.get(slug, slug))
    if f.source and item.kind != "source":
        parts.append(f.source)
    if f.bill and item.kind != "bill":
        parts.append(f.bill)
    if f.since or f.until:
        parts.append(_span(f.since, f.until))
    return " · ".join(parts)


def _span(since: datetime | None, until: datetime | None) -> str:
    start = _day(since, False) if since else "…"
    end = _day(until, True) if until else "…"
    return f"{start} to {end}"


def authority() -> str:
    """The tagging authority of every id; set FEED_TAG_AUTHORITY once and keep it."""
    return str(current_app.config.get("FEED_TAG_AUTHORITY", DEFAULT_AUTHORITY))


def feed_id(item: Listing, f: ListingFilter, query: str = "") -> str:
    """A stable id for the listing with its filters, the same in every format.

    Written with the query string's names: `...:feed/topics/distillation?type=letter`.
    """
    narrowing = [("q", query)] if query else []
    for name, arg in QUERY_NAMES.items():
        value = getattr(f, name)
        if value is not None and value != getattr(item.base, name):
            narrowing.append((arg, _day(value, name == "until")))
    tail = f"?{urlencode(narrowing)}" if narrowing else ""
    return f"tag:{authority()},{TAG_YEAR}:feed{item.feed_path}{tail}"


def _day(value: object, exclusive_end: bool) -> str:
    if not isinstance(value, datetime):
        return str(value)
    day = value.date()
    return (date.fromordinal(day.toordinal() - 1) if exclusive_end else day).isoformat()


def item_id(item: int) -> str:
    """The id of an item in every feed: from its database id, never its URL."""
    return f"tag:{authority()},{TAG_YEAR}:item/{item}"


def entry(card: ItemCard, names: dict[str, str], change: str | None = None) -> FeedEntry:
    """An item card as a feed entry, with absolute links on this host; `change`, one
    line on what its source changed since it was first listed, heads its summary."""
    root = site_url.root()
    page = f"{root}/items/{card.id}"
    categories = [Category(card.doc_type, f"{root}/types/", doc_type_label(card.doc_type))]
    categories += [Category(s, f"{root}/topics/", names.get(s, s)) for s in card.topics]
    categories += [Category(s, f"{root}/entities/", names.get(s, s)) for s in card.entities]
    title = card.title
    if card.is_sample:
        # A feed reader shows little besides the title: the mark goes there too.
        categories.append(Category("demo-snapshot", f"{root}/", SNAPSHOT_LABEL))
        title = f"[Demo snapshot] {title}"
    updated = max(t for t in (card.published, card.changed_at, card.updated) if t is not None)
    extra = {
        "page_url": page,
        "doc_type": card.doc_type,
        "source": card.source_slug,
        "topics": list(card.topics),
        "entities": list(card.entities),
        "event": {"id": card.event_id, "headline": card.event_headline} if card.event_id else None,
        "snapshot": card.is_sample,
    }
    if change:
        extra["change"] = change
    return FeedEntry(
        id=item_id(card.id),
        title=title,
        link=page,
        original=card.url or None,
        published=card.published,
        updated=updated,
        summary_html=f"<p><strong>{escape(change)}</strong></p>{card.summary_html}"
        if change
        else card.summary_html,
        summary_text=f"{change}\n\n{card.summary_text}" if change else card.summary_text,
        source_name=card.source_name,
        source_url=f"{root}/sources/{card.source_slug}.rss",
        categories=tuple(categories),
        extra=extra,
    )
