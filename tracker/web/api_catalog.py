"""API: topics, entities, events, bills and timelines (nested in `api.bp`)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort

from tracker.inputs import MAX_ID
from tracker.models import Entity, Topic
from tracker.store import directory
from tracker.store.event_listings import event_sizes, events_page, timeline
from tracker.store.listings import ListingFilter
from tracker.store.records import bill_record, bills_page, event_record
from tracker.web import api_json, conditional
from tracker.web.api_support import answer, catalog_validators, pages, paging, validators
from tracker.web.context import db
from tracker.web.listing_args import listing_filter, order_arg
from tracker.web.query_args import int_arg

bp = Blueprint("catalog", __name__)

EVENTS_PER_PAGE = 20
_BILL = re.compile(r"^([a-z]{1,7})([1-9][0-9]{0,5})$")


@bp.get("/topics")
def topics() -> Response:
    """Every topic with its item count."""
    with db() as session:
        v = catalog_validators(session)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        rows = directory.topics(session)
    return answer(v, {"topics": [api_json.tag_entry(t, "topic") for t in rows]})


@bp.get("/entities")
def entities() -> Response:
    """Every entity with its kind, parent and item count."""
    with db() as session:
        v = catalog_validators(session)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        rows = directory.entities(session)
    return answer(v, {"entities": [api_json.tag_entry(e, "entity") for e in rows]})


@bp.get("/events")
def events() -> Response:
    """Events holding items of a listing (any filter), newest first (`order=oldest`)."""
    f = listing_filter()
    oldest = order_arg()
    page = int_arg("page", 1)
    per_page = int_arg("per_page", EVENTS_PER_PAGE, high=100)
    with db() as session:
        v = catalog_validators(session)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        offset = (page - 1) * per_page
        found, total = events_page(session, f, limit=per_page, offset=offset, oldest=oldest)
        sizes = event_sizes(session, [e.id for e in found if e.id is not None])
    data = {
        "events": [api_json.event_summary(e, sizes.get(e.id, 0)) for e in found],  # type: ignore[arg-type]
        **pages(page, per_page, total),
    }
    return answer(v, data)


@bp.get("/events/<id:event_id>")
def event(event_id: int) -> Response:
    """One event with its items, newest first."""
    with db() as session:
        v = catalog_validators(session)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        record = event_record(session, event_id) if event_id <= MAX_ID else None
        if record is None:
            abort(404, description=f"There is no event {event_id}.")
        data = api_json.event_full(record)
    return answer(v, data)


@bp.get("/bills")
def bills() -> Response:
    """Bills, latest action first."""
    page, per_page = paging()
    with db() as session:
        v = catalog_validators(session)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        found, total = bills_page(session, limit=per_page, offset=(page - 1) * per_page)
    return answer(
        v, {"bills": [api_json.bill_summary(b) for b in found], **pages(page, per_page, total)}
    )


@bp.get("/bills/<id:congress>/<code>")
def bill(congress: int, code: str) -> Response:
    """One bill with its actions, e.g. `/api/v1/bills/119/s4417`."""
    match = _BILL.match(code)
    if not match or not 0 < congress < 1000:
        abort(404, description=f"There is no bill {congress}/{code}; write it like 119/s4417.")
    key = f"{congress}-{match.group(1)}-{match.group(2)}"
    with db() as session:
        v = catalog_validators(session)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        record = bill_record(session, key)
        if record is None:
            abort(404, description=f"There is no bill {key}.")
        data = api_json.bill_full(record)
    return answer(v, data)


@bp.get("/timelines/topics/<slug>")
def topic_timeline(slug: str) -> Response:
    """A topic's events with their items, and its items per month."""
    return _timeline("topic", slug, ListingFilter(topic=slug))


@bp.get("/timelines/entities/<slug>")
def entity_timeline(slug: str) -> Response:
    """An entity's events with their items, and its items per month."""
    return _timeline("entity", slug, ListingFilter(entity=slug))


def _timeline(kind: str, slug: str, base: ListingFilter) -> Response:
    f = listing_filter(base)
    oldest = order_arg()
    page = int_arg("page", 1)
    per_page = int_arg("per_page", EVENTS_PER_PAGE, high=100)
    with db() as session:
        found_tag: Topic | Entity | None = (
            directory.topic(session, slug) if kind == "topic" else directory.entity(session, slug)
        )
        if found_tag is None:
            abort(404, description=f"There is no {kind} {slug!r}.")
        version = conditional.memo().version(session, f)
        v = validators(
            version, conditional.memo().version(session, ListingFilter()), changed=version[1]
        )
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        offset = (page - 1) * per_page
        found = timeline(session, f, limit=per_page, offset=offset, oldest=oldest)
        entry = directory.TagEntry(
            slug,
            found_tag.name,
            getattr(found_tag, "kind", "topic"),
            found_tag.description,
            conditional.memo().version(session, base)[2],
            getattr(found_tag, "parent", None),
        )
    data = {
        kind: api_json.tag_entry(entry, kind),
        "item_total": version[2],
        "events": api_json.timeline_events(found),
        **pages(page, per_page, found.total),
        "activity": api_json.activity(found.months),
    }
    return answer(v, data)
