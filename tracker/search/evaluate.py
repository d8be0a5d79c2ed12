"""A parsed query on one snapshot: which items match, as bitmasks.

Matching is set algebra on bitmasks: every word, phrase, facet, bill and date
condition becomes a Python int with one bit per document, and AND, OR and NOT
are single C operations on them. Posting lists are read as numpy arrays, so a
word found in half the corpus costs about as much as a rare one. The total
and the facet counts cover every match, exactly. (whoosh's matchers, which
walk postings one method call at a time, took 0.1 to 1 s a query at 100,000
items.) Scoring the matches is `ranking`'s business; this module hands it the
positive words' postings and, for each top-level part of the query, the
matches that carry what that part names.

When no item matches every part of a query of several parts, the items that
match the most parts are answered instead, with a notice saying so.

Dates become an OR of month bitmasks plus, for the two edge months, a check
of each document's publication minute.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from tracker.search.concepts import Concept, Named
from tracker.search.highlight import Marks, analyzed
from tracker.search.postings import Postings, phrase_docs, read_postings
from tracker.search.querylang import AllOf, AnyOf, Field, Node, Not, ParsedQuery, Text, render
from tracker.search.results import Filters
from tracker.search.schema import FACET_FIELDS, bill_term, day_start_minute, month_bounds
from tracker.search.snapshot import Snapshot, bitmask, bits_of, flags_of

TEXT_FIELDS = ("title", "text")
INDEX_FIELDS = {**FACET_FIELDS, "bill": "bill"}
# Words' and phrases' bitmasks kept per index generation, by field.
KEPT_MASKS = 128


@dataclass
class Part:
    """One top-level part of the query (what AND joins): its matches, and what it names.

    `carried` holds, for each concept the part names, the documents carrying
    it (tagged with it, of that type, from that source, about that bill);
    `confirmed`, those whose tag for it staff confirmed.
    """

    label: str
    mask: int
    carried: dict[Concept, int] = field(default_factory=dict)
    confirmed: int = 0
    worded: int = 0  # matches holding the part's words (not only what they name)


@dataclass
class Evaluation:
    """Every match as a bitmask, what ranking needs to score them, and notes.

    `words` holds the postings of every word searched for (not under NOT),
    by term and field; None when the query had no words, so there is nothing
    to rank by. `facet_masks` holds, for each facet, the matches to count it
    over: for type and source (where several values mean any of them) that
    is the matches without the facet's own filter, so the other values stay
    offered; for topic and entity it is `mask`. `partial` is (parts matched,
    parts) when no item matched them all.
    """

    mask: int
    words: dict[str, dict[str, Postings]] | None
    marks: Marks = field(default_factory=Marks)
    notices: list[str] = field(default_factory=list)
    facet_masks: dict[str, int] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)
    typed: dict[str, str] = field(default_factory=dict)
    partial: tuple[int, int] | None = None
    unknown: list[str] = field(default_factory=list)


def evaluate(
    root: Node | None, parsed: ParsedQuery, filters: Filters, snap: Snapshot
) -> Evaluation:
    """Run `root` (the parsed query, names resolved) narrowed by `filters` on `snap`."""
    ev = _Evaluator(snap)
    notices: list[str] = []
    conditions = _filter_masks(ev, filters, notices)
    after, before = _date_bounds(parsed, filters, notices)
    if after or before:
        conditions["dates"] = _date_mask(snap, after, before)
    parts, negated = ev.parts(root)
    found: int | None = None
    if parts or negated:
        found = _all_of(snap.live, [p.mask for p in parts])
        for docs in negated:
            found &= ~docs
    base = snap.live if found is None else found & snap.live
    mask = _all_of(base, conditions.values())
    partial = None
    if not mask and len(parts) > 1:
        mask, partial = _most_parts(snap, parts, negated, conditions.values())
        if partial:
            labels = ", ".join(p.label for p in parts)
            notices.append(
                f"No item matches all of {labels}; showing the items that match "
                f"{partial[0]} of these {partial[1]}."
            )
    if ev.ignored:
        words = ", ".join(repr(w) for w in ev.ignored)
        notices.append(f"Words too common to search for were left out: {words}.")
    if ev.missing:
        notices.append(f"No item matches {', '.join(ev.missing)}.")
    facet_masks = {
        name: _all_of(base, (m for key, m in conditions.items() if key != name))
        if name in conditions and not partial
        else mask
        for name in ("type", "topic", "entity", "source")
    }
    return Evaluation(
        mask,
        ev.scored or None,
        Marks(frozenset(ev.words), frozenset(ev.phrases)),
        notices,
        facet_masks,
        parts,
        ev.typed,
        partial,
        ev.unknown,
    )


def _all_of(mask: int, others: Iterable[int]) -> int:
    for other in others:
        mask &= other
    return mask


def _most_parts(
    snap: Snapshot, parts: list[Part], negated: list[int], conditions: Iterable[int]
) -> tuple[int, tuple[int, int] | None]:
    """The items matching the most parts (at least one), and how many that is."""
    allowed = _all_of(snap.live, conditions)
    for docs in negated:
        allowed &= ~docs
    counts = np.zeros(snap.size, dtype=np.int32)
    for part in parts:
        counts += flags_of(part.mask & allowed, snap.size)
    best = int(counts.max()) if snap.size else 0
    if best == 0:
        return 0, None
    return bitmask(np.flatnonzero(counts == best), snap.size), (best, len(parts))


class _Evaluator:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.words: set[str] = set()  # searched alone: marked wherever they stand
        self.phrases: set[tuple[str, ...]] = set()  # marked only together
        self.ignored: list[str] = []
        self.missing: list[str] = []
        self.unknown: list[str] = []  # words no item holds, as typed
        self.typed: dict[str, str] = {}  # term -> the word typed for it
        self.scored: dict[str, dict[str, Postings]] = {}
        self.worded: dict[int, int] = {}  # id of a Named -> items holding its words
        self._read: dict[tuple[str, str], Postings] = {}

    def parts(self, root: Node | None) -> tuple[list[Part], list[int]]:
        """The top-level parts' matches, and the documents each NOT leaves out."""
        children = root.nodes if isinstance(root, AllOf) else (() if root is None else (root,))
        parts: list[Part] = []
        negated: list[int] = []
        for child in children:
            if isinstance(child, Not):
                inner = self.node(child.node, True)
                if inner is not None:
                    negated.append(inner)
                continue
            found = self.node(child)
            if found is not None:
                parts.append(self._part(child, found))
        return parts, negated

    def _part(self, node: Node, mask: int) -> Part:
        part = Part(_label(node), mask, worded=self.worded.get(id(node), mask))
        for named in _named(node):
            for concept in named.concepts:
                carried = self.snap.mask(concept.index_field, concept.key)
                part.carried[concept] = part.carried.get(concept, 0) | carried
                if concept.kind in ("topic", "entity"):
                    part.confirmed |= self.snap.mask("confirmed", concept.key)
        return part

    def node(self, node: Node, negated: bool = False) -> int | None:
        """The documents matching `node` as a bitmask; None: no condition at all."""
        if isinstance(node, Text):
            return self.text(node, negated)
        if isinstance(node, Named):
            return self.named(node, negated)
        if isinstance(node, Field):
            return self.field(node.name, node.value, negated)
        if isinstance(node, Not):
            inner = self.node(node.node, not negated)
            return None if inner is None else self.snap.live & ~inner
        if isinstance(node, AnyOf):
            found = [d for d in (self.node(c, negated) for c in node.nodes) if d is not None]
            return _any_of(found) if found else None
        return self.all_of(node, negated)

    def all_of(self, node: AllOf, negated: bool) -> int | None:
        kept: list[int] = []
        dropped: list[int] = []
        for child in node.nodes:
            is_not = isinstance(child, Not)
            found = self.node(child.node if is_not else child, negated ^ is_not)  # type: ignore[union-attr]
            if found is not None:
                (dropped if is_not else kept).append(found)
        if not kept and not dropped:
            return None
        result = _all_of(kept[0], kept[1:]) if kept else self.snap.live
        for docs in dropped:
            result &= ~docs
        return result

    def named(self, node: Named, negated: bool) -> int:
        """Items holding all the words, or carrying one of the concepts they name.

        The words of a bill number are its spelling, not what an item is
        about: they match and are marked, but neither score nor count as words.
        """
        spelling = all(concept.kind == "bill" for concept in node.concepts)
        found = [self.text(w, negated, quiet=True, scored=not spelling) for w in node.words]
        held = [d for d in found if d is not None]
        mask = _all_of(held[0], held[1:]) if held else 0
        self.worded[id(node)] = 0 if spelling else mask
        for concept in node.concepts:
            mask |= self.snap.mask(concept.index_field, concept.key)
        return mask

    def field(self, name: str, value: str, negated: bool = False) -> int:
        mask = self.snap.mask(INDEX_FIELDS[name], value)
        if not mask and not negated:
            self.missing.append(f"{name}:{value}")
        return mask

    def text(
        self, node: Text, negated: bool, quiet: bool = False, scored: bool = True
    ) -> int | None:
        words = analyzed(node.words)
        if not words:
            if not quiet:
                self.ignored.append(node.words)
            return None
        if not negated:
            if len(words) > 1:
                self.phrases.add(tuple(words))
            else:
                self.words.add(words[0])
        found = 0
        for name in TEXT_FIELDS:
            postings = [self.postings(name, word) for word in words]
            if not negated and scored:
                for word, posting in zip(words, postings, strict=True):
                    self.scored.setdefault(word, {})[name] = posting
            found |= self.matching(name, words, postings)
        if not negated:
            for word in words:
                self.typed.setdefault(word, node.words)
            if not found and not node.phrase and not quiet:
                self.unknown.append(node.words)
        return found

    def matching(self, name: str, words: list[str], postings: list[Postings]) -> int:
        """The live documents holding the word, or the phrase, in one field.

        Kept for the index generation, the last `KEPT_MASKS`: a bitmask
        costs 125 KB at a million items, and making it a few milliseconds.
        """
        kept = self.snap.memo.setdefault("text masks", OrderedDict())
        key = (name, *words)
        found = kept.get(key)
        if found is None:
            if len(words) > 1:
                found = bitmask(phrase_docs(postings, self.snap), self.snap.size)
            else:
                found = postings[0].mask()
            kept[key] = found
            if len(kept) > KEPT_MASKS:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        return found  # type: ignore[no-any-return]

    def postings(self, name: str, term: str) -> Postings:
        """A term's postings in one field, read once per query."""
        key = (name, term)
        if key not in self._read:
            self._read[key] = read_postings(self.snap, name, term)
        return self._read[key]


def _named(node: Node) -> list[Named]:
    if isinstance(node, Named):
        return [node]
    if isinstance(node, AllOf | AnyOf):
        return [n for child in node.nodes for n in _named(child)]
    return []


def _label(node: Node) -> str:
    """The part as the query wrote it (names read as concepts written as typed)."""
    if isinstance(node, Named):
        return node.text
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_label(child) for child in node.nodes) + ")"
    if isinstance(node, AllOf):
        return "(" + " ".join(_label(child) for child in node.nodes) + ")"
    return render(node)


def _any_of(found: list[int]) -> int:
    mask = 0
    for docs in found:
        mask |= docs
    return mask


def _filter_masks(ev: _Evaluator, filters: Filters, notices: list[str]) -> dict[str, int]:
    """One bitmask per kind of filter: any of the types, any of the sources, ..."""
    masks: dict[str, int] = {}
    for name, values in (("type", filters.types), ("source", filters.sources)):
        if values:
            masks[name] = 0
            for value in values:
                masks[name] |= ev.field(name, value)
    for name, values in (("topic", filters.topics), ("entity", filters.entities)):
        if values:
            masks[name] = _all_of(-1, (ev.field(name, value) for value in values))
    if filters.bill:
        term = bill_term(filters.bill)
        if term is None:
            notices.append(f"{filters.bill!r} is not a bill number like 119-s-1705; ignored.")
        else:
            masks["bill"] = ev.field("bill", term)
    return masks


def _date_bounds(
    parsed: ParsedQuery, filters: Filters, notices: list[str]
) -> tuple[date | None, date | None]:
    afters = [d for d in (parsed.after, filters.date_from) if d]
    befores = [d for d in (parsed.before, filters.date_to) if d]
    after = max(afters) if afters else None
    before = min(befores) if befores else None
    if after and before and after > before:
        notices.append("The start date was after the end date, so the two were swapped.")
        after, before = before, after
    return after, before


def _date_mask(snap: Snapshot, after: date | None, before: date | None) -> int:
    """Documents published on or after `after` and on or before `before`."""
    low = f"{after:%Y-%m}" if after else ""
    high = f"{before:%Y-%m}" if before else "9999-99"
    months = snap.masks("month")
    mask = 0
    for key, month in months.items():
        if low <= key <= high:
            mask |= month
    edges = []
    if after and low in months and month_bounds(low)[0] != after:
        edges.append(low)
    if before and high in months and month_bounds(high)[1] != before:
        edges.append(high)
    first = day_start_minute(after) if after else None
    end = day_start_minute(before + timedelta(days=1)) if before else None
    minutes = snap.column("minute")
    for key in dict.fromkeys(edges):
        docs = bits_of(months[key], snap.size)
        seen = minutes[docs]
        outside = (seen < first if first is not None else False) | (
            seen >= end if end is not None else False
        )
        mask &= ~bitmask(docs[outside], snap.size)
    return mask
