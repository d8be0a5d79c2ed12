"""The files every site is asked for: /favicon.ico, /robots.txt, /sitemap.xml.

The sitemap lists the index pages, every topic and entity with items, every
bill and the most recent items, at absolute addresses built like the feeds'
(TRACKER_BASE_URL when set, else the request's own address; see site_url).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, url_for
from lxml import etree

from tracker.models import Item, table_of
from tracker.store import bills, directory
from tracker.web import site_url
from tracker.web.context import db

bp = Blueprint("site_files", __name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
RECENT_ITEMS = 2000  # a sitemap holds up to 50,000 addresses; the newest items are enough
INDEX_PAGES = ("pages.home", "pages.bills_index", "pages.sources", "discovery.feed_list")
DAY = 24 * 3600


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The SVG icon, for browsers that ask for /favicon.ico before reading a page."""
    assert current_app.static_folder is not None
    response = current_app.send_static_file("favicon.svg")
    response.headers["Cache-Control"] = f"public, max-age={7 * DAY}"
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    """Every reader page may be crawled; staff pages, search results and exports not."""
    lines = [
        "User-agent: *",
        "Disallow: /admin",
        "Disallow: /review",
        "Disallow: /login",
        "Disallow: /search",
        "Disallow: /api/",
        "Disallow: /*.csv$",
        f"Sitemap: {site_url.url('/sitemap.xml')}",
    ]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Cache-Control"] = site_url.cache_control(DAY)
    return response


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """A sitemap of the index pages, topics, entities, bills and recent items."""
    urlset = etree.Element("urlset", nsmap={None: SITEMAP_NS})
    for endpoint in INDEX_PAGES:
        _add(urlset, url_for(endpoint))
    with db() as session:
        for tag in directory.topics(session):
            if tag.items:
                _add(urlset, url_for("pages.topic", slug=tag.slug))
        for tag in directory.entities(session):
            if tag.items:
                _add(urlset, url_for("pages.entity", slug=tag.slug))
        for bill in bills.all_bills(session, limit=5000):
            ref = f"{bill.bill_type}{bill.number}"
            _add(urlset, url_for("pages.bill", congress=bill.congress, ref=ref))
        item = table_of(Item).c
        recent = sa.select(item.id, item.changed_at).order_by(item.published_at.desc())
        for item_id, changed in session.execute(recent.limit(RECENT_ITEMS)):
            _add(urlset, url_for("pages.item", item_id=item_id), changed)
    xml = etree.tostring(urlset, xml_declaration=True, encoding="UTF-8")
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = site_url.cache_control(3600)
    return response


def _add(urlset: etree._Element, path: str, changed: datetime | None = None) -> None:
    entry = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = site_url.url(path)
    if changed is not None:
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = changed.date().isoformat()


def init_app(app: Flask) -> None:
    """Register /favicon.ico, /robots.txt and /sitemap.xml."""
    app.register_blueprint(bp)
