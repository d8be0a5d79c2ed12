"""The index pages: `/items` (the latest items, paged), `/topics` and
`/entities` (every tag by name, with its count, timeline and feeds)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, url_for

from tracker.store import item_index
from tracker.web.context import db
from tracker.web.listing_args import page_number

bp = Blueprint("items", __name__)
PER_PAGE = 50
FEED_FORMATS = (("RSS", "rss"), ("Atom", "atom"), ("JSON Feed", "json"))


@bp.get("/items", endpoint="index")
def items_index() -> str:
    """The latest items, newest first, fifty a page."""
    page = page_number()
    with db() as session:
        found = item_index.latest_items(session, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    last = max(1, -(-found.total // PER_PAGE))
    if page > last:
        abort(404, description=f"There are {last} pages of items; page {page} is past the last.")
    pages = {
        "page": page,
        "prev_url": url_for(".index", page=page - 1) if page > 1 else None,
        "next_url": url_for(".index", page=page + 1) if page < last else None,
    }
    return render_template(
        "items_index.html", items=found.items, total=found.total, pages=pages, last=last,
        formats=FEED_FORMATS,
    )  # fmt: skip


@bp.get("/topics", endpoint="topics")
def topics_index() -> str:
    """Every topic by name, with its item count, timeline and feeds."""
    return _tags("topic")


@bp.get("/entities", endpoint="entities")
def entities_index() -> str:
    """Every entity by name, with its kind, item count, timeline and feeds."""
    return _tags("entity")


def _tags(kind: str) -> str:
    with db() as session:
        entries = item_index.tag_entries(session, kind)
    base = "/topics" if kind == "topic" else "/entities"
    return render_template(
        "tags_index.html", kind=kind, entries=entries, base=base, formats=FEED_FORMATS
    )


def init_app(app: Flask) -> None:
    """Register `/items`, `/topics` and `/entities`."""
    app.register_blueprint(bp)
