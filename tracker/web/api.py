"""The JSON API under `/api/v1/`: items, with search, and one item.

Topics, entities, events, bills and timelines live in `api_catalog`, a
blueprint nested in this one, so they share its JSON errors. Every error
under `/api/` is `{"status": ..., "message": ...}`, including paths and
methods that match no route. Every answer carries validators computed from
the store's version before anything is listed (see `conditional`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import RequestRedirect

from tracker.search import search
from tracker.store import NotFound, StoreError
from tracker.store.items import item_record
from tracker.store.listing_results import ListingAsk
from tracker.store.listings import ListingFilter
from tracker.web import api_catalog, api_json, conditional, openapi
from tracker.web import api_listings as api_listings  # registers the API's renderers
from tracker.web.api_support import catalog, error_response, paging, validators
from tracker.web.conditional import conditional_get
from tracker.web.context import db, settings
from tracker.web.feed_listings import listing
from tracker.web.listing_args import listing_filter, order_arg
from tracker.web.listing_views import ListingRequest, respond, versioned
from tracker.web.query_args import query_arg, search_filters, sort_arg

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Nested: their errors are this blueprint's JSON errors.
bp.register_blueprint(api_catalog.bp)
bp.register_blueprint(openapi.bp)

SEARCH_MAX_PAGE = 500  # the index answers no deeper


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    headers = {k: v for k, v in exc.get_headers() if k == "Allow"}
    return error_response(exc.code or 500, exc.description or exc.name, headers)


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound) -> Response:
    return error_response(404, str(exc))


@bp.errorhandler(StoreError)
def _store_error(exc: StoreError) -> Response:
    return error_response(503, "The database cannot be reached right now; try again shortly.")


@bp.errorhandler(InternalServerError)
def _server_error(_exc: InternalServerError) -> Response:
    return error_response(500, "Something went wrong on our side. The error has been logged.")


def _items_validators() -> conditional.Validators:
    """The listing's version, or with `q` the search's hits and their version."""
    f = listing_filter()
    page, per_page = paging()
    oldest = order_arg()  # a bad order is a 400 before anything is read
    if not query_arg():
        ask = ListingAsk(f, "items", limit=per_page, offset=(page - 1) * per_page, oldest=oldest)
        req = versioned(ListingRequest("api", listing("items"), ask, f, page))
        return validators(req.version, changed=req.changed).carrying(req)
    if page > SEARCH_MAX_PAGE:
        abort(400, description=f"Search results go {SEARCH_MAX_PAGE} pages deep at most.")
    found = search(
        settings(), query_arg(), filters=search_filters(f), sort=sort_arg("relevance"),
        page=page, per_page=per_page,
    )  # fmt: skip
    ids = tuple(h.id for h in found.hits)
    hits = ListingAsk(ListingFilter(item_ids=ids), "items", limit=max(len(ids), 1))
    req = versioned(ListingRequest("api-search", listing("search"), hits, f, page, extra=found))
    v = validators(ids, found.total, found.notice, req.version, changed=req.changed)
    return v.carrying(req)


@bp.get("/items")
@conditional_get(_items_validators)
def items() -> Response:
    """Items of any listing, newest first (`order=oldest`); with `q`, a search's hits."""
    return respond()


@bp.get("/items/<id:item_id>")
@conditional_get(catalog)
def item(item_id: int) -> dict[str, Any]:
    """One item with its tags and their evidence, sources, event and bill."""
    with db() as session:
        record = item_record(session, item_id)
        if record is None:
            abort(404, description=f"There is no item {item_id}.")
        return api_json.item_full(record)


def _routing_error() -> Response | None:
    """JSON for paths under /api/ that match no route, or not with this method."""
    exc = request.routing_exception
    if exc is None or isinstance(exc, RequestRedirect) or not request.path.startswith("/api/"):
        return None
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    return None


def init_app(app: Flask) -> None:
    """Register the API, its nested catalog routes and its routing errors."""
    app.register_blueprint(bp)
    app.before_request(_routing_error)
