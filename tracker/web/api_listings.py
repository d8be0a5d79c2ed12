"""A listing's result as the API's JSON: `/api/v1/items` (items, or a search's
hits) and `/api/v1/timelines/...` (events with their items).

Registered with `listing_views`; the routes are in `api` and `api_catalog`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tracker.search.results import SearchResult
from tracker.store.directory import TagEntry
from tracker.store.listing_results import ListingResult
from tracker.web import api_json
from tracker.web.api_support import pages
from tracker.web.listing_views import ListingRequest, renderer


@renderer("api")
def items(_session: Session | None, req: ListingRequest, result: ListingResult) -> dict[str, Any]:
    """A page of the listing's items, newest first (oldest first when asked)."""
    summaries = [api_json.item_summary(x) for x in result.items]
    return {"items": summaries, **pages(req.page, req.ask.limit, result.item_total)}


@renderer("api-search")
def search_items(
    _session: Session | None, req: ListingRequest, result: ListingResult
) -> dict[str, Any]:
    """A search's hits, in the search's order."""
    found = req.extra
    assert isinstance(found, SearchResult)
    listed = {x.id: x for x in result.items}
    return {
        "items": [api_json.item_summary(listed[i]) for i in req.f.item_ids or () if i in listed],
        **pages(found.page, found.per_page, found.total),
        "query": found.query_echo,
        "sort": found.sort,
        "notice": found.notice,
    }


@renderer("api-timeline")
def timeline(
    _session: Session | None, req: ListingRequest, result: ListingResult
) -> dict[str, Any]:
    """A tag's events with their items in the listing, and its items per month."""
    entry = req.extra
    assert isinstance(entry, TagEntry)
    kind = req.listing.kind
    return {
        kind: api_json.tag_entry(entry, kind),
        "item_total": result.item_total,
        "events": api_json.timeline_events(result.events),
        **pages(req.page, req.ask.limit, result.event_total),
        "activity": api_json.activity(result.months),
    }


@renderer("api-events")
def events(_session: Session | None, req: ListingRequest, result: ListingResult) -> dict[str, Any]:
    """A page of the listing's events, without their items."""
    return {
        "events": [api_json.event_summary(e) for e in result.events],
        **pages(req.page, req.ask.limit, result.event_total),
    }
