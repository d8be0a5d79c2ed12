"""Finding the feeds: `feed_links()` for every page's head, `/feeds`, and OPML.

`feed_links()` asks the app's own URL map whether the page's path plus an
extension is a feed, so it offers exactly the feeds that exist, with the
page's filters; pages that are not listings offer the feed of all items.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, request
from lxml import etree
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tracker.store import directory
from tracker.store.versions import catalog_changed_at, catalog_version
from tracker.types import DOC_TYPES
from tracker.web import conditional, site_url
from tracker.web.conditional import conditional_get
from tracker.web.context import db
from tracker.web.filters import doc_type_label

bp = Blueprint("discovery", __name__)

FORMATS = (
    ("rss", "RSS", "application/rss+xml"),
    ("atom", "Atom", "application/atom+xml"),
    ("json", "JSON Feed", "application/feed+json"),
    ("csv", "CSV", "text/csv"),
)
OPML_FORMAT = "atom"


@dataclass(frozen=True)
class FeedLink:
    """This page's listing in one feed format."""

    ext: str
    label: str
    mime: str
    url: str


def feed_links() -> list[FeedLink]:
    """The current page's listing as RSS, Atom, JSON Feed and CSV, filters kept."""
    path = request.path.rstrip("/") or "/items"
    adapter = current_app.url_map.bind("localhost")
    if not _is_feed(adapter, f"{path}.rss"):
        path = "/items"
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "grain") and v]
    if path == "/items":
        args = []
    return [FeedLink(ext, label, mime, f"{path}.{ext}{_tail(args, ext)}")
            for ext, label, mime in FORMATS]  # fmt: skip


def _tail(args: list[tuple[str, str]], ext: str) -> str:
    # A feed to subscribe to is newest first whatever the page's order: a
    # reader takes the first entries. An export keeps the page's order.
    if ext != "csv":
        args = [(k, v) for k, v in args if k != "order"]
    return f"?{urlencode(args)}" if args else ""


def _is_feed(adapter: object, path: str) -> bool:
    try:
        endpoint, _ = adapter.match(path, method="GET")  # type: ignore[attr-defined]
    except (HTTPException, RequestRedirect):
        return False
    return str(endpoint).startswith("feeds.")


@dataclass(frozen=True)
class FeedGroup:
    """A heading of the feed list and its feeds: (name, feed path, page path, items)."""

    title: str
    feeds: list[tuple[str, str, str, int]]


def _groups() -> list[FeedGroup]:
    with db() as session:
        topics = directory.topics(session)
        entities = directory.entities(session)
        sources = directory.sources(session)
    return [
        FeedGroup("Everything", [("All items", "/items", "/", sum(s.items for s in sources))]),
        FeedGroup(
            "Topics", [(t.name, f"/topics/{t.slug}", f"/topics/{t.slug}", t.items) for t in topics]
        ),
        FeedGroup(
            "Entities",
            [(e.name, f"/entities/{e.slug}", f"/entities/{e.slug}", e.items) for e in entities],
        ),
        FeedGroup(
            "Document types",
            [(doc_type_label(t), f"/types/{t}", f"/types/{t}", -1) for t in DOC_TYPES],
        ),
        FeedGroup(
            "Sources",
            [(s.name, f"/sources/{s.slug}", f"/sources/{s.slug}", s.items) for s in sources],
        ),
    ]


def _catalog_validators(kind: str) -> conditional.Validators:
    with db() as session:
        version = catalog_version(session)
    return conditional.validators(kind, version, changed=catalog_changed_at(version))


@bp.get("/feeds")
@conditional_get(lambda: _catalog_validators("feeds.html"))
def feed_list() -> Response:
    """Every topic, entity, type and source feed, in each format."""
    html = render_template("feeds.html", groups=_groups(), formats=FORMATS)
    return Response(html, mimetype="text/html")


@bp.get("/feeds.opml")
@conditional_get(lambda: _catalog_validators("feeds.opml"))
def opml() -> Response:
    """The feed list as OPML 2.0, for importing into a feed reader."""
    v = conditional.current()
    root = site_url.root()
    doc = etree.Element("opml", version="2.0")
    head = etree.SubElement(doc, "head")
    etree.SubElement(head, "title").text = "Policy Tracker feeds"
    etree.SubElement(head, "dateCreated").text = v.last_modified.strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(doc, "body")
    for group in _groups():
        outline = etree.SubElement(body, "outline", text=group.title, title=group.title)
        for name, feed, page, _count in group.feeds:
            etree.SubElement(
                outline,
                "outline",
                type="rss",
                text=name,
                title=name,
                xmlUrl=f"{root}{feed}.{OPML_FORMAT}",
                htmlUrl=f"{root}{page}",
            )
    xml = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")
    response = Response(xml, mimetype="text/x-opml")
    response.headers["Content-Disposition"] = 'attachment; filename="policy-tracker.opml"'
    return response


def init_app(app: Flask) -> None:
    """Register `/feeds`, `/feeds.opml` and the `feed_links()` template global."""
    app.register_blueprint(bp)
    app.add_template_global(feed_links)
