"""Rate limits on the expensive and the sensitive: listings, searches, exports, the
API, and logging in.

A limit belongs to what a request costs, not to the format it asks for: a
listing's page, its RSS, Atom, JSON Feed, CSV and API answer share the
listing limit; a search counts against the search limit whether it is the
page, a feed, a CSV or the API's `?q=`. CSV exports also count against the
export limit. A 304 answer to a conditional request costs nothing and does
not count, so feed readers can poll as often as they like.

Flask-Limiter keeps the counts in memory by default (one process) and in Redis
when TRACKER_REDIS_URL is set, so that every worker of a deployment shares
them. A client over its limit gets 429 with Retry-After.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from tracker.config import Settings

SEARCHES = frozenset({"search.search_page", "feeds.search_feed"})
LISTINGS = frozenset({
    "pages.home", "pages.topic", "pages.entity", "pages.doc_type", "pages.bill",
    "pages.bills_index", "feeds.all_items", "feeds.topic", "feeds.entity", "feeds.doc_type",
    "feeds.source", "feeds.bill", "api.items", "api.catalog.events", "api.catalog.bills",
    "api.catalog.topic_timeline", "api.catalog.entity_timeline",
})  # fmt: skip


def is_search() -> bool:
    """This request runs a search: the search page, a search feed, or the API with `q`."""
    if request.endpoint == "api.items":
        return bool((request.args.get("q") or "").strip())
    return request.endpoint in SEARCHES


def is_listing() -> bool:
    """This request lists items of a listing, in any format, without a search.

    Every calendar (`/calendar`, a listing's `calendar.ics`) counts as one too."""
    endpoint = request.endpoint or ""
    return (endpoint in LISTINGS or endpoint.startswith("calendar.")) and not is_search()


def is_export() -> bool:
    """This request downloads a listing or a search as CSV."""
    return (request.view_args or {}).get("ext") == "csv"


def _counted(response: Response) -> bool:
    # A 304 costs a version lookup; a 429 is another limit's refusal, already counted there.
    return response.status_code not in (304, 429)


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Attach a limiter to `app`; call before other request hooks so it counts first.

    The API and login blueprints are limited by name, so they may be
    registered after this.
    """
    shared = [
        ApplicationLimit(limit_provider=settings.rate_search, scope="search",
                         exempt_when=lambda: not is_search()),
        ApplicationLimit(limit_provider=settings.rate_listing, scope="listing",
                         exempt_when=lambda: not is_listing(), deduct_when=_counted),
        ApplicationLimit(limit_provider=settings.rate_export, scope="export",
                         exempt_when=lambda: not is_export(), deduct_when=_counted),
    ]  # fmt: skip
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=settings.redis_url or "memory://",
        headers_enabled=True,
        default_limits=[],
        application_limits=shared,  # type: ignore[arg-type]
        # A limiter that cannot reach Redis lets requests through rather than
        # taking the site down with it.
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    for name in ("api", "openapi"):
        limiter.limit(settings.rate_api)(Blueprint(name, __name__))
    limiter.limit(settings.rate_login, methods=["POST"])(Blueprint("auth", __name__))
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.extensions["tracker.limiter"] = limiter
    return limiter


def _too_many(exc: RateLimitExceeded) -> Response:
    message = f"Too many requests ({exc.description}). Please wait a moment and try again."
    if request.path.startswith("/api/") or request.path.endswith((".json", ".csv")):
        response = jsonify(status=429, message=message)
    else:
        response = Response(
            render_template("error.html", code=429, title="Too many requests", message=message),
            mimetype="text/html",
        )
    response.status_code = 429
    # Seconds until the client's window resets, as the limiter itself counts them.
    current = current_app.extensions["tracker.limiter"].current_limit
    retry = math.ceil(current.reset_at - time.time()) if current is not None else 60
    response.headers["Retry-After"] = str(max(retry, 1))
    return response
