"""Which view a subscription follows: a listing or a search, by its page's path and filters.

A subscription keeps the page's path (`/topics/distillation`) and its filters
as a canonical query string (`type=letter`): the same filters, with the same
meanings, as that page and its feeds (`ListingFilter`, `where`). Dates,
order and page number narrow what a reader looks at now, not what is news
later, so they are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlmodel import Session

from tracker.search import Filters
from tracker.store.listings import ListingFilter
from tracker.types import DOC_TYPES
from tracker.web import feed_listings
from tracker.web.feed_listings import Listing

# Query arguments a subscription keeps, in their canonical order.
KEPT = ("q", "type", "topic", "entity", "source", "bill")
MAX_QUERY = 500
_SLUG = r"[a-z0-9][a-z0-9._-]{0,99}"
_PATHS = (
    (re.compile(rf"^/topics/({_SLUG})$"), "topic"),
    (re.compile(rf"^/entities/({_SLUG})$"), "entity"),
    (re.compile(rf"^/types/({_SLUG})$"), "type"),
    (re.compile(rf"^/sources/({_SLUG})$"), "source"),
    (re.compile(r"^/bills/([1-9][0-9]{0,2})/([a-z]{1,7})([1-9][0-9]{0,5})$"), "bill"),
    (re.compile(r"^/search$"), "search"),
    (re.compile(r"^/$"), "items"),
)


class ViewError(ValueError):
    """A path or filter that names no view a reader can follow; the message says why."""


@dataclass(frozen=True)
class AlertView:
    """A followed view: its listing, its filter, and the search query if it is a search."""

    listing: Listing
    filter: ListingFilter
    query: str  # the search words; "" for a listing
    canonical: str  # the kept arguments as a query string

    @property
    def path(self) -> str:
        return self.listing.path

    @property
    def is_search(self) -> bool:
        return self.listing.kind == "search"

    def page_url(self) -> str:
        """The page's path with its filters: `/topics/distillation?type=letter`."""
        return f"{self.path}?{self.canonical}" if self.canonical else self.path

    def search_filters(self) -> Filters:
        f = self.filter
        return Filters(
            types=(f.doc_type,) if f.doc_type else (),
            topics=(f.topic,) if f.topic else (),
            entities=(f.entity,) if f.entity else (),
            sources=(f.source,) if f.source else (),
            bill=f.bill,
        )


def parse(path: str, query: str | list[tuple[str, str]]) -> AlertView:
    """The view of a page's `path` and query string (or its arguments); ViewError if none."""
    listing = _listing(path)
    pairs = parse_qsl(query, keep_blank_values=False) if isinstance(query, str) else list(query)
    args: dict[str, str] = {}
    for name, value in pairs:
        value = value.strip()
        if name in KEPT and value and name not in args:
            args[name] = value
    words = args.get("q", "") if listing.kind == "search" else ""
    args.pop("q", None)
    if listing.kind == "search" and not words:
        raise ViewError("A search alert needs search words.")
    if len(words) > MAX_QUERY:
        raise ViewError(f"The search is longer than {MAX_QUERY} characters.")
    doc_type = args.get("type")
    if doc_type and doc_type not in DOC_TYPES:
        raise ViewError(f"Unknown document type {doc_type!r}.")
    for name in ("topic", "entity", "source", "bill"):
        if name in args and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,99}", args[name]):
            raise ViewError(f"{args[name]!r} is not a {name}.")
    changes: dict[str, Any] = {field: args[n] for n, field in _FIELDS.items() if n in args}
    narrowed = replace(listing.base, **changes)
    kept = ([("q", words)] if words else []) + [(n, args[n]) for n in KEPT if n in args]
    return AlertView(listing, narrowed, words, urlencode(kept))


_FIELDS = {"type": "doc_type", "topic": "topic", "entity": "entity", "source": "source",
           "bill": "bill"}  # fmt: skip


def _listing(path: str) -> Listing:
    for pattern, kind in _PATHS:
        match = pattern.match(path)
        if not match:
            continue
        if kind in ("search", "items"):
            return feed_listings.listing(kind)
        if kind == "bill":
            congress, code, number = match.groups()
            return feed_listings.listing("bill", f"{congress}-{code}-{number}")
        return feed_listings.listing(kind, match.group(1))
    raise ViewError(f"{path!r} is not a listing or a search page of this site.")


def check_exists(session: Session, view: AlertView) -> None:
    """ViewError when the view's topic, entity, source, type or bill is not on this site."""
    if not feed_listings.exists(session, view.listing):
        raise ViewError(f"There is nothing at {view.path}.")


def label(session: Session, view: AlertView) -> str:
    """The view's name as its feed calls it: 'Model distillation · Letter'."""
    return feed_listings.title(session, view.listing, view.filter, view.query)[:300]
