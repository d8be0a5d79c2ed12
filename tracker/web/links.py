"""Links a page offers about itself: its other pages, filters kept.

Its feeds are `tracker.web.discovery.feed_links`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request


@dataclass(frozen=True)
class Pagination:
    """Where the pager of a listing points."""

    page: int
    prev_url: str | None
    next_url: str | None


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
