"""Every listing as a feed: `.rss`, `.atom`, `.json` (JSON Feed) and `.csv`.

`/topics/distillation.atom?entity=alibaba&type=letter` is the page
`/topics/distillation?entity=alibaba&type=letter` in Atom: the same path, the
same filters (`listing_args`). The extension is part of each rule, so these
rules win over the pages' `/topics/<slug>` for `/topics/distillation.atom`.

Each view asks for the listing's version first and answers 304 from it; only
a reader without the current copy gets a listing read and rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from flask import Blueprint, Flask, Response, abort, jsonify, request, stream_with_context
from werkzeug.exceptions import HTTPException

from tracker.search import search
from tracker.store import directory
from tracker.store.listings import ListingFilter, export_cards, list_items
from tracker.web import conditional, feed_listings, site_url
from tracker.web.context import db, settings
from tracker.web.csv_export import csv_header, csv_rows
from tracker.web.feed_listings import Listing
from tracker.web.feed_render import FeedMeta, render_atom, render_json, render_rss
from tracker.web.listing_args import listing_filter, order_arg
from tracker.web.query_args import int_arg, query_arg, search_filters

bp = Blueprint("feeds", __name__)

EXT = "<any(rss,atom,json,csv):ext>"
FEED_SIZE = 50
# Rows per CSV page: a page is streamed from short queries in about a tenth of a
# second (10,000 rows took 4.9 s before); the rest of a larger listing is on the
# next page (header Link: rel=next).
CSV_ROWS = 2_000
SEARCH_CSV_ROWS = 100  # one search of the largest page the index gives
SEARCH_MAX_PAGE = 500  # the index answers no deeper
MIMETYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
    "csv": "text/csv",
}
RENDERERS: dict[str, Callable[..., bytes]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json,
}
_BILL = re.compile(r"^([a-z]{1,7})([1-9][0-9]{0,5})$")


@bp.get(f"/items.{EXT}")
@bp.get(f"/index.{EXT}")
def all_items(ext: str) -> Response:
    """Every item: `/items.atom` (and `/index.atom`)."""
    return _serve(ext, feed_listings.listing("items"))


@bp.get(f"/topics/<slug>.{EXT}")
def topic(slug: str, ext: str) -> Response:
    """A topic's items: `/topics/distillation.rss`."""
    return _serve(ext, feed_listings.listing("topic", slug))


@bp.get(f"/entities/<slug>.{EXT}")
def entity(slug: str, ext: str) -> Response:
    """An entity's items: `/entities/alibaba.atom`."""
    return _serve(ext, feed_listings.listing("entity", slug))


@bp.get(f"/types/<doc_type>.{EXT}")
def doc_type(doc_type: str, ext: str) -> Response:
    """One document type's items: `/types/letter.json`."""
    return _serve(ext, feed_listings.listing("type", doc_type))


@bp.get(f"/sources/<slug>.{EXT}")
def source(slug: str, ext: str) -> Response:
    """One source's items: `/sources/<slug>.csv`."""
    return _serve(ext, feed_listings.listing("source", slug))


@bp.get(f"/bills/<id:congress>/<code>.{EXT}")
def bill(congress: int, code: str, ext: str) -> Response:
    """Items about one bill: `/bills/119/s4417.atom`."""
    match = _BILL.match(code)
    if not match or not 0 < congress < 1000:
        abort(404, description=f"There is no bill {congress}/{code}.")
    key = f"{congress}-{match.group(1)}-{match.group(2)}"
    return _serve(ext, feed_listings.listing("bill", key))


@bp.get(f"/search.{EXT}")
def search_feed(ext: str) -> Response:
    """A search's hits, newest first: `/search.rss?q=Qwen&type=letter`.

    One search per request, whatever the format: a CSV of a search is a
    page of SEARCH_CSV_ROWS hits, with a link to the next.
    """
    item = feed_listings.listing("search")
    f = listing_filter()
    query = query_arg()
    size = SEARCH_CSV_ROWS if ext == "csv" else FEED_SIZE
    page = int_arg("page", 1, high=SEARCH_MAX_PAGE)
    found = search(
        settings(), query, filters=search_filters(f), sort="newest", page=page, per_page=size
    )
    hits = ListingFilter(item_ids=tuple(h.id for h in found.hits))
    return _respond(ext, item, hits, page=page, size=size, more=found.has_next, shown=f,
                    query=query, notice=found.notice or "")  # fmt: skip


def _serve(ext: str, item: Listing) -> Response:
    f = listing_filter(item.base)
    page = int_arg("page", 1)
    size = CSV_ROWS if ext == "csv" else FEED_SIZE
    return _respond(ext, item, f, page=page, size=size, more=None, shown=f, oldest=order_arg())


def _respond(
    ext: str,
    item: Listing,
    f: ListingFilter,
    *,
    page: int,
    size: int,
    more: bool | None,
    shown: ListingFilter,
    query: str = "",
    notice: str = "",
    oldest: bool = False,
) -> Response:
    """Answer 304 from the listing's version, or list and render it.

    `f` selects the items (a search's hits for a search); `shown` is the
    filter the reader asked for, which names the feed.
    """
    memo = conditional.memo()
    version = memo.peek(f)
    if version is None:
        with db() as session:
            version = memo.version(session, f)
    _seq, changed, count = version
    if count == 0:
        with db() as session:
            if not feed_listings.exists(session, item):
                abort(404, description=f"There is no {item.kind} {item.key!r}.")
    v = conditional.validators(
        item.kind, item.key, f, shown, query, ext, page, size, more, version, changed=changed
    )
    fresh = conditional.not_modified(v)
    if fresh is not None:
        return fresh
    offset = 0 if item.kind == "search" else (page - 1) * size
    if ext == "csv":
        more = count > offset + size if more is None else more
        csv = _csv_response(item, f, offset, size, page, more, oldest)
        return conditional.stamp(csv, v)
    with db() as session:
        listed = list_items(session, f, limit=max(size, 1) + 1, offset=offset, oldest=oldest)
        if more is None:
            more = len(listed) > size
        listed = listed[:size]
        names = directory.tag_names(session)
        meta = FeedMeta(
            id=feed_listings.feed_id(item, shown, query),
            title=f"Policy Tracker: {feed_listings.title(session, item, shown, query)}",
            description=_description(item, notice),
            html_url=site_url.url(item.path, _args_but_page()),
            self_url=site_url.here(),
            updated=changed or conditional.EPOCH,
            next_url=_with_page(page + 1) if more else None,
        )
    entries = [feed_listings.entry(x, names) for x in listed]
    body = RENDERERS[ext](meta, entries)
    response = Response(body, content_type=f"{MIMETYPES[ext]}; charset=utf-8")
    return conditional.stamp(response, v)


def _description(item: Listing, notice: str = "") -> str:
    if item.kind == "search":
        return "Items matching a search, newest first." + (f" Note: {notice}" if notice else "")
    return "The newest items of this listing on Policy Tracker, newest first."


def _args_but_page() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if k != "page"]


def _with_page(page: int) -> str:
    return site_url.url(request.path, [*_args_but_page(), ("page", str(page))])


def _csv_response(
    item: Listing, f: ListingFilter, offset: int, size: int, page: int, more: bool, oldest: bool
) -> Response:
    """The rows streamed as the database gives them, in batches; headers say if there is more."""
    root = site_url.root()

    def body() -> Iterator[str]:
        yield csv_header()
        with db() as session:
            for cards in export_cards(session, f, offset=offset, limit=size, oldest=oldest):
                yield csv_rows(cards, root)

    response = Response(stream_with_context(body()), content_type="text/csv; charset=utf-8")
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


def _error(exc: HTTPException) -> Response:
    """Feed errors for programs: JSON for `.json`, plain text for the others."""
    code = exc.code or 500
    message = exc.description or exc.name
    if request.path.endswith(".json"):
        response = jsonify(status=code, message=message)
    else:
        response = Response(f"{code} {exc.name}: {message}\n", mimetype="text/plain")
    response.status_code = code
    return response


bp.register_error_handler(HTTPException, _error)


def init_app(app: Flask) -> None:
    """Register the feeds, the feed list and OPML, and `feed_links()` for templates."""
    from tracker.web import discovery

    app.register_blueprint(bp)
    discovery.init_app(app)
