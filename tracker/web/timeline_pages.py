"""Timelines: a topic's, an entity's, a document type's or a source's events.

`/topics/<slug>`, `/entities/<slug>`, `/types/<doc_type>` and `/sources/<slug>`
are the HTML format of their listings: the path names the listing, the query
string narrows it (type, from, to), orders it (`order=oldest` reads a story
from its start) and picks the chart's grain. The page is one listing read
(`listing_views.respond`) rendered by `timeline_html`, as the feeds and the
API are the same read rendered by theirs; everything the template shows is
computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from math import ceil
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from sqlmodel import Session
from werkzeug.exceptions import BadRequest

from tracker.store import directory, timelines
from tracker.store.event_cards import EventCard
from tracker.store.listing_results import ListingAsk, ListingResult
from tracker.store.listings import ListingFilter
from tracker.store.memo import remembered
from tracker.store.timelines import TagInfo
from tracker.types import DOC_TYPE_LABELS, DOC_TYPES
from tracker.web import charts
from tracker.web.context import db
from tracker.web.discovery import feed_links
from tracker.web.feed_listings import listing
from tracker.web.filters import doc_type_label, plural
from tracker.web.links import Pagination, pagination, with_args
from tracker.web.listing_args import listing_filter, order_arg, page_number
from tracker.web.listing_views import ListingRequest, renderer, respond

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
    bp.add_url_rule("/sources/<slug>", "source", source)


def topic(slug: str) -> Response:
    """A topic's timeline."""
    return _render("topic", slug, ListingFilter(topic=slug))


def entity(slug: str) -> Response:
    """An entity's timeline."""
    return _render("entity", slug, ListingFilter(entity=slug))


def doc_type(doc_type: str) -> Response:
    """Every item of one document type, as a timeline."""
    if doc_type not in DOC_TYPES:
        abort(404, description=f"There is no document type {doc_type!r}. "
                               f"The site knows {', '.join(DOC_TYPES)}.")  # fmt: skip
    label = doc_type_label(doc_type)
    info = TagInfo(doc_type, "type", f"{label}s" if not label.endswith("s") else label,
                   f"Every {label.lower()} the tracker holds, newest first.")  # fmt: skip
    return _render("type", doc_type, ListingFilter(doc_type=doc_type), info)


def source(slug: str) -> Response:
    """Every item of one source, as a timeline."""
    with db() as session:
        found = directory.source(session, slug)
    info = None
    if found is not None:
        about = f"Every item the tracker has read from {found.name}."
        info = TagInfo(slug, "source", found.name, about)
    return _render("source", slug, ListingFilter(source=slug), info)


@dataclass(frozen=True)
class PageAsk:
    """What the HTML format looked up before the read: the timeline's tag and the form."""

    kind: str
    slug: str
    info: TagInfo
    problem: str
    notices: tuple[str, ...]


def _render(kind: str, slug: str, base: ListingFilter, info: TagInfo | None = None) -> Response:
    """Read the page's arguments, then the one listing read rendered as HTML."""
    notices: list[str] = []
    try:
        f, page, oldest, problem = listing_filter(base, notices), page_number(), order_arg(), ""
    except BadRequest as exc:
        # The form comes back as typed, with what to change; the timeline is shown unfiltered.
        f, page, oldest, problem = base, 1, False, str(exc.description)
    if kind == "type":
        f = replace(f, doc_type=slug)  # the path's type wins over ?type=
    elif kind == "source":
        f = replace(f, source=slug)
    with db() as session:  # one session for the tag and the listing
        if kind in ("topic", "entity"):
            info = timelines.tag_info(session, kind, slug)
        if info is None:
            abort(404, description=f"There is no {kind} {slug!r}. Its name may have changed; "
                                   "try the search, or the lists on the home page.")  # fmt: skip
        size = EVENTS_PER_PAGE
        ask = ListingAsk(f, "events", limit=size, offset=(page - 1) * size, oldest=oldest)
        extra = PageAsk(kind, slug, info, problem, tuple(notices))
        req = ListingRequest("html", listing(kind, slug), ask, f, page, extra=extra)
        return respond(req, session)


@renderer("html")
def timeline_html(
    session: Session | None, req: ListingRequest, found: ListingResult
) -> tuple[str, int] | str:
    """A page of the listing's events as the timeline page."""
    assert session is not None and isinstance(req.extra, PageAsk)
    kind, slug, info, problem = req.extra.kind, req.extra.slug, req.extra.info, req.extra.problem
    page, oldest, f = req.page, req.ask.oldest, req.f
    past_end = page > 1 and not found.events
    last_page = ceil(found.event_total / EVENTS_PER_PAGE) if past_end else 0
    context: dict[str, Any] = {
        "info": info,
        "kind": kind,
        "months": group_by_month(found.events),
        "item_total": found.item_total,
        "totals": _totals(found.item_total, _is_filtered()),
        "pages": _pages(page, found.has_next, oldest, past_end=past_end),
        "chart": _chart(session, found.daily, f, info.name),
        "related": _related(session, kind, slug),
        "form": _form_values(kind, f, problem),
        "filtered": _is_filtered(),
        "feeds": feed_links(),
        "problem": problem,
        "notices": list(req.extra.notices),
        "order": _order_switch(oldest),
        "past_end": _past_end(page, last_page) if past_end else None,
    }
    html = render_template("timeline.html", **context)
    if problem:
        return html, 400
    return (html, 404) if context["past_end"] else html


@dataclass(frozen=True)
class Pages(Pagination):
    """The pager with its words: which way is newer depends on the order."""

    prev_label: str = "← Newer"
    next_label: str = "Older →"


def _pages(page: int, has_next: bool, oldest: bool, past_end: bool) -> Pages:
    if past_end:  # the page says where the last page is instead
        return Pages(page, None, None)
    base = pagination(page, has_next)
    if oldest:
        return Pages(base.page, base.prev_url, base.next_url, "← Older", "Newer →")
    return Pages(base.page, base.prev_url, base.next_url)


def _order_switch(oldest: bool) -> dict[str, Any]:
    """Links to this timeline newest first and oldest first, filters kept, from page 1."""
    return {
        "oldest": oldest,
        "newest_url": with_args(order=None, page=None),
        "oldest_url": with_args(order="oldest", page=None),
    }


def _past_end(page: int, last_page: int) -> dict[str, Any]:
    """What to say on a page past the last: how many there are, and the way to the last."""
    if last_page < 1:
        return {"page": page, "last": 0, "url": with_args(page=None)}
    last = with_args(page=last_page if last_page > 1 else None)
    return {"page": page, "last": last_page, "url": last}


def _related(session: Session, kind: str, slug: str) -> dict[str, Any] | None:
    if kind == "topic":
        return {"heading": "Entities that appear most with it", "kind": "entity",
                "tags": timelines.cooccurring(session, slug, "entity", limit=RELATED)}  # fmt: skip
    if kind == "entity":
        return {"heading": "Topics it appears with most", "kind": "topic",
                "tags": timelines.cooccurring(session, slug, "topic", limit=RELATED)}  # fmt: skip
    return None


def _chart(
    session: Session, daily: dict[tuple[date, str], int], f: ListingFilter, name: str
) -> dict[str, Any]:
    """The activity chart: by week over a short span, by month over a long one.

    Remembered until any item changes, as the daily counts it sums are: summing
    two years of days by period and drawing the bars was a sixth of a busy
    topic's page (2-20 ms a request, more the denser the store).
    """
    asked = request.args.get("grain")
    asked = asked if asked in ("week", "month") else None  # any other value means best fit
    key = ("activity-chart", f, asked, name)
    return remembered(session, key, lambda: _drawn_chart(daily, f, name, asked))


def _drawn_chart(
    daily: dict[tuple[date, str], int], f: ListingFilter, name: str, asked: str | None
) -> dict[str, Any]:
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


def _form_values(kind: str, f: ListingFilter, problem: str) -> dict[str, Any]:
    """The form as the reader typed it; dates as applied (swapped when they were reversed)."""
    args = request.args
    types = [(t, DOC_TYPE_LABELS.get(t, t)) for t in DOC_TYPES] if kind != "type" else []
    since, until = args.get("from", ""), args.get("to", "")
    if not problem:
        since = f.since.date().isoformat() if f.since else since
        until = (f.until - timedelta(days=1)).date().isoformat() if f.until else until
    return {
        "type": args.get("type", ""),
        "from": since,
        "to": until,
        "grain": args.get("grain", ""),
        "order": args.get("order", "") if not problem else "",
        "types": types,
    }


def _totals(count: int, filtered: bool) -> str:
    """'36 items.', '1 item matches these filters.'"""
    if not filtered:
        return f"{plural(count, 'item')}."
    return f"{plural(count, 'item')} {'matches' if count == 1 else 'match'} these filters."


def _is_filtered() -> bool:
    return any(request.args.get(k) for k in ("type", "from", "to", "topic", "entity", "source"))
