"""Rate limits on the expensive and the sensitive: search, the API, and logging in.

Flask-Limiter keeps the counts in memory by default (one process) and in Redis
when TRACKER_REDIS_URL is set, so that every worker of a deployment shares
them. A client over its limit gets 429 with Retry-After.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from tracker.config import Settings


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Attach a limiter to `app`; call before other request hooks so it counts first.

    The search, API and login blueprints are limited by name, so they may be
    registered after this.
    """
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=settings.redis_url or "memory://",
        headers_enabled=True,
        default_limits=[],
        # A limiter that cannot reach Redis lets requests through rather than
        # taking the site down with it.
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limits = {
        "search": settings.rate_search,
        "api": settings.rate_api,
        "openapi": settings.rate_api,
    }
    for name, limit in limits.items():
        limiter.limit(limit)(Blueprint(name, __name__))
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
