"""Links a page offers about itself: its other pages and its feeds, filters kept."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

FEED_FORMATS = (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed"), ("csv", "CSV"))
FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class Pagination:
    """Where the pager of a listing points."""

    page: int
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class FeedLink:
    """This listing in another format."""

    label: str
    url: str
    mime: str


def with_args(path: str | None = None, **changes: object) -> str:
    """This page's URL (or `path`) with its query string, some arguments changed.

    An argument changed to None or "" is dropped.
    """
    args = {k: v for k, v in request.args.items(multi=False) if v != ""}
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = str(value)
    query = urlencode(args)
    return (path or request.path) + (f"?{query}" if query else "")


def pagination(page: int, has_next: bool) -> Pagination:
    """Newer and older page links that keep the page's filters."""
    prev_url = with_args(page=page - 1 if page > 2 else None) if page > 1 else None
    next_url = with_args(page=page + 1) if has_next else None
    return Pagination(page, prev_url, next_url)


def feed_links() -> list[FeedLink]:
    """This listing as RSS, Atom, JSON Feed and CSV, where the app serves them."""
    adapter = current_app.url_map.bind("localhost")
    links = []
    for ext, label in FEED_FORMATS:
        path = f"{request.path.rstrip('/')}.{ext}"
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except RequestRedirect:
            endpoint = None
        except HTTPException:
            continue  # not served: offer no link that would 404
        if endpoint == request.endpoint:
            continue  # the page's own rule read the extension as part of a slug
        links.append(FeedLink(label, with_args(path, page=None), FEED_TYPES[ext]))
    return links
