"""API: topics, entities, events, bills and timelines (nested in `api.bp`).

Every view is a `conditional_get`: its validators come first (the catalog's
version, or a listing's), and a client holding the current copy gets a 304.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort

from tracker.inputs import MAX_ID
from tracker.models import Entity, Topic
from tracker.store import directory
from tracker.store.bills import bill_record, bills_page
from tracker.store.event_cards import event_record
from tracker.store.listing_results import ListingAsk
from tracker.store.versions import store_version
from tracker.web import api_json, conditional
from tracker.web.api_support import catalog, pages, paging, validators
from tracker.web.conditional import conditional_get
from tracker.web.context import db
from tracker.web.feed_listings import listing
from tracker.web.listing_args import listing_filter, order_arg
from tracker.web.listing_views import ListingRequest, respond
from tracker.web.query_args import int_arg

bp = Blueprint("catalog", __name__)

EVENTS_PER_PAGE = 20
_BILL = re.compile(r"^([a-z]{1,7})([1-9][0-9]{0,5})$")


@bp.get("/topics")
@conditional_get(catalog)
def topics() -> dict[str, Any]:
    """Every topic with its item count."""
    with db() as session:
        rows = directory.topics(session)
    return {"topics": [api_json.tag_entry(t, "topic") for t in rows]}


@bp.get("/entities")
@conditional_get(catalog)
def entities() -> dict[str, Any]:
    """Every entity with its kind, parent and item count."""
    with db() as session:
        rows = directory.entities(session)
    return {"entities": [api_json.tag_entry(e, "entity") for e in rows]}


def _events(*_args: object) -> conditional.Validators:
    """The catalog's validators (events change with it), carrying the events' listing."""
    f = listing_filter()
    page = int_arg("page", 1)
    per_page = int_arg("per_page", EVENTS_PER_PAGE, high=100)
    ask = ListingAsk(f, "events", limit=per_page, offset=(page - 1) * per_page,
                     oldest=order_arg(), counted=True)  # fmt: skip
    return catalog().carrying(ListingRequest("api-events", listing("items"), ask, f, page))


@bp.get("/events")
@conditional_get(_events)
def events() -> Response:
    """Events holding items of a listing (any filter), newest first (`order=oldest`)."""
    return respond()


@bp.get("/events/<id:event_id>")
@conditional_get(catalog)
def event(event_id: int) -> dict[str, Any]:
    """One event with its items, newest first."""
    with db() as session:
        record = event_record(session, event_id) if event_id <= MAX_ID else None
        if record is None:
            abort(404, description=f"There is no event {event_id}.")
        return api_json.event_full(record)


@bp.get("/bills")
@conditional_get(catalog)
def bills() -> dict[str, Any]:
    """Bills, latest action first."""
    page, per_page = paging()
    with db() as session:
        found, total = bills_page(session, limit=per_page, offset=(page - 1) * per_page)
    return {"bills": [api_json.bill_summary(b) for b in found], **pages(page, per_page, total)}


def _bill_key(congress: int, code: str) -> str:
    match = _BILL.match(code)
    if not match or not 0 < congress < 1000:
        abort(404, description=f"There is no bill {congress}/{code}; write it like 119/s4417.")
    return f"{congress}-{match.group(1)}-{match.group(2)}"


@bp.get("/bills/<id:congress>/<code>")
@conditional_get(catalog)
def bill(congress: int, code: str) -> dict[str, Any]:
    """One bill with its actions, e.g. `/api/v1/bills/119/s4417`."""
    key = _bill_key(congress, code)
    with db() as session:
        record = bill_record(session, key)
        if record is None:
            abort(404, description=f"There is no bill {key}.")
        return api_json.bill_full(record)


def _tag_listing(kind: str, slug: str) -> conditional.Validators:
    """A tag's timeline changes with its listing's version and with the whole store's (its
    events): the head's sequence number and deletions, which move whenever the whole
    listing's version would (without counting a million items per day to know it)."""
    item = listing(kind, slug)
    f = listing_filter(item.base)
    with db() as session:
        found_tag: Topic | Entity | None = (
            directory.topic(session, slug) if kind == "topic" else directory.entity(session, slug)
        )
        if found_tag is None:
            abort(404, description=f"There is no {kind} {slug!r}.")
        memo = conditional.memo()
        version = memo.version(session, f)
        v = validators(version, store_version(session), changed=version[1])
        entry = directory.TagEntry(
            slug,
            found_tag.name,
            getattr(found_tag, "kind", "topic"),
            found_tag.description,
            memo.version(session, item.base)[2],
            getattr(found_tag, "parent", None),
        )
    page = int_arg("page", 1)
    per_page = int_arg("per_page", EVENTS_PER_PAGE, high=100)
    ask = ListingAsk(f, "events", limit=per_page, offset=(page - 1) * per_page,
                     oldest=order_arg(), full=True, counted=True)  # fmt: skip
    req = ListingRequest("api-timeline", item, ask, f, page, extra=entry, version=version)
    return v.carrying(req)


@bp.get("/timelines/topics/<slug>")
@conditional_get(lambda slug: _tag_listing("topic", slug))
def topic_timeline(slug: str) -> Response:
    """A topic's events with their items, and its items per month."""
    return respond()


@bp.get("/timelines/entities/<slug>")
@conditional_get(lambda slug: _tag_listing("entity", slug))
def entity_timeline(slug: str) -> Response:
    """An entity's events with their items, and its items per month."""
    return respond()
