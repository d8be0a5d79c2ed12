"""HTML pages. Views call named store queries and render one dict.

This module holds the blueprint, the home page and the sources page; the
timelines, bills, items and events register their routes on the same
blueprint from their own modules, so every endpoint is `pages.<name>`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, render_template

from tracker.store import bills, demo, home, leases, timelines
from tracker.store import sources as source_reads  # `sources` is a view here
from tracker.store.event_cards import EventCard, event_cards
from tracker.types import DOC_TYPES
from tracker.web import bill_pages, calendar_pages, charts, fetch_health, item_pages, timeline_pages
from tracker.web.context import db
from tracker.web.filters import tag_name

bp = Blueprint("pages", __name__)
timeline_pages.add_routes(bp)
bill_pages.add_routes(bp)
item_pages.add_routes(bp)

WEEKS = 12  # the sparklines' span
UPCOMING = 5  # calendar entries on the front page


@bp.get("/", endpoint="home")
def home_page() -> str:
    """What moved this week in the tracked topics and entities, originals first;
    the busiest tags, recent bill actions, sources at a glance."""
    now = datetime.now(UTC)
    with db() as session:
        week = home.news_week(session, now, tagged=True)
        any_week = week or home.news_week(session, now)
        events: list[EventCard] = []
        front = home.FrontPage([], [])
        active: dict[str, list[home.ActiveTag]] = {"topic": [], "entity": []}
        if week is not None:
            front = home.front_page(session, week)
            events = event_cards(session, [lead.event_id for lead in front.leads])
            active = home.active_tags(session, week.end, weeks=WEEKS)
        actions = bills.recent_actions(session, limit=6)
        health = home.health_summary(session)
        snapshot = demo.snapshot_summary(session)
        names = timelines.tag_names(session)
        upcoming = calendar_pages.coming_up(session, limit=UPCOMING)
    cards = {card.id: card for card in events}
    context: dict[str, Any] = {
        "week": week,
        "any_items": any_week is not None,
        "week_last": week.end - timedelta(microseconds=1) if week else None,
        "leads": [(lead, cards[lead.event_id]) for lead in front.leads if lead.event_id in cards],
        "moved": front.moved,
        "topics": [_active_row(a) for a in active["topic"]],
        "entities": [_active_row(a) for a in active["entity"]],
        "weeks": WEEKS,
        "actions": actions,
        "upcoming": upcoming,
        "health": health,
        "snapshot": snapshot,
        "all_topics": sorted((s for s, i in names.items() if i.kind == "topic"), key=tag_name),
        "all_entities": sorted((s for s, i in names.items() if i.kind == "entity"), key=tag_name),
        "doc_types": DOC_TYPES,
    }
    return render_template("index.html", **context)


def _active_row(tag: home.ActiveTag) -> dict[str, Any]:
    name = tag_name(tag.slug)
    return {"slug": tag.slug, "kind": tag.kind, "name": name, "total": tag.total,
            "sparkline": charts.sparkline(tag.weekly, label=name)}  # fmt: skip


@bp.get("/sources")
def sources() -> str:
    """Every source with its last fetch, its status and how many items it brought."""
    now = datetime.now(UTC)
    with db() as session:
        rows = source_reads.source_health(session)
        fetches = source_reads.recent_fetches(session)
        beats = leases.worker_beats(session, since=now - timedelta(days=1))
    # Real sources first, each group by name as a reader alphabetises: "govinfo" among the Gs.
    rows.sort(key=lambda row: (row["source"].is_sample, row["source"].name.casefold()))
    heartbeat = current_app.extensions["tracker.settings"].heartbeat_seconds
    for row in rows:
        row["failures"] = fetch_health.failures_label(row["source"])
    workers = fetch_health.worker_rows(beats, now, heartbeat)
    return render_template("sources.html", rows=rows, fetches=fetches, workers=workers)
