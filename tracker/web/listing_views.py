"""One view behind every format of a listing: one read, then a renderer by format.

A listing URL names a listing (`feed_listings.Listing`: a topic, an entity, a
document type, a source, every item, a bill's items or a search's hits) and a
format. `/topics/distillation`, `/topics/distillation.rss`, `.atom`, `.json`,
`.csv` and `/api/v1/timelines/topics/distillation` are one listing in six
formats. Each route reads its format's arguments into a `ListingRequest` (how
many rows a page of that format holds, which order, the filters); `respond`
then asks the store once (`read_listing`) and hands the one result to the
renderer registered for the format, the way datasette renders one dict as
HTML, JSON or CSV.

Renderers register themselves (`@renderer("rss")`) from their own modules, so
this module imports none of them:

    html          timeline_pages     the timeline page (events)
    rss atom json feed_formats       feeds of the newest items
    csv           feed_formats       rows, streamed
    api           api_listings       `/api/v1/items` (items)
    api-timeline  api_listings       `/api/v1/timelines/...` (events)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import Response, abort, current_app
from flask.typing import ResponseReturnValue
from sqlmodel import Session

from tracker.store.listing_results import ListingAsk, ListingResult, read_listing
from tracker.store.listings import ListingFilter
from tracker.store.versions import Version
from tracker.web import conditional, feed_listings
from tracker.web.context import db
from tracker.web.feed_listings import Listing

Renderer = Callable[[Session | None, "ListingRequest", ListingResult], ResponseReturnValue]
RENDERERS: dict[str, Renderer] = {}


def renderer(fmt: str) -> Callable[[Renderer], Renderer]:
    """Register the function it decorates as the renderer of `fmt`."""

    def register(render: Renderer) -> Renderer:
        RENDERERS[fmt] = render
        return render

    return register


@dataclass(frozen=True)
class ListingRequest:
    """One listing asked for in one format, read and checked before anything is listed.

    `ask` is what the store reads (a search's hits for a search); `shown` is the
    filter the reader asked for, which names the listing. `extra` is whatever
    the format's route looked up on the way (a tag's entry, the form's problem).
    """

    fmt: str
    listing: Listing
    ask: ListingAsk
    shown: ListingFilter
    page: int
    query: str = ""
    notice: str = ""
    more: bool | None = None  # known for a search, counted for a listing
    extra: Any = None
    # The listing's version, looked up for formats that answer conditional GET
    # (`versioned`); pages without one are read without it.
    version: Version | None = None

    @property
    def changed(self) -> datetime | None:
        """When the listing last changed, if its version was looked up."""
        return self.version[1] if self.version is not None else None

    @property
    def f(self) -> ListingFilter:
        """The filter the store reads."""
        return self.ask.f


def versioned(req: ListingRequest) -> ListingRequest:
    """The request with its listing's version (remembered until any item changes)."""
    memo = conditional.memo()
    version = memo.peek(req.f)
    if version is None:
        with db() as session:
            version = memo.version(session, req.f)
    return replace(req, version=version)


def feed_validators(req: ListingRequest) -> conditional.Validators:
    """Validators of a feed or export from its listing's version; a 404 for a listing
    of nothing that exists."""
    req = versioned(req)
    if req.version is not None and req.version[2] == 0:
        with db() as session:
            if not feed_listings.exists(session, req.listing):
                abort(404, description=f"There is no {req.listing.kind} {req.listing.key!r}.")
    assert req.version is not None
    parts = (req.listing.kind, req.listing.key, req.f, req.shown, req.query, req.fmt, req.page,
             req.ask.limit, req.more, req.version)  # fmt: skip
    return conditional.validators(*parts, changed=req.changed).carrying(req)


def respond(req: ListingRequest | None = None, session: Session | None = None) -> Response:
    """The one read of the listing, rendered in the request's format.

    Without `req`, the request carried by the `conditional_get` validators; with
    `session`, read in the view's own (a page that looked up its tag first).
    """
    if req is None:
        req = conditional.current().found
        assert isinstance(req, ListingRequest)
    render = RENDERERS[req.fmt]
    if req.ask.shape == "rows":
        # Streamed: read in the response's own session as it is written.
        total = req.version[2] if req.version is not None else 0
        more = total > req.ask.offset + req.ask.limit
        result = ListingResult(req.ask, req.version, total, has_next=more, rows=_rows(req))
        return current_app.make_response(render(None, req, result))
    if session is not None:
        return current_app.make_response(render(session, req, read(session, req)))
    with db() as own:
        return current_app.make_response(render(own, req, read(own, req)))


def read(session: Session, req: ListingRequest) -> ListingResult:
    """The listing's page as the request asks it: the one call to the store."""
    return read_listing(session, req.ask, req.version)


def _rows(req: ListingRequest) -> Iterator[list[Any]]:
    with db() as session:
        yield from read_listing(session, req.ask, req.version).rows
