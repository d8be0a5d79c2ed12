"""HTML pages. Views call named store queries and render one dict."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from tracker.store import queries
from tracker.web.context import db, settings

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = settings().page_size
    with db() as session:
        items = queries.latest_items(session, limit=size + 1, offset=(page - 1) * size)
    context = {
        "items": items[:size],
        "page": page,
        "has_next": len(items) > size,
    }
    return render_template("index.html", **context)


@bp.get("/items/<int:item_id>")
def item(item_id: int) -> str:
    with db() as session:
        detail = queries.item_detail(session, item_id)
    if detail is None:
        abort(404, description=f"There is no item {item_id}. It may have been removed.")
    return render_template("item.html", detail=detail)


@bp.get("/sources")
def sources() -> str:
    with db() as session:
        rows = queries.source_health(session)
        fetches = queries.recent_fetches(session)
    return render_template("sources.html", rows=rows, fetches=fetches)
