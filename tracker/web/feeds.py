"""Every listing as a feed: `.rss`, `.atom`, `.json` (JSON Feed) and `.csv`.

`/topics/distillation.atom?entity=alibaba&type=letter` is the page
`/topics/distillation?entity=alibaba&type=letter` in Atom: the same path, the
same filters (`listing_args`). The extension is part of each rule, so these
rules win over the pages' `/topics/<slug>` for `/topics/distillation.atom`.

Each route reads its format's arguments (fifty entries a feed, 2,000 rows a
CSV page), asks for the listing's version and answers 304 from it; only a
reader without the current copy gets the listing read once and rendered
(`listing_views.respond`, with the renderers of `feed_formats`), and the next
one without a copy the body kept under the same ETag (`feed_formats.kept_feed`).
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from tracker.search import search
from tracker.store.listing_results import ListingAsk, Shape
from tracker.store.listings import ListingFilter
from tracker.web import conditional, early_304, feed_listings
from tracker.web import feed_formats as feed_formats  # registers the feeds' renderers
from tracker.web.conditional import conditional_get
from tracker.web.context import settings
from tracker.web.feed_formats import kept_feed
from tracker.web.listing_args import listing_filter, order_arg
from tracker.web.listing_views import ListingRequest, feed_validators, respond
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
_BILL = re.compile(r"^([a-z]{1,7})([1-9][0-9]{0,5})$")


def _ask(ext: str, f: ListingFilter, size: int, offset: int, oldest: bool) -> ListingAsk:
    shape: Shape = "rows" if ext == "csv" else "items"
    return ListingAsk(f, shape, limit=size, offset=offset, oldest=oldest, changes=ext != "csv")


def _listing(ext: str, kind: str, key: str = "") -> conditional.Validators:
    item = feed_listings.listing(kind, key)
    f = listing_filter(item.base)
    page = int_arg("page", 1)
    size = CSV_ROWS if ext == "csv" else FEED_SIZE
    ask = _ask(ext, f, size, (page - 1) * size, order_arg())
    v = feed_validators(ListingRequest(ext, item, ask, f, page))
    early_304.offer(f, v.found.version, v.etag)  # its polls may be answered before the app
    return v


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
    ask = _ask(ext, hits, size, 0, False)
    req = ListingRequest(ext, feed_listings.listing("search"), ask, f, page, query=query,
                         notice=found.notice or "", more=found.has_next)  # fmt: skip
    return feed_validators(req)


@bp.get(f"/items.{EXT}")
@bp.get(f"/index.{EXT}")
@conditional_get(lambda ext: _listing(ext, "items"))
def all_items(ext: str) -> Response:
    """Every item: `/items.atom` (and `/index.atom`)."""
    return kept_feed(respond)


@bp.get(f"/topics/<slug>.{EXT}")
@conditional_get(lambda slug, ext: _listing(ext, "topic", slug))
def topic(slug: str, ext: str) -> Response:
    """A topic's items: `/topics/distillation.rss`."""
    return kept_feed(respond)


@bp.get(f"/entities/<slug>.{EXT}")
@conditional_get(lambda slug, ext: _listing(ext, "entity", slug))
def entity(slug: str, ext: str) -> Response:
    """An entity's items: `/entities/alibaba.atom`."""
    return kept_feed(respond)


@bp.get(f"/types/<doc_type>.{EXT}")
@conditional_get(lambda doc_type, ext: _listing(ext, "type", doc_type))
def doc_type(doc_type: str, ext: str) -> Response:
    """One document type's items: `/types/letter.json`."""
    return kept_feed(respond)


@bp.get(f"/sources/<slug>.{EXT}")
@conditional_get(lambda slug, ext: _listing(ext, "source", slug))
def source(slug: str, ext: str) -> Response:
    """One source's items: `/sources/<slug>.csv`."""
    return kept_feed(respond)


@bp.get(f"/bills/<id:congress>/<code>.{EXT}")
@conditional_get(_bill_listing)
def bill(congress: int, code: str, ext: str) -> Response:
    """Items about one bill: `/bills/119/s4417.atom`."""
    return kept_feed(respond)


@bp.get(f"/search.{EXT}")
@conditional_get(_search)
def search_feed(ext: str) -> Response:
    """A search's hits, newest first: `/search.rss?q=Qwen&type=letter`."""
    return kept_feed(respond)


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
