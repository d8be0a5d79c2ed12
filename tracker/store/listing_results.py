"""The one public listing query: a filter in, a page of items or of events out,
with the listing's counts and its version.

Every format of a listing (the HTML timeline, RSS, Atom, JSON Feed, CSV and the
API's JSON) asks `read_listing` once and renders what it answers:

    version = memo.version(session, f)   # first (`versions.VersionMemo`): a 304 needs no more
    result = read_listing(session, ListingAsk(f, "items", limit=50), version)

A listing of items is newest first (oldest first when asked); a listing of
events holds the events with at least one item in the filter, and their cards
show those items first. A CSV export is a listing of rows: batches streamed
from short queries, read as the response is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, table_of
from tracker.store import timelines
from tracker.store.event_cards import EventCard
from tracker.store.item_versions import last_changes
from tracker.store.items import ItemCard
from tracker.store.listings import ListingFilter, count_items, export_cards, list_items
from tracker.store.versions import Version

Shape = Literal["items", "events", "rows"]


@dataclass(frozen=True)
class ListingAsk:
    """Which listing, in what shape, which page of it and in which order.

    `full` events carry every one of their items in the listing, with text (the
    API's timelines); otherwise cards show a few items and link the rest.
    `changes` adds, for items, a line on what their source changed; `counted`,
    for events, how many events the whole listing holds.
    """

    f: ListingFilter
    shape: Shape
    limit: int
    offset: int = 0
    oldest: bool = False
    full: bool = False
    changes: bool = False
    counted: bool = False  # events: count them all (a page past the last counts them anyway)


@dataclass
class ListingResult:
    """One page of a listing, what it counts, and the version it was read at (None
    for a page that answers no conditional GET)."""

    ask: ListingAsk
    version: Version | None
    item_total: int = 0  # how many items the whole listing holds
    items: list[ItemCard] = field(default_factory=list)
    events: list[EventCard] = field(default_factory=list)
    has_next: bool = False
    event_total: int = 0  # events, when counted
    daily: dict[tuple[date, str], int] = field(default_factory=dict)  # events only
    changes: dict[int, str] = field(default_factory=dict)  # items, when asked
    rows: Iterator[list[ItemCard]] = field(default_factory=lambda: iter(()))  # rows only

    @property
    def months(self) -> dict[tuple[int, int], dict[str, int]]:
        """Items per month and document type, oldest first (events only)."""
        months: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for (day, doc_type), n in self.daily.items():
            months[(day.year, day.month)][doc_type] += n
        return {k: dict(v) for k, v in sorted(months.items())}


def read_listing(session: Session, ask: ListingAsk, version: Version | None) -> ListingResult:
    """The page of the listing `ask` names: the one read behind every format.

    `version` is the listing's, looked up first for a conditional GET; a page
    that answers none passes None and its total is counted from what the page
    reads anyway (a timeline's daily counts), not from another aggregate.
    """
    result = ListingResult(ask, version, version[2] if version is not None else 0)
    if version is not None and version[2] == 0 and ask.f.item_ids is None:
        return result  # nothing in it: no need to look
    if ask.shape == "rows":
        result.rows = export_cards(
            session, ask.f, offset=ask.offset, limit=ask.limit, oldest=ask.oldest
        )
        if version is None:
            result.item_total = count_items(session, ask.f)
        result.has_next = result.item_total > ask.offset + ask.limit
        return result
    if ask.shape == "items":
        listed = list_items(
            session, ask.f, limit=max(ask.limit, 1) + 1, offset=ask.offset, oldest=ask.oldest
        )
        result.items, result.has_next = listed[: ask.limit], len(listed) > ask.limit
        if version is None:
            result.item_total = count_items(session, ask.f)
        if ask.changes:
            result.changes = last_changes(session, [x.id for x in result.items])
        return result
    page = timelines.timeline(session, ask.f, limit=ask.limit, offset=ask.offset, oldest=ask.oldest)
    result.events, result.has_next = page.events, page.has_next
    if ask.counted or (ask.offset > 0 and not page.events):
        result.event_total = timelines.event_count(session, ask.f)
    result.daily = timelines.daily_counts(session, ask.f)
    if version is None:
        result.item_total = sum(result.daily.values())
    if ask.full:
        result.events = _with_full_items(session, ask.f, page.events)
    return result


def _with_full_items(
    session: Session, f: ListingFilter, events: list[EventCard]
) -> list[EventCard]:
    """The events with every one of their items in the listing, newest first, with text."""
    ids = [e.id for e in events]
    members: list[int] = []
    if ids:
        item = table_of(Item).c
        members = list(session.execute(sa.select(item.id).where(item.event_id.in_(ids))).scalars())
    listed = list_items(session, replace(f, item_ids=tuple(members)), limit=max(len(members), 1))
    by_event: dict[int, list[ItemCard]] = defaultdict(list)
    for entry in listed:
        if entry.event_id is not None:
            by_event[entry.event_id].append(entry)
    return [replace(e, items=by_event.get(e.id, []), more=[], outside=0) for e in events]
