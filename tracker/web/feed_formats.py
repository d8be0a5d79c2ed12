"""A listing's result as RSS, Atom, JSON Feed and CSV: the feed formats' renderers.

Registered with `listing_views`; the routes are in `feeds`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from flask import Response, current_app, g, request, stream_with_context
from sqlmodel import Session

from tracker.store import directory
from tracker.store.listing_results import ListingResult
from tracker.web import conditional, feed_listings, site_url
from tracker.web.body_cache import BodyCache, csv_bodies
from tracker.web.csv_export import csv_header, csv_rows
from tracker.web.feed_listings import Listing
from tracker.web.feed_render import FeedMeta, render_atom, render_json, render_rss
from tracker.web.listing_views import ListingRequest, renderer

MIMETYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
    "csv": "text/csv",
}
FEED_BODIES: dict[str, Callable[..., bytes]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json,
}
# Feed bodies a process keeps by ETag: a busy feed is some 60 KB, 5-15 ms of reading
# and writing its fifty entries again for every reader that polls without a copy.
KEPT_FEEDS = 64
KEPT_FEED_BYTES = 16 * 2**20


def kept_feed(answer: Callable[[], Response]) -> Response:
    """The feed body kept under the request's ETag, else `answer()` kept for the next reader.

    The ETag names the body exactly (the listing's version, the URL, the format's
    arguments: `conditional.validators`), as for a CSV export (`csv_bodies`), so a
    kept body is the one that would be written again, and any change to the
    listing gives a new ETag and a body written afresh.
    """
    validators = conditional.current()
    fmt = getattr(validators.found, "fmt", None)
    if fmt not in FEED_BODIES:
        return answer()
    bodies = feed_bodies()
    kept = bodies.get(validators.etag)
    if kept is not None:
        return Response(kept, content_type=f"{MIMETYPES[fmt]}; charset=utf-8")
    response = answer()
    if response.status_code == 200:
        bodies.put(validators.etag, response.get_data(as_text=True))
    return response


def feed_bodies() -> BodyCache:
    """The app's feed bodies, in memory only (one app per database)."""
    found = current_app.extensions.get("tracker.feed_bodies")
    if found is None:
        made = BodyCache(None, KEPT_FEEDS, KEPT_FEED_BYTES)
        found = current_app.extensions.setdefault("tracker.feed_bodies", made)
    return found  # type: ignore[no-any-return]


@renderer("rss")
@renderer("atom")
@renderer("json")
def feed(session: Session | None, req: ListingRequest, result: ListingResult) -> Response:
    """The page of items as a feed in the request's format."""
    assert session is not None
    more = result.has_next if req.more is None else req.more
    meta = FeedMeta(
        id=feed_listings.feed_id(req.listing, req.shown, req.query),
        title="Policy Tracker: " + feed_listings.title(session, req.listing, req.shown, req.query),
        description=_description(req.listing, req.notice),
        html_url=site_url.url(req.listing.path, _args_but_page()),
        self_url=site_url.here(),
        updated=req.changed or conditional.EPOCH,
        next_url=_with_page(req.page + 1) if more else None,
    )
    names = directory.tag_names(session)
    entries = [feed_listings.entry(x, names, result.changes.get(x.id)) for x in result.items]
    body = FEED_BODIES[req.fmt](meta, entries)
    return Response(body, content_type=f"{MIMETYPES[req.fmt]}; charset=utf-8")


@renderer("csv")
def csv_export(_session: Session | None, req: ListingRequest, result: ListingResult) -> Response:
    """The rows streamed as the database gives them, in batches; headers say if there is more.

    A body streamed whole is kept by its ETag (`csv_bodies`): until the listing's
    version moves, the next reader without a copy of their own gets it at once.
    """
    size, page, item = req.ask.limit, req.page, req.listing
    more = result.has_next if req.more is None else req.more
    root = site_url.root()
    validators = getattr(g, "tracker_validators", None)
    etag = validators.etag if validators is not None else None
    bodies = csv_bodies()
    kept = bodies.get(etag) if etag else None

    def body() -> Iterator[str]:
        parts = [csv_header()]
        yield parts[0]
        for cards in result.rows:
            parts.append(csv_rows(cards, root))
            yield parts[-1]
        if etag:
            bodies.put(etag, "".join(parts))

    content = kept if kept is not None else stream_with_context(body())
    response = Response(content, content_type="text/csv; charset=utf-8")
    name = "-".join(p for p in ("policy-tracker", item.kind, item.key) if p)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name) + (f"-page{page}" if page > 1 else "")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    if more:
        following = _with_page(page + 1)
        response.headers["Link"] = f'<{following}>; rel="next"'
        # Said in a header: a note inside the file would be read as a row.
        response.headers["X-Export-Truncated"] = (
            f"This export stops after {size:,} rows. The next ones are at {following}; "
            "or narrow the export with from= and to=."
        )
    return response


def _description(item: Listing, notice: str = "") -> str:
    if item.kind == "search":
        return "Items matching a search, newest first." + (f" Note: {notice}" if notice else "")
    return "The newest items of this listing on Policy Tracker, newest first."


def _args_but_page() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if k != "page"]


def _with_page(page: int) -> str:
    return site_url.url(request.path, [*_args_but_page(), ("page", str(page))])
