"""A parsed query on one snapshot: which items match, and how well.

Matching comes first and is pure set algebra: words and phrases give Python
sets of docnums, facet, bill and date conditions give int bitmasks, and AND,
OR and NOT combine them in C. Only the final matches are then scored, with
BM25 (k1 1.2, b 0.75) summed over every positive word in the title (boost 2)
and the text, so a phrase scores as the sum of its words, as in whoosh. The
total and the facet counts cover every match, exactly. (whoosh's matchers,
which walk postings one method call at a time, took 0.1 to 1 s a query at
100,000 items.)

Dates become an OR of month bitmasks plus, for the two edge months, a check
of each document's publication minute.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain, repeat
from operator import rshift
from typing import Any

from tracker.search.codec import position_keys
from tracker.search.highlight import analyzed
from tracker.search.querylang import AllOf, AnyOf, Field, Node, Not, ParsedQuery, Text
from tracker.search.results import Filters
from tracker.search.schema import FACET_FIELDS, bill_term, day_start_minute, month_bounds
from tracker.search.snapshot import Snapshot, bitmask, bits_of

K1, B = 1.2, 0.75
BOOSTS = {"text": 1.0, "title": 2.0}
INDEX_FIELDS = {**FACET_FIELDS, "bill": "bill"}
Docs = set[int] | int


@dataclass
class Evaluation:
    """Every match as a bitmask, their scores if the query had words, and notes.

    `facet_masks` holds, for each facet, the matches to count it over: for
    type and source (where several values mean any of them) that is the
    matches without the facet's own filter, so the other values stay
    offered; for topic and entity it is `mask`.
    """

    mask: int
    scores: dict[int, float] | None
    terms: frozenset[str] = frozenset()
    notices: list[str] = field(default_factory=list)
    facet_masks: dict[str, int] = field(default_factory=dict)


@dataclass
class _Postings:
    """One term in one field: frequency by docnum, and its blocks for positions."""

    field: str
    weight: float
    freqs: dict[int, float]
    blocks: list[tuple[list[int], Any]]


def evaluate(parsed: ParsedQuery, filters: Filters, snap: Snapshot) -> Evaluation:
    """Run `parsed` narrowed by `filters` on `snap`."""
    ev = _Evaluator(snap)
    notices: list[str] = []
    conditions = _filter_masks(ev, filters, notices)
    after, before = _date_bounds(parsed, filters, notices)
    if after or before:
        conditions["dates"] = _date_mask(snap, after, before)
    found = ev.node(parsed.root) if parsed.root is not None else None
    if found is None or isinstance(found, int):
        base = snap.live if found is None else found & snap.live
    else:
        base = bitmask(found, snap.size) & snap.live
    mask = _all_of(base, conditions.values())
    scores = None
    if isinstance(found, set):
        if mask != base or snap.has_deletions:
            found = set(bits_of(mask))
        scores = ev.score(found)
    if ev.ignored:
        words = ", ".join(repr(w) for w in ev.ignored)
        notices.append(f"Words too common to search for were left out: {words}.")
    if ev.missing:
        notices.append(f"No item matches {', '.join(ev.missing)}.")
    facet_masks = {
        name: _all_of(base, (m for key, m in conditions.items() if key != name))
        if name in conditions
        else mask
        for name in ("type", "topic", "entity", "source")
    }
    return Evaluation(mask, scores, frozenset(ev.terms), notices, facet_masks)


def _all_of(mask: int, others: Iterable[int]) -> int:
    for other in others:
        mask &= other
    return mask


class _Evaluator:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.items = snap.live.bit_count()
        self.terms: set[str] = set()
        self.ignored: list[str] = []
        self.missing: list[str] = []
        self.sources: dict[tuple[str, str], _Postings] = {}
        self._read: dict[tuple[str, str], _Postings] = {}

    def node(self, node: Node, negated: bool = False) -> Docs | None:
        if isinstance(node, Text):
            return self.text(node, negated)
        if isinstance(node, Field):
            return self.field(node.name, node.value, negated)
        if isinstance(node, Not):
            inner = self.node(node.node, not negated)
            return None if inner is None else _minus(self.snap.live, inner)
        if isinstance(node, AnyOf):
            found = [d for d in (self.node(c, negated) for c in node.nodes) if d is not None]
            return _union(found) if found else None
        return self.all_of(node, negated)

    def all_of(self, node: AllOf, negated: bool) -> Docs | None:
        kept: list[Docs] = []
        dropped: list[Docs] = []
        for child in node.nodes:
            is_not = isinstance(child, Not)
            found = self.node(child.node if is_not else child, negated ^ is_not)  # type: ignore[union-attr]
            if found is not None:
                (dropped if is_not else kept).append(found)
        if not kept and not dropped:
            return None
        result = _intersection(kept) if kept else self.snap.live
        for docs in dropped:
            result = _minus(result, docs)
        return result

    def field(self, name: str, value: str, negated: bool = False) -> int:
        mask = self.snap.mask(INDEX_FIELDS[name], value)
        if not mask and not negated:
            self.missing.append(f"{name}:{value}")
        return mask

    def text(self, node: Text, negated: bool) -> set[int] | None:
        words = analyzed(node.words)
        if not words:
            self.ignored.append(node.words)
            return None
        found: set[int] = set()
        for name in BOOSTS:
            postings = [self.postings(name, word) for word in words]
            if not negated:
                self.terms.update(words)
                self.sources.update(((name, w), p) for w, p in zip(words, postings, strict=True))
            found |= _phrase(postings) if len(words) > 1 else set(postings[0].freqs)
        return found

    def postings(self, name: str, term: str) -> _Postings:
        """A term's postings in one field, read once per query."""
        key = (name, term)
        if key not in self._read:
            frequency = self.snap.searcher.reader().doc_frequency(name, term)
            idf = math.log(1 + (self.items - frequency + 0.5) / (frequency + 0.5))
            freqs: dict[int, float] = {}
            blocks = []
            for docnums, weights, values in self.snap.blocks(name, term):
                frequencies = repeat(1.0) if weights is None else _many(weights)
                freqs.update(zip(docnums, frequencies, strict=False))
                blocks.append((docnums, values))
            self._read[key] = _Postings(name, BOOSTS[name] * idf, freqs, blocks)
        return self._read[key]

    def score(self, found: set[int]) -> dict[int, float]:
        """BM25 of every positive word, title and text, for each document in `found`."""
        scores = dict.fromkeys(found, 0.0)
        for source in self.sources.values():
            norm = self.snap.norms(source.field, K1, B)
            freqs, weight = source.freqs, source.weight * (K1 + 1)
            for docnum in found.intersection(freqs):
                frequency = freqs[docnum]
                scores[docnum] += weight * frequency / (frequency + norm[docnum])
        return scores


def _many(weights: Any) -> Any:
    return repeat(weights) if isinstance(weights, float) else weights


def _phrase(words: list[_Postings]) -> set[int]:
    """Documents where the words occur one right after the other.

    Word k at position p of document d becomes the key d<<32 | p+n-1-k: a
    phrase starting at s gives every word the same key, d<<32 | s+n-1. The
    rarest word's keys make a set; the other words' keys only probe it.
    """
    candidates = set(min(words, key=lambda w: len(w.freqs)).freqs)
    for word in words:
        candidates.intersection_update(word.freqs)
    if not candidates:
        return candidates
    order = sorted(range(len(words)), key=lambda k: len(words[k].freqs))
    keys: set[int] = set()
    for k in order:
        extra = len(words) - 1 - k
        found = chain.from_iterable(
            position_keys(docnums, values, extra)
            for docnums, values in words[k].blocks
            if not candidates.isdisjoint(docnums)
        )
        keys = keys.intersection(found) if keys else set(found)
        if not keys:
            return set()
    return set(map(rshift, keys, repeat(32)))


def _intersection(found: list[Docs]) -> Docs:
    masks = [d for d in found if isinstance(d, int)]
    sets = sorted((d for d in found if isinstance(d, set)), key=len)
    mask = -1
    for m in masks:
        mask &= m
    if not sets:
        return mask
    result = set(sets[0])
    for other in sets[1:]:
        result.intersection_update(other)
    if masks:
        result.intersection_update(bits_of(mask & bitmask(result, max(result, default=0) + 1)))
    return result


def _union(found: list[Docs]) -> Docs:
    mask = 0
    for m in (d for d in found if isinstance(d, int)):
        mask |= m
    sets = [d for d in found if isinstance(d, set)]
    if not sets:
        return mask
    result = set().union(*sets)
    result.update(bits_of(mask))
    return result


def _minus(found: Docs, gone: Docs) -> Docs:
    if isinstance(found, set):
        return found - (gone if isinstance(gone, set) else set(bits_of(gone)))
    if isinstance(gone, set):
        return found & ~bitmask(gone, max(gone, default=0) + 1)
    return found & ~gone


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
    for key, docs in months.items():
        if low <= key <= high:
            mask |= docs
    edges = []
    if after and low in months and month_bounds(low)[0] != after:
        edges.append(low)
    if before and high in months and month_bounds(high)[1] != before:
        edges.append(high)
    first = day_start_minute(after) if after else None
    end = day_start_minute(before + timedelta(days=1)) if before else None
    minutes = snap.column("minute")
    outside = [
        d
        for key in dict.fromkeys(edges)
        for d in bits_of(months[key])
        if (first is not None and minutes[d] < first) or (end is not None and minutes[d] >= end)
    ]
    return mask & ~bitmask(outside, snap.size)
