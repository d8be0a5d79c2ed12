"""Query-string filters shared by every listing: pages, feeds, CSV and the API.

`/topics/distillation?type=letter&entity=alibaba&from=2026-06-01&to=2026-06-30`
and `/topics/distillation.atom?...` read their filters here, the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

from tracker.inputs import MAX_PAGE, InputError, day, whole_number
from tracker.store.listings import ListingFilter
from tracker.types import DOC_TYPES

FILTER_ARGS = ("type", "topic", "entity", "source", "bill", "from", "to")
ORDERS = ("newest", "oldest")


def order_arg() -> bool:
    """`order`: True for oldest first; newest first when absent."""
    order = request.args.get("order") or "newest"
    if order not in ORDERS:
        raise BadRequest(f"'order' must be newest or oldest, not {order!r}.")
    return order == "oldest"


def listing_filter(
    base: ListingFilter | None = None, notices: list[str] | None = None
) -> ListingFilter:
    """The listing's own filter (from its path) narrowed by the query string.

    Dates the wrong way round are a 400 for programs; a page passes `notices`
    and gets them swapped, with a note of it there.
    """
    f = base or ListingFilter()
    args = request.args
    doc_type = args.get("type") or None
    if doc_type and doc_type not in DOC_TYPES:
        raise BadRequest(f"Unknown document type {doc_type!r}; use one of {', '.join(DOC_TYPES)}.")
    changes: dict[str, Any] = {}
    for arg, name in (("topic", "topic"), ("entity", "entity"), ("source", "source"),
                      ("bill", "bill")):  # fmt: skip
        value = (args.get(arg) or "").strip()
        if value:
            changes[name] = value
    if doc_type:
        changes["doc_type"] = doc_type
    since = _day(args.get("from"), "from")
    until = _day(args.get("to"), "to")
    if since and until and until < since and notices is not None:
        since, until = until, since
        notices.append(f"'From' ({until:%-d %b %Y}) was after 'to' ({since:%-d %b %Y}), "
                       "so the two dates were swapped.")  # fmt: skip
    if since:
        changes["since"] = datetime.combine(since, time(), UTC)
    if until:
        changes["until"] = datetime.combine(until + timedelta(days=1), time(), UTC)
    if since and until and until < since:
        raise BadRequest("'to' is before 'from'.")
    return replace(f, **changes)


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return day(value, f"'{name}'")
    except InputError as exc:
        raise BadRequest(str(exc)) from None


def page_number(raw: str | None = None) -> int:
    """A page's `page` argument (or `raw`): 1 when absent or mistyped, never past MAX_PAGE."""
    raw = (request.args.get("page", "") if raw is None else raw).strip()
    if not (raw.isascii() and raw.isdigit()) or not raw.strip("0"):
        return 1  # a page forgives a mistyped page number...
    try:
        return whole_number(raw, "'page'", 1, MAX_PAGE)
    except InputError as exc:  # ...but refuses one deeper than any listing goes
        raise BadRequest(str(exc)) from None
