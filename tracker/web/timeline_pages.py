"""Timelines: a topic's, an entity's or a document type's events, newest first.

`/topics/<slug>`, `/entities/<slug>` and `/types/<doc_type>` share one view:
the path names the listing, the query string narrows it (type, from, to) and
picks the chart's grain; everything the template shows is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, render_template, request
from sqlmodel import Session
from werkzeug.exceptions import BadRequest

from tracker.store import timelines
from tracker.store.event_cards import EventCard
from tracker.store.listings import ListingFilter
from tracker.store.timelines import TagInfo
from tracker.types import DOC_TYPE_LABELS, DOC_TYPES
from tracker.web import charts
from tracker.web.context import db
from tracker.web.discovery import feed_links
from tracker.web.filters import doc_type_label, plural
from tracker.web.links import pagination
from tracker.web.listing_args import listing_filter, page_number

EVENTS_PER_PAGE = 20
MAX_WEEKS = 104  # bars: a longer span asked for by week is still drawn by month
RELATED = 8
PAD_LIMIT = {"month": 240, "week": 520}  # twenty years by month, ten by week


@dataclass(frozen=True)
class MonthGroup:
    """A month's heading and its events."""

    label: str
    anchor: str
    events: list[EventCard]


def add_routes(bp: Blueprint) -> None:
    """Register the timeline pages on `bp`."""
    bp.add_url_rule("/topics/<slug>", "topic", topic)
    bp.add_url_rule("/entities/<slug>", "entity", entity)
    bp.add_url_rule("/types/<doc_type>", "doc_type", doc_type)


def topic(slug: str) -> str | tuple[str, int]:
    """A topic's timeline."""
    return _render("topic", slug, ListingFilter(topic=slug))


def entity(slug: str) -> str | tuple[str, int]:
    """An entity's timeline."""
    return _render("entity", slug, ListingFilter(entity=slug))


def doc_type(doc_type: str) -> str | tuple[str, int]:
    """Every item of one document type, as a timeline."""
    if doc_type not in DOC_TYPES:
        abort(404, description=f"There is no document type {doc_type!r}. "
                               f"The site knows {', '.join(DOC_TYPES)}.")  # fmt: skip
    label = doc_type_label(doc_type)
    info = TagInfo(doc_type, "type", f"{label}s" if not label.endswith("s") else label,
                   f"Every {label.lower()} the tracker holds, newest first.")  # fmt: skip
    return _render("type", doc_type, ListingFilter(doc_type=doc_type), info)


def _render(
    kind: str, slug: str, base: ListingFilter, info: TagInfo | None = None
) -> str | tuple[str, int]:
    try:
        f, page, problem = listing_filter(base), page_number(), ""
    except BadRequest as exc:
        # The form comes back as typed, with what to change; the timeline is shown unfiltered.
        f, page, problem = base, 1, str(exc.description)
    if kind == "type" and f.doc_type != slug:
        f = replace(f, doc_type=slug)  # the path's type wins over ?type=
    with db() as session:
        info = info or timelines.tag_info(session, kind, slug)
        if info is None:
            abort(404, description=f"There is no {kind} {slug!r}. Its name may have changed; "
                                   "try the search, or the lists on the home page.")  # fmt: skip
        found = timelines.timeline(
            session, f, limit=EVENTS_PER_PAGE, offset=(page - 1) * EVENTS_PER_PAGE
        )
        chart = _chart(session, f, info.name)
        related = _related(session, kind, slug)
    context: dict[str, Any] = {
        "info": info,
        "kind": kind,
        "months": group_by_month(found.events),
        "item_total": found.item_total,
        "totals": _totals(found.item_total, _is_filtered()),
        "pages": pagination(page, found.has_next),
        "chart": chart,
        "related": related,
        "form": _form_values(kind),
        "filtered": _is_filtered(),
        "feeds": feed_links(),
        "problem": problem,
    }
    html = render_template("timeline.html", **context)
    return (html, 400) if problem else html


def _related(session: Session, kind: str, slug: str) -> dict[str, Any] | None:
    if kind == "topic":
        return {"heading": "Entities that appear most with it", "kind": "entity",
                "tags": timelines.cooccurring(session, slug, "entity", limit=RELATED)}  # fmt: skip
    if kind == "entity":
        return {"heading": "Topics it appears with most", "kind": "topic",
                "tags": timelines.cooccurring(session, slug, "topic", limit=RELATED)}  # fmt: skip
    return None


def _chart(session: Session, f: ListingFilter, name: str) -> dict[str, Any]:
    """The activity chart: by week over a short span, by month over a long one."""
    daily = timelines.daily_counts(session, f)
    asked = request.args.get("grain")
    months = _bars(daily, "month", f)
    grain = asked if asked in ("week", "month") else ("week" if len(months) <= 6 else "month")
    bars = months if grain == "month" else _bars(daily, "week", f)
    if grain == "week" and len(bars) > MAX_WEEKS and asked != "week":
        grain, bars = "month", months
    title = f"{name}: items per {grain}, by document type"
    return {"svg": charts.activity_chart(bars, title=title) if bars else None, "grain": grain}


def _bars(daily: dict[tuple[date, str], int], grain: str, f: ListingFilter) -> list[charts.Period]:
    """Every period from the filter's first day (or the data's) to its last."""
    counts = charts.by_period(daily, grain)
    keys = sorted(counts)
    first = charts.period_key(f.since.date(), grain) if f.since else keys[0] if keys else None
    last = (charts.period_key((f.until - timedelta(days=1)).date(), grain) if f.until
            else keys[-1] if keys else None)  # fmt: skip
    # Empty bars pad the chart out to the filter's days, within reason: from=1900-01-01
    # draws the data's own span, not fifteen hundred empty months.
    if first and last and _periods_between(first, last, grain) > PAD_LIMIT[grain]:
        if not keys:
            return []
        first, last = max(first, keys[0]), min(last, keys[-1])
    return charts.periods(counts, grain, first, last)


def _periods_between(first: tuple[int, int], last: tuple[int, int], grain: str) -> int:
    """About how many months or weeks lie from `first` to `last`."""
    per_year = 12 if grain == "month" else 53
    return (last[0] - first[0]) * per_year + last[1] - first[1]


def group_by_month(events: list[EventCard]) -> list[MonthGroup]:
    """Events under month headings, in the order given (newest first)."""
    groups: list[MonthGroup] = []
    for event in events:
        label = f"{charts.MONTHS[event.date.month - 1]} {event.date.year}"
        if not groups or groups[-1].label != label:
            anchor = f"m-{event.date.year}-{event.date.month:02d}"
            groups.append(MonthGroup(label, anchor, []))
        groups[-1].events.append(event)
    return groups


def _form_values(kind: str) -> dict[str, Any]:
    args = request.args
    types = [(t, DOC_TYPE_LABELS.get(t, t)) for t in DOC_TYPES] if kind != "type" else []
    return {
        "type": args.get("type", ""),
        "from": args.get("from", ""),
        "to": args.get("to", ""),
        "grain": args.get("grain", ""),
        "types": types,
    }


def _totals(count: int, filtered: bool) -> str:
    """'36 items.', '1 item matches these filters.'"""
    if not filtered:
        return f"{plural(count, 'item')}."
    return f"{plural(count, 'item')} {'matches' if count == 1 else 'match'} these filters."


def _is_filtered() -> bool:
    return any(request.args.get(k) for k in ("type", "from", "to", "topic", "entity", "source"))
