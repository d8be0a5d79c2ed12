"""Conditional GET for feeds and the API: validators computed before rendering.

A feed reader polls every few minutes. Each feed and API view first asks the
store for a version (a few aggregates, memoised until any item changes), turns
it with everything else the body depends on into an ETag, and answers 304
when the reader already has that body, without listing or rendering anything.

Views say so with one decorator:

    @conditional_get(lambda slug: validators(slug, version_of(slug), changed=...))
    def view(slug): ...

The validators function runs first (with the view's arguments); a fresh copy
is a 304 and the view never runs; otherwise the view's answer is stamped with
the validators. What the validators function looked up on the way (a version,
a search's hits) rides along in `Validators.found` for the view: `current()`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import wraps
from typing import Any, ParamSpec

from flask import Response, current_app, g, request
from flask.typing import ResponseReturnValue
from werkzeug.http import http_date

from tracker.store.versions import VersionMemo
from tracker.web import site_url

# Bump when the output of any format changes, so caches drop old bodies.
RENDER_VERSION = 1
MAX_AGE = 300
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Validators:
    """An entity tag and a last-modified time for one response body."""

    etag: str
    last_modified: datetime
    found: Any = field(default=None, compare=False)  # what was looked up to make them

    def carrying(self, found: Any) -> Validators:
        """These validators with `found` for the view."""
        return replace(self, found=found)


P = ParamSpec("P")


def conditional_get(
    validate: Callable[..., Validators],
) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, Response]]:
    """Answer 304 from `validate(...)` before the view runs; stamp the view's answer."""

    def decorate(view: Callable[P, ResponseReturnValue]) -> Callable[P, Response]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            v = validate(*args, **kwargs)
            fresh = not_modified(v)
            if fresh is not None:
                return fresh
            g.tracker_validators = v
            response = current_app.make_response(view(*args, **kwargs))
            return stamp(response, v) if response.status_code == 200 else response

        return wrapper

    return decorate


def current() -> Validators:
    """The validators of the request being answered (inside a `conditional_get` view)."""
    return g.tracker_validators  # type: ignore[no-any-return]


def validators(*parts: object, changed: datetime | None) -> Validators:
    """Validators for a body that depends only on `parts` and the URL asked for.

    The URL counts whole (site address, path, query string): bodies link to themselves.
    """
    key = repr((RENDER_VERSION, site_url.root(), request.full_path, *parts)).encode()
    digest = hashlib.blake2b(key, digest_size=16).hexdigest()
    last = (changed or EPOCH).astimezone(UTC).replace(microsecond=0)
    return Validators(etag=digest, last_modified=last)


def is_fresh(v: Validators) -> bool:
    """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(v.etag)
    since = request.if_modified_since
    return since is not None and since >= v.last_modified


def not_modified(v: Validators) -> Response | None:
    """A bodiless 304 when the client's copy is current, else None."""
    if not is_fresh(v):
        return None
    return stamp(Response(status=304), v)


def stamp(response: Response, v: Validators, max_age: int = MAX_AGE) -> Response:
    """Put the validators and the cache lifetime on `response`."""
    # Plain header writes: the header objects werkzeug offers cost more than a poll.
    headers = response.headers
    headers["ETag"] = f'"{v.etag}"'
    headers["Last-Modified"] = http_date(v.last_modified)
    headers["Cache-Control"] = site_url.cache_control(max_age)
    return response


def memo() -> VersionMemo:
    """The app's listing versions, shared by every request of this process.

    `VERSION_TTL` (seconds, default 1) is how long a poll may trust the last
    look at the database; tests set 0 to see every change at once.
    """
    found = current_app.extensions.get("tracker.versions")
    if found is None:
        ttl = float(current_app.config.get("VERSION_TTL", 1.0))
        found = current_app.extensions.setdefault("tracker.versions", VersionMemo(ttl=ttl))
    return found  # type: ignore[no-any-return]
