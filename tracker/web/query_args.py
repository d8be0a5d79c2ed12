"""Strict numbers from the URL (query string and record ids in paths) and search arguments.

Pages forgive a bad `page`; a machine client is better told: `page=abc` is a
400 with a message here, never a quiet first page or a database overflow.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

from tracker.inputs import MAX_ID, MAX_PAGE, InputError, whole_number
from tracker.search import SORTS, Filters
from tracker.store.listings import ListingFilter
from tracker.types import DOC_TYPES

MAX_QUERY = 500


def int_arg(name: str, default: int, *, low: int = 1, high: int = MAX_PAGE) -> int:
    """The whole number `name` from the query string, between `low` and `high`."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return whole_number(raw, f"'{name}'", low, high)
    except InputError as exc:
        raise BadRequest(str(exc)) from None


def query_arg() -> str:
    """The search query `q`, trimmed; too long a query is refused."""
    q = (request.args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise BadRequest(f"'q' is longer than {MAX_QUERY} characters.")
    return q


def sort_arg(default: str = "newest") -> str:
    """The search order `sort`: relevance or newest."""
    sort = request.args.get("sort") or default
    if sort not in SORTS:
        raise BadRequest(f"'sort' must be one of {', '.join(SORTS)}, not {sort!r}.")
    return sort


def search_filters(f: ListingFilter) -> Filters:
    """The search index's filters for a listing filter (several `type`s mean any)."""
    types = tuple(t for t in request.args.getlist("type") if t)
    for t in types:
        if t not in DOC_TYPES:
            raise BadRequest(f"Unknown document type {t!r}; use one of {', '.join(DOC_TYPES)}.")
    return Filters(
        types=types or ((f.doc_type,) if f.doc_type else ()),
        topics=(f.topic,) if f.topic else (),
        entities=(f.entity,) if f.entity else (),
        sources=(f.source,) if f.source else (),
        bill=f.bill,
        date_from=f.since.date() if f.since else None,
        # The listing's end is exclusive (the day after `to`); the index's is inclusive.
        date_to=(f.until - timedelta(days=1)).date() if f.until else None,
    )


class RecordId(IntegerConverter):
    """`<id:item_id>`: a stored record's id in a path, from 1 to MAX_ID.

    A longer number matches no route (a 404, like any id with no record)
    instead of reaching the database, which cannot hold it.
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def init_app(app: Flask) -> None:
    """Register the `id` converter; before any blueprint, whose rules use it."""
    app.url_map.converters["id"] = RecordId
