"""Group items about the same real-world happening into events.

Pure: `EventItem`s in, scores and event ids out; no I/O. The store keeps the
grouping and calls `assign` for each arriving item with the events that have
a member within `WINDOW` of it. `score` compares two items by the words of
their titles and texts, the entities and topics both carry and how far apart
they were published; `link` scores an item against an event (its best pair,
corroborated by the second best), and the best-linked event above `THRESHOLD`
takes the item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from tracker import (
    event_acts,
    event_conflicts,
    event_content,
    event_dates,
    event_figures,
    event_learned,
    event_names,
    event_objects,
    event_reactions,
    event_unlike,
)
from tracker.event_words import features as features  # re-exported: callers read it here
from tracker.types import DOC_TYPES

# Coverage of a happening follows it within days; a piece weeks later is a new
# happening (a follow-up, a critique) even when it uses the same words. Five
# days, not four: the Federal Register often prints a presidential memorandum
# four or five days after it is signed, and it is the same document.
WINDOW = timedelta(days=5)
# Reports that name the same act join across a longer span: a hearing notice a
# week before the hearing, the Federal Register printing of an order days later.
ACT_WINDOW = timedelta(days=10)
# The Federal Register prints an agency's rule or proposal one to three weeks after
# the agency adopted and announced it: the printing reaches back this far to that
# agency's release, and is scored with it as if the same day (the Register's delay
# says nothing about which act it prints; the FCC's orders print weeks after the vote).
PRINT_WINDOW = timedelta(days=21)
# An item joins an event when its `link` with it reaches this.
THRESHOLD = 0.25

# A second member that also resembles the item corroborates the first.
CORROBORATION = 0.25
# A third member that resembles it too, less so.
THIRD_CORROBORATION = 0.15
_SHARES = (1.0, CORROBORATION, THIRD_CORROBORATION)
# Corroboration lifts a near miss, not a faint likeness: an item whose best pair
# with an event scores under this (a column on export controls beside every
# report of a rule) takes that best pair alone, however many members it faintly resembles.
BEST_FLOOR = 0.21
# At the edge of the window a pair keeps this share of its content score.
FAR_FACTOR = 0.7
# Two reports naming the same act (a document number, a bill, a quoted official
# title) are one happening whatever their words: a title-only item joins.
SAME_ACT = 0.9
# Two reports naming different acts (two document numbers, a Senate and a House
# hearing, a rule and a request for comments) keep this share of their words' score.
DIFFERENT_ACTS = 0.25
# Two reports that say one actor did one kind of thing (Nvidia reported results;
# the committee held a hearing) gain this much: the headline alone can say it.
SAME_DEED = 0.2
# A report about a letter and one that never mentions a letter share words, not an act.
UNNAMED_LETTER = 0.5
# Two reports of one kind of act within a day, neither naming another actor, gain this.
SAME_KIND = 0.2
# Two reports within a day that write one name no other coverage uses (a model,
# a firm, a defendant) gain this: "Hands-on with Ark 5" and "Introducing Ark 5".
SAME_NAME = 0.2
# Two reports within days that give one figure ("$28 billion", "a 25% tariff") gain this.
SAME_FIGURE = 0.2
# A report that reacts to an act (a rebuke, a statement, a market move) gains this.
REACTION = 0.2
# Deeds done to a named party (a defendant, a licensee, a company reporting): reports
# that head with two different parties are about two deeds, however alike in kind.
OBJECT_DEEDS = frozenset({"charge", "results", "licence", "launch"})
# Deeds an actor does seldom enough that two reports of one within days are one.
RARE_DEEDS = frozenset({"results"})
# Coverage says what was done within days; a deed two weeks later is another.
DEED_GAP = timedelta(days=3)
# Any deed one actor is reported doing within a day is one deed, however long the reports.
SAME_DAY = timedelta(days=1)

# Official documents outrank a publisher's statement, which outranks coverage.
AUTHORITY: Mapping[str, int] = {
    "memo": 2,
    "executive-order": 2,
    "proclamation": 2,
    "notice": 2,
    "export-control": 2,
    "rule": 2,
    "bill": 2,
    "letter": 2,
    "hearing": 2,
    "report": 2,
    "press-release": 1,
    "news": 0,
}


@dataclass(frozen=True)
class EventItem:
    """What grouping needs of one stored item; `entities`/`topics` are slugs."""

    id: int
    title: str
    text: str
    entities: frozenset[str]
    topics: frozenset[str]
    published: datetime
    doc_type: str
    source: str
    url: str = ""
    # The links by which its summary names the document it reports (`tracker.event_links`).
    links: frozenset[str] = frozenset()
    # The agencies a Register document's own record names, as their feeds are named
    # (`tracker.event_register.of_record`); read only for the Register's documents.
    agencies: frozenset[str] = frozenset()

    def __hash__(self) -> int:
        # Grouping's caches key on items; hashing every field (the text among
        # them) per lookup cost more than a cache hit saved. Equal items still
        # compare by every field.
        return hash(self.id)

    def __post_init__(self) -> None:
        # Naive and aware datetimes cannot be subtracted; fail at the door, not mid-batch.
        if self.published.utcoffset() is None:
            raise ValueError(f"item {self.id}: published must be timezone-aware")
        if self.doc_type not in DOC_TYPES:
            raise ValueError(f"item {self.id}: unknown doc_type {self.doc_type!r}")

    @cached_property
    def act(self) -> event_acts.Act:
        """The act the report is about (`event_acts.act_of`), read once per item object.

        Scoring one arriving item asks for its act and each candidate's hundreds of
        times; an attribute costs less than a cached call keyed on four strings.
        """
        return event_acts.act_of(self.title, self.text, self.url, self.doc_type)

    @cached_property
    def conflicts(self) -> event_conflicts.Reading:
        """What `tracker.event_conflicts` reads of the report (its laws, its headline's
        periodic role, its bill's chamber, states and chambers, the goods it covers and
        whom its letter is to), read once per item object, as `act` is."""
        return event_conflicts.reading(self)


@dataclass(frozen=True)
class EventCandidate:
    """An existing event: its id and the items already in it."""

    event_id: int
    items: tuple[EventItem, ...]


def act(item: EventItem) -> event_acts.Act:
    """The act `item` reports, as `tracker.event_acts` reads it (`EventItem.act`)."""
    return item.act


def score(a: EventItem, b: EventItem) -> float:
    """How likely `a` and `b` report the same happening, in [0, 1].

    What identifies an act decides first (the same document, bill, quoted
    title: one happening; two different ones: not), then word overlap.
    0 beyond `WINDOW`, or beyond `ACT_WINDOW` for reports of the same act, or
    beyond `PRINT_WINDOW` for an agency's release and its Federal Register printing.
    """
    return _score(a, b, None)


def _score(a: EventItem, b: EventItem, relation: event_acts.Relation | None) -> float:
    """`score`, given the pair's `event_unlike.relation` when `link` has read it already."""
    gap = abs(when(a) - when(b))
    if gap > ACT_WINDOW and (gap > PRINT_WINDOW or not event_names.printing(a, b)):
        return 0.0
    if b.id < a.id:
        a, b = b, a  # one order of float sums, so score(a, b) == score(b, a) exactly
    if relation is None:
        relation = event_unlike.relation(a, b)
    if relation == "same":
        return SAME_ACT * (1.0 - 0.1 * (gap / ACT_WINDOW))  # nearer still ranks first
    if gap > WINDOW:
        if not event_names.printing(a, b):
            return 0.0
        gap = timedelta(0)  # the Register's delay says nothing about which act it prints
    content = event_content.content(a, b)
    if relation in ("different", "unlike"):
        content *= DIFFERENT_ACTS
    elif event_acts.unnamed_letter(a.act, b.act):
        content *= UNNAMED_LETTER
    elif gap <= DEED_GAP and _same_deed(a, b):
        content += 0.0 if _parties_apart(a, b) else SAME_DEED
    elif gap <= DEED_GAP and (event_dates.dated_to(a, b) or event_dates.dated_to(b, a)):
        content += SAME_DEED  # "the rule published September 28" beside that day's rule
    elif gap <= SAME_DAY and event_names.same_kind_unnamed(a, b):
        content += 0.0 if _parties_apart(a, b) else SAME_KIND
    elif event_reactions.reacts_to(b, a) or event_reactions.reacts_to(a, b):
        content += REACTION
    elif gap <= SAME_DAY and event_objects.shared_name(a, b):
        content += SAME_NAME
    elif gap <= DEED_GAP and event_figures.shared_figure(a, b):
        content += SAME_FIGURE
    nearness = 1.0 - (1.0 - FAR_FACTOR) * (gap / WINDOW)
    value = min(1.0, content * nearness)
    return event_learned.adjusted(a, b, value, relation, gap / timedelta(days=1))


def reach(item: EventItem) -> timedelta:
    """How far before an arriving report its act's other reports can be: weeks for a
    Register printing (its agency's release), `ACT_WINDOW` for any other."""
    return PRINT_WINDOW if event_names.in_register(item) else ACT_WINDOW


def when(item: EventItem) -> datetime:
    """When the act happened: the day a hearing notice names, else publication."""
    held = item.act.held_on
    if held is None or held <= item.published.date():
        return item.published
    return item.published.replace(year=held.year, month=held.month, day=held.day)


def _parties_apart(a: EventItem, b: EventItem) -> bool:
    """One kind of deed done to two named parties (two defendants, two licensees):
    the kind says nothing about whether it is one deed."""
    if not event_acts.shared_kinds(a.act, b.act) & OBJECT_DEEDS:
        return False
    return event_objects.named_apart(a, b)


def _same_deed(a: EventItem, b: EventItem) -> bool:
    """One actor did one kind of thing, and one report is short or the deed is rare
    (a company's results, a President's order): the headline alone can say it."""
    kinds = event_acts.shared_kinds(a.act, b.act)
    if not kinds:
        return False
    if kinds & {"order", "proclamation"}:
        return True  # coverage rarely tags the White House: the kind says who acted
    short = min(len(a.text), len(b.text)) < event_content.SHORT
    if bool(a.entities & b.entities) and (short or bool(kinds & RARE_DEEDS)):
        return True
    # Reported the same day by one actor, whether the taxonomy knows it or not.
    if abs(when(a) - when(b)) > SAME_DAY:
        return False
    shared = event_names.actors(a) & event_names.actors(b)
    if kinds & event_acts.CONGRESS_KINDS:
        return bool(shared)
    # A chamber alone says who acted only for what a chamber does (hearings, bills).
    return any(not who.startswith("chamber:") for who in shared)


def link(item: EventItem, members: Iterable[EventItem]) -> float:
    """The item's score with an event: its best pair, plus shares of its next two.

    0 if any member is outside `WINDOW`, unless a member is the same act
    (`ACT_WINDOW`) or the agency release the item prints (`PRINT_WINDOW`): then
    the far members (that act's coverage) are left out of the sum. A chain of
    coverage cannot drift from one happening to the next: only a named act, or
    the release a printing prints, reaches past `WINDOW`.
    """
    near, far_members, anchored = [], 0, False
    for member in members:
        relation = event_unlike.relation(item, member)
        if relation == "different":
            return 0.0  # an event is one act: a member shows this item is about another
        if relation == "same" or event_names.printing(item, member):
            anchored = True
        elif abs(when(item) - when(member)) > WINDOW:
            far_members += 1  # coverage of the act: weighed only if a member anchors it
            continue
        near.append((member, relation))
    if far_members and not anchored:
        return 0.0
    # Scored once nothing above has ruled the event out: most of a link's cost.
    values = [_score(item, member, relation) for member, relation in near]
    values.sort(reverse=True)
    if values and values[0] < BEST_FLOOR:
        return values[0]
    return min(1.0, sum(share * value for share, value in zip(_SHARES, values, strict=False)))


def assign(
    item: EventItem, events: Sequence[EventCandidate], threshold: float = THRESHOLD
) -> int | None:
    """The id of the event `item` belongs to, or None when it starts a new one.

    The best-linked event wins if it reaches `threshold`; on a tie, the first given.
    """
    best_id, best = None, 0.0
    for event in events:
        value = link(item, event.items)
        if value >= threshold and value > best:
            best_id, best = event.event_id, value
    return best_id


def group(items: Iterable[EventItem], threshold: float = THRESHOLD) -> list[list[int]]:
    """Item ids grouped into events, as the store builds them one arrival at a time.

    Items go in published order (then id), each scored only against the events
    its blocking keys find (`tracker.event_keys`), as in the store; events come
    out in order of their first item.
    """
    from tracker.event_keys import BlockingIndex  # it builds on this module's tokens

    events: list[list[EventItem]] = []
    index = BlockingIndex()
    for item in sorted(items, key=lambda i: (i.published, i.id)):
        candidates = [EventCandidate(n, tuple(events[n])) for n in sorted(index.events_for(item))]
        chosen = assign(item, candidates, threshold)
        if chosen is None:
            chosen = len(events)
            events.append([])
        events[chosen].append(item)
        index.add(item, chosen)
    return [[item.id for item in members] for members in events]


def headline_item(items: Iterable[EventItem]) -> EventItem:
    """The event's most authoritative item (earliest on a tie); its title is the headline."""
    ranked = sorted(items, key=lambda i: (-AUTHORITY[i.doc_type], i.published, i.id))
    if not ranked:
        raise ValueError("an event has at least one item")
    return ranked[0]


def event_date(items: Iterable[EventItem]) -> datetime:
    """When the event happened: its earliest item's published time."""
    return min(item.published for item in items)
