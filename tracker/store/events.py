"""Events as rows: every item joins the event `tracker.events` scores it into.

Items wait with no event until `assign_pending` places them, oldest first, so
a crash between storing and grouping loses nothing: the next run picks up
where this one stopped. Every item ends in an event, alone if need be, which
lets a timeline list events only.

Scoring an item against every neighbour in its date window would cost
thousands of comparisons per item on a busy week, so each placed item files
blocking keys (store/event_keys.py); a batch loads only the events of the
stored items that share its telling keys, and an arriving item is scored only
against the few of those whose items share the most.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker import event_links, event_register
from tracker import events as grouping
from tracker.event_keys import BlockingIndex
from tracker.gcpause import gc_paused
from tracker.models import Event, Item, ItemTag, Source, table_of, utcnow
from tracker.store import event_keys as key_rows
from tracker.store.engine import on_postgresql
from tracker.store.kept_items import KeptItems
from tracker.store.tags import next_seqs

BATCH = 500
# The columns grouping reads of an item (`_event_items`, `_members`).
_READ = ("id", "title", "text", "published_at", "doc_type", "source_id", "url", "event_id",
         "summary_html", "agencies", "rins")  # fmt: skip
# An event's members an item is compared with: those nearest it in time (the
# newest were taken before, which for an item backfilled into the middle of a
# long event were weeks away from it).
MEMBERS_SCORED = 4
# The characters of an item's text grouping reads. Its caches are bounded by
# count (features, acts, names, footers: some 60,000 entries that hold texts),
# and a summary may run to 500,000 characters; read whole, a few hundred such
# items held gigabytes. What grouping weighs is in the opening (acts read 2,000
# characters, keys 600), and every labelled set's texts are far shorter, so
# their events are the same (bench/events_store.py).
TEXT_CHARS = 4000
# Stored items a process keeps as it last read them (`store.kept_items`), by count:
# each holds at most `TEXT_CHARS` of text, as the grouping caches keyed on items do.
KEPT_ITEMS = 16384
_kept = KeptItems(KEPT_ITEMS)


@dataclass
class _Window:
    """Candidate events near in time, in memory, with a blocking index over their items.

    Only stored items the key rows found (`key_rows.neighbours`) and the
    batch's own items are indexed; the other members of their events are kept
    for scoring only, so a big event costs its rows, not its keys.
    """

    members: dict[int, list[grouping.EventItem]] = field(default_factory=lambda: defaultdict(list))
    index: BlockingIndex = field(default_factory=BlockingIndex)
    # Each event's members by (published, id), with their keys apart for bisect:
    # `scored` then looks at the few members around a date, not all of them.
    ordered: dict[int, list[grouping.EventItem]] = field(default_factory=lambda: defaultdict(list))
    order_keys: dict[int, list[tuple[datetime, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(
        self,
        item: grouping.EventItem,
        event_id: int,
        indexed: bool = True,
        keys: frozenset[str] | None = None,
    ) -> None:
        """Keep `item` as a member of `event_id`; `indexed`, under `keys` (its
        `stored_keys`, computed when not given)."""
        self.members[event_id].append(item)
        order = self.order_keys[event_id]
        at = bisect_left(order, (item.published, item.id))
        order.insert(at, (item.published, item.id))
        self.ordered[event_id].insert(at, item)
        if indexed:
            self.index.add(item, event_id, keys)

    def candidates(self, item: grouping.EventItem) -> list[grouping.EventCandidate]:
        """Events of the reports that share the most telling keys with `item`."""
        return [
            grouping.EventCandidate(event_id, self.scored(event_id, item))
            for event_id in sorted(self.index.events_for(item))  # `assign` breaks ties by order
        ]

    def scored(self, event_id: int, item: grouping.EventItem) -> tuple[grouping.EventItem, ...]:
        """The event's `MEMBERS_SCORED` members nearest `item` in time, and its
        earliest and latest loaded members, oldest first.

        The ends let `link` see how far the event reaches: a member outside the
        window keeps the item out unless it names the act, so coverage cannot
        chain one event across weeks (it had, to 160 items over 80 days).
        """
        members = self.members[event_id]
        if len(members) <= MEMBERS_SCORED:
            return tuple(members)

        def order(m: grouping.EventItem) -> tuple[datetime, int]:
            return (m.published, m.id)

        # The nearest in time lie within MEMBERS_SCORED places either side of
        # the item's date, or share a date with the farthest of those (a tie
        # is broken by id): the same members a scan of all of them finds.
        keys, ordered = self.order_keys[event_id], self.ordered[event_id]
        at = bisect_left(keys, (item.published, -1))
        low, high = max(0, at - MEMBERS_SCORED), min(len(keys), at + MEMBERS_SCORED)
        while low > 0 and keys[low - 1][0] == keys[low][0]:
            low -= 1
        while high < len(keys) and keys[high][0] == keys[high - 1][0]:
            high += 1
        nearest = heapq.nsmallest(
            MEMBERS_SCORED,
            ordered[low:high],
            key=lambda m: (abs(m.published - item.published), m.id),
        )
        chosen = {m.id: m for m in [*nearest, ordered[0], ordered[-1]]}
        return tuple(sorted(chosen.values(), key=order))


def assign_pending(session: Session, limit: int | None = None) -> int:
    """Place every item that has no event yet, oldest first; returns how many."""
    placed = 0
    while limit is None or placed < limit:
        batch = list(
            session.exec(
                select(Item)
                .where(Item.event_id == None)  # noqa: E711
                .order_by(Item.published_at, Item.id)  # type: ignore[arg-type]
                .limit(BATCH if limit is None else min(BATCH, limit - placed))
            )
        )
        if not batch:
            break
        with gc_paused():  # a batch makes many short-lived objects; see tracker/gcpause.py
            _place_batch(session, batch)
        placed += len(batch)
        session.flush()
    return placed


def _place_batch(session: Session, batch: list[Item]) -> None:
    # The bundled demo snapshot and live items never share an event: each is
    # grouped only with neighbours of its own kind.
    for sample in (False, True):
        group = [row for row in batch if row.sample == sample]
        if group:
            _place_group(session, group, sample)


def _place_group(session: Session, batch: list[Item], sample: bool) -> None:
    # Only the events of stored items that share a telling key with the batch
    # are loaded (store/event_keys.py), so a busy week costs no more per item.
    incoming = _event_items(session, batch)
    low = min(i.published - grouping.reach(i) for i in incoming.values())
    high = batch[-1].published_at + grouping.ACT_WINDOW
    found = key_rows.neighbours(session, list(incoming.values()), low, high, sample)
    neighbours = _members(session, found, low - grouping.ACT_WINDOW, high + grouping.ACT_WINDOW)
    as_events = {**_event_items(session, neighbours), **incoming}
    # The keys they were filed under, read back: computed, they cost more than
    # placing the batch, and a denser store finds more of them (`key_rows.filed`).
    wanted = set().union(*(key_rows.lookup_rows(i) for i in incoming.values()))
    filed = key_rows.filed(session, found, wanted)
    window = _Window()
    for row in sorted(neighbours, key=lambda r: (r.published_at, r.id)):
        window.add(as_events[row.id], row.event_id, row.id in found, filed.get(row.id))  # type: ignore[index, arg-type]
    touched: set[int] = set()
    # A catch-up may have indexed an item before it had an event (another
    # process's, or after a crash before grouping): the new sequence number
    # makes the next one re-index it with its event, which search folds by.
    now = utcnow()
    for row, seq in zip(batch, next_seqs(session, len(batch)), strict=True):
        row.seq, row.changed_at = seq, now
    for row in batch:
        arriving = as_events[row.id]  # type: ignore[index]
        event_id = grouping.assign(arriving, window.candidates(arriving))
        if event_id is None:
            event = Event(headline=row.title, event_date=row.published_at, lead_item_id=row.id,
                          created_at=utcnow())  # fmt: skip
            session.add(event)
            session.flush()
            event_id = event.id
        else:
            touched.add(event_id)
        row.event_id = event_id
        session.add(row)
        window.add(arriving, event_id)  # type: ignore[arg-type]
    session.flush()
    key_rows.file_keys(session, incoming.values(), sample)
    for event_id in sorted(touched):
        refresh_event(session, event_id, window.members[event_id])


def file_all_keys(session: Session) -> int:
    """File blocking keys for every grouped item (after an import); returns how many."""
    filed, last = 0, 0
    while True:
        rows = list(
            session.exec(
                select(Item)
                .where(Item.event_id != None, Item.id > last)  # type: ignore[operator]  # noqa: E711
                .order_by(Item.id)  # type: ignore[arg-type]
                .limit(BATCH)
            )
        )
        if not rows:
            return filed
        last = rows[-1].id or last
        as_events = _event_items(session, rows)
        for sample in (False, True):
            group = [as_events[r.id] for r in rows if r.sample == sample]  # type: ignore[index]
            key_rows.file_keys(session, group, sample)
        filed += len(rows)


def _members(session: Session, item_ids: set[int], low: datetime, high: datetime) -> list[Any]:
    """Every item, between `low` and `high`, of the events the given items are in.

    Plain rows of what grouping reads (not ORM objects: they are only read,
    and loading whole items cost more than placing them).
    """
    table = table_of(Item)
    ids = sorted(item_ids)
    events: set[int | None] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        events.update(
            session.execute(sa.select(table.c.event_id).where(table.c.id.in_(chunk))).scalars()
        )
    chosen = sorted(e for e in events if e is not None)
    # Only the openings grouping reads (`TEXT_CHARS`, `event_links.LINK_CHARS`).
    cut = {"text": TEXT_CHARS, "summary_html": event_links.LINK_CHARS}
    columns = [
        sa.func.substr(table.c[name], 1, cut[name]).label(name) if name in cut else table.c[name]
        for name in _READ
    ]
    members: list[Any] = []
    for start in range(0, len(chosen), 500):
        members.extend(
            session.execute(
                sa.select(*columns).where(
                    table.c.event_id.in_(chosen[start : start + 500]),
                    table.c.published_at >= low,
                    table.c.published_at <= high,
                )
            )
        )
    return members


def refresh_event(
    session: Session, event_id: int, members: Sequence[grouping.EventItem] | None = None
) -> None:
    """Headline and date from the event's members: the most authoritative item leads.

    Members whose event headline changes get a new sequence number, since feeds
    and the index show the headline with them.
    """
    event = session.get(Event, event_id)
    if event is None:
        return
    if members is None:
        rows = list(session.exec(select(Item).where(Item.event_id == event_id)))
        members = list(_event_items(session, rows).values())
    if not members:
        session.delete(event)
        return
    lead = grouping.headline_item(members)
    event.event_date = grouping.event_date(members)
    if event.lead_item_id != lead.id or event.headline != lead.title:
        event.headline, event.lead_item_id = lead.title, lead.id
        bump(session, [m.id for m in members])
    session.add(event)


def bump(session: Session, item_ids: Sequence[int]) -> None:
    """Give items new sequence numbers: something readers see about them changed."""
    now = utcnow()
    table = table_of(Item)
    if not item_ids:
        return
    seqs = next_seqs(session, len(item_ids))
    # One executemany, not a statement per item: a big event's members are many.
    session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("item_id"))
        .values(seq=sa.bindparam("new_seq"), changed_at=now),
        [{"item_id": i, "new_seq": s} for i, s in zip(sorted(item_ids), seqs, strict=True)],
    )


def _event_items(session: Session, items: Iterable[Any]) -> dict[int, grouping.EventItem]:
    """What grouping needs of each item (an `Item` or a row of `_READ`), by id."""
    items = list(items)
    tags = _tag_sets(session, [i.id for i in items])
    sources = dict(session.exec(select(Source.id, Source.slug)).all())
    read = (
        grouping.EventItem(  # type: ignore[misc]
            id=i.id,  # type: ignore[arg-type]
            title=i.title,
            text=i.text[:TEXT_CHARS],
            entities=tags.get(i.id, _NO_TAGS)[0],  # type: ignore[arg-type]
            topics=tags.get(i.id, _NO_TAGS)[1],  # type: ignore[arg-type]
            published=i.published_at,
            doc_type=i.doc_type,
            source=sources.get(i.source_id, ""),
            url=i.url or "",
            links=event_links.extract(
                i.summary_html or "", i.url or "", i.published_at, title=i.title
            ),
            agencies=event_register.of_record(i.agencies or (), i.rins or ()),
        )
        for i in items
    )
    return {item.id: _kept(item) for item in read}


_NO_TAGS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
# Joins an item's slugs in one row; a slug holding it is read row by row instead.
_SEPARATOR = "\x1f"


def _tag_sets(
    session: Session, ids: Sequence[int]
) -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """Each item's entity and topic slugs (rejected tags and the model's readings left out), by id.

    A batch reads its neighbours' tags every time (a dozen rows an item, tens of
    thousands a batch): joined per item by the database, they come as one row an
    item. Each slug list is checked against its count, so a slug that holds the
    separator cannot split into two: such an item's tags are read row by row.
    """
    table = table_of(ItemTag)
    entity = table.c.kind == "entity"
    # A topic the model read from an item's wording is a theme, not a name two
    # reports of one act share: grouping leaves it out unless a person confirmed it.
    counted = sa.and_(
        table.c.status != "rejected",
        sa.or_(table.c.origin != "model", table.c.status == "confirmed"),
    )
    slugs = [sa.case((entity, table.c.slug)), sa.case((~entity, table.c.slug))]
    join = sa.func.string_agg if on_postgresql(session) else sa.func.group_concat
    columns = [table.c.item_id, *(join(s, _SEPARATOR) for s in slugs),
               *(sa.func.count(s) for s in slugs)]  # fmt: skip
    found: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
    odd: list[int] = []
    for start in range(0, len(ids), 500):
        rows = session.execute(
            sa.select(*columns)
            .where(table.c.item_id.in_(ids[start : start + 500]), counted)
            .group_by(table.c.item_id)
        )
        for item_id, entities, topics, entity_count, topic_count in rows:
            parts = (
                frozenset(entities.split(_SEPARATOR)) if entities is not None else frozenset(),
                frozenset(topics.split(_SEPARATOR)) if topics is not None else frozenset(),
            )
            if (len(parts[0]), len(parts[1])) == (entity_count, topic_count):
                found[item_id] = parts
            else:
                odd.append(item_id)
    for start in range(0, len(odd), 500):
        apart: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
        for item_id, slug, kind in session.execute(
            sa.select(table.c.item_id, table.c.slug, table.c.kind).where(
                table.c.item_id.in_(odd[start : start + 500]), counted
            )
        ):
            apart[item_id][0 if kind == "entity" else 1].add(slug)
        found.update({i: (frozenset(e), frozenset(t)) for i, (e, t) in apart.items()})
    return found
