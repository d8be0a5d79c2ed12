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
from dataclasses import dataclass, replace

from flask import Blueprint, Flask, Response, abort, jsonify, request, stream_with_context
from werkzeug.exceptions import HTTPException

from tracker.search import search
from tracker.store import directory
from tracker.store.item_versions import last_changes
from tracker.store.listings import ListingFilter, export_cards, list_items
from tracker.store.versions import Version
from tracker.web import conditional, feed_listings, site_url
from tracker.web.conditional import conditional_get
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


@dataclass(frozen=True)
class FeedAsk:
    """One feed request, read and checked before anything is listed.

    `f` selects the items (a search's hits for a search); `shown` is the
    filter the reader asked for, which names the feed.
    """

    ext: str
    item: Listing
    f: ListingFilter
    shown: ListingFilter
    page: int
    size: int
    more: bool | None  # known for a search, counted for a listing
    oldest: bool = False
    query: str = ""
    notice: str = ""
    version: Version = (0, None, 0)


def _listing(ext: str, kind: str, key: str = "") -> conditional.Validators:
    item = feed_listings.listing(kind, key)
    f = listing_filter(item.base)
    page = int_arg("page", 1)
    size = CSV_ROWS if ext == "csv" else FEED_SIZE
    return _validated(FeedAsk(ext, item, f, f, page, size, None, oldest=order_arg()))


def _bill_listing(congress: int, code: str, ext: str) -> conditional.Validators:
    match = _BILL.match(code)
    if not match or not 0 < congress < 1000:
        abort(404, description=f"There is no bill {congress}/{code}.")
    return _listing(ext, "bill", f"{congress}-{match.group(1)}-{match.group(2)}")


def _search(ext: str) -> conditional.Validators:
    """One search per request, whatever the format (a CSV of a search is one page of hits)."""
    f = listing_filter()
    query = query_arg()
    size = SEARCH_CSV_ROWS if ext == "csv" else FEED_SIZE
    page = int_arg("page", 1, high=SEARCH_MAX_PAGE)
    found = search(
        settings(), query, filters=search_filters(f), sort="newest", page=page, per_page=size
    )
    hits = ListingFilter(item_ids=tuple(h.id for h in found.hits))
    return _validated(FeedAsk(ext, feed_listings.listing("search"), hits, f, page, size,
                              found.has_next, query=query, notice=found.notice or ""))  # fmt: skip


def _validated(ask: FeedAsk) -> conditional.Validators:
    """Validators from the listing's version (a 404 for a listing of nothing that exists)."""
    memo = conditional.memo()
    version = memo.peek(ask.f)
    if version is None:
        with db() as session:
            version = memo.version(session, ask.f)
    if version[2] == 0:
        with db() as session:
            if not feed_listings.exists(session, ask.item):
                abort(404, description=f"There is no {ask.item.kind} {ask.item.key!r}.")
    parts = (ask.item.kind, ask.item.key, ask.f, ask.shown, ask.query, ask.ext, ask.page,
             ask.size, ask.more, version)  # fmt: skip
    return conditional.validators(*parts, changed=version[1]).carrying(
        replace(ask, version=version)
    )


@bp.get(f"/items.{EXT}")
@bp.get(f"/index.{EXT}")
@conditional_get(lambda ext: _listing(ext, "items"))
def all_items(ext: str) -> Response:
    """Every item: `/items.atom` (and `/index.atom`)."""
    return _render()


@bp.get(f"/topics/<slug>.{EXT}")
@conditional_get(lambda slug, ext: _listing(ext, "topic", slug))
def topic(slug: str, ext: str) -> Response:
    """A topic's items: `/topics/distillation.rss`."""
    return _render()


@bp.get(f"/entities/<slug>.{EXT}")
@conditional_get(lambda slug, ext: _listing(ext, "entity", slug))
def entity(slug: str, ext: str) -> Response:
    """An entity's items: `/entities/alibaba.atom`."""
    return _render()


@bp.get(f"/types/<doc_type>.{EXT}")
@conditional_get(lambda doc_type, ext: _listing(ext, "type", doc_type))
def doc_type(doc_type: str, ext: str) -> Response:
    """One document type's items: `/types/letter.json`."""
    return _render()


@bp.get(f"/sources/<slug>.{EXT}")
@conditional_get(lambda slug, ext: _listing(ext, "source", slug))
def source(slug: str, ext: str) -> Response:
    """One source's items: `/sources/<slug>.csv`."""
    return _render()


@bp.get(f"/bills/<id:congress>/<code>.{EXT}")
@conditional_get(_bill_listing)
def bill(congress: int, code: str, ext: str) -> Response:
    """Items about one bill: `/bills/119/s4417.atom`."""
    return _render()


@bp.get(f"/search.{EXT}")
@conditional_get(_search)
def search_feed(ext: str) -> Response:
    """A search's hits, newest first: `/search.rss?q=Qwen&type=letter`."""
    return _render()


def _render() -> Response:
    """The asked listing in its format: one listing read, rendered."""
    ask: FeedAsk = conditional.current().found
    _seq, changed, count = ask.version
    size, page, more = ask.size, ask.page, ask.more
    offset = 0 if ask.item.kind == "search" else (page - 1) * size
    if ask.ext == "csv":
        more = count > offset + size if more is None else more
        return _csv_response(ask.item, ask.f, offset, size, page, more, ask.oldest)
    with db() as session:
        listed = list_items(session, ask.f, limit=max(size, 1) + 1, offset=offset,
                            oldest=ask.oldest)  # fmt: skip
        if more is None:
            more = len(listed) > size
        listed = listed[:size]
        names = directory.tag_names(session)
        changes = last_changes(session, [x.id for x in listed])
        meta = FeedMeta(
            id=feed_listings.feed_id(ask.item, ask.shown, ask.query),
            title="Policy Tracker: " + feed_listings.title(session, ask.item, ask.shown, ask.query),
            description=_description(ask.item, ask.notice),
            html_url=site_url.url(ask.item.path, _args_but_page()),
            self_url=site_url.here(),
            updated=changed or conditional.EPOCH,
            next_url=_with_page(page + 1) if more else None,
        )
    entries = [feed_listings.entry(x, names, changes.get(x.id)) for x in listed]
    body = RENDERERS[ask.ext](meta, entries)
    return Response(body, content_type=f"{MIMETYPES[ask.ext]}; charset=utf-8")


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
