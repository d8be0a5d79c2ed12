"""A parsed query on one snapshot: which items match, and how well.

Matching is set algebra on bitmasks: every word, phrase, facet, bill and date
condition becomes a Python int with one bit per document, and AND, OR and NOT
are single C operations on them. Only then are the matches scored, with BM25
(k1 1.2, b 0.75) summed over every positive word in the title (boost 2) and
the text, so a phrase scores as the sum of its words, as in whoosh. Posting
lists are read as numpy arrays and scored in a few vector operations, so a
word found in half the corpus costs about as much as a rare one. The total
and the facet counts cover every match, exactly. (whoosh's matchers, which
walk postings one method call at a time, took 0.1 to 1 s a query at 100,000
items.)

Phrases are checked on positions: word k of an n-word phrase at position p
of document d becomes the key d<<32 | p+n-1-k, so a phrase starting at s
gives all its words the same key; sorted key arrays are intersected.

Dates become an OR of month bitmasks plus, for the two edge months, a check
of each document's publication minute.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracker.search.codec import block_positions
from tracker.search.highlight import Marks, analyzed
from tracker.search.querylang import AllOf, AnyOf, Field, Node, Not, ParsedQuery, Text
from tracker.search.results import Filters
from tracker.search.schema import FACET_FIELDS, bill_term, day_start_minute, month_bounds
from tracker.search.snapshot import Docnums, Snapshot, bitmask, bits_of

K1, B = 1.2, 0.75
BOOSTS = {"text": 1.0, "title": 2.0}
INDEX_FIELDS = {**FACET_FIELDS, "bill": "bill"}
NO_DOCS: Docnums = np.empty(0, dtype=np.int64)


@dataclass
class Evaluation:
    """Every match as a bitmask, their scores if the query had words, and notes.

    `scores` is one BM25 score per docnum of the snapshot (only those in
    `mask` mean anything). `facet_masks` holds, for each facet, the matches to
    count it over: for type and source (where several values mean any of
    them) that is the matches without the facet's own filter, so the other
    values stay offered; for topic and entity it is `mask`.
    """

    mask: int
    scores: NDArray[np.float64] | None
    marks: Marks = field(default_factory=Marks)
    notices: list[str] = field(default_factory=list)
    facet_masks: dict[str, int] = field(default_factory=dict)


@dataclass
class _Postings:
    """One term in one field: its documents, their frequencies, blocks for positions."""

    field: str
    weight: float
    docnums: Docnums
    freqs: NDArray[np.float64]
    blocks: list[tuple[Docnums, Any]]


def evaluate(parsed: ParsedQuery, filters: Filters, snap: Snapshot) -> Evaluation:
    """Run `parsed` narrowed by `filters` on `snap`."""
    ev = _Evaluator(snap)
    notices: list[str] = []
    conditions = _filter_masks(ev, filters, notices)
    after, before = _date_bounds(parsed, filters, notices)
    if after or before:
        conditions["dates"] = _date_mask(snap, after, before)
    found = ev.node(parsed.root) if parsed.root is not None else None
    base = snap.live if found is None else found & snap.live
    mask = _all_of(base, conditions.values())
    scores = ev.score() if ev.sources else None
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
    marks = Marks(frozenset(ev.words), frozenset(ev.phrases))
    return Evaluation(mask, scores, marks, notices, facet_masks)


def _all_of(mask: int, others: Iterable[int]) -> int:
    for other in others:
        mask &= other
    return mask


class _Evaluator:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.items = snap.live.bit_count()
        self.words: set[str] = set()  # searched alone: marked wherever they stand
        self.phrases: set[tuple[str, ...]] = set()  # marked only together
        self.ignored: list[str] = []
        self.missing: list[str] = []
        self.sources: dict[tuple[str, str], _Postings] = {}
        self._read: dict[tuple[str, str], _Postings] = {}

    def node(self, node: Node, negated: bool = False) -> int | None:
        """The documents matching `node` as a bitmask; None: no condition at all."""
        if isinstance(node, Text):
            return self.text(node, negated)
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

    def field(self, name: str, value: str, negated: bool = False) -> int:
        mask = self.snap.mask(INDEX_FIELDS[name], value)
        if not mask and not negated:
            self.missing.append(f"{name}:{value}")
        return mask

    def text(self, node: Text, negated: bool) -> int | None:
        words = analyzed(node.words)
        if not words:
            self.ignored.append(node.words)
            return None
        if not negated:
            if len(words) > 1:
                self.phrases.add(tuple(words))
            else:
                self.words.add(words[0])
        found = 0
        for name in BOOSTS:
            postings = [self.postings(name, word) for word in words]
            if not negated:
                self.sources.update(((name, w), p) for w, p in zip(words, postings, strict=True))
            docnums = _phrase(postings, self.snap.size) if len(words) > 1 else postings[0].docnums
            found |= bitmask(docnums, self.snap.size)
        return found

    def postings(self, name: str, term: str) -> _Postings:
        """A term's postings in one field, read once per query."""
        key = (name, term)
        if key not in self._read:
            frequency = self.snap.searcher.reader().doc_frequency(name, term)
            idf = math.log(1 + (self.items - frequency + 0.5) / (frequency + 0.5))
            docs, freqs, blocks = [], [], []
            for docnums, weights, values in self.snap.blocks(name, term):
                docs.append(docnums)
                freqs.append(_frequencies(weights, len(docnums)))
                blocks.append((docnums, values))
            self._read[key] = _Postings(
                name,
                BOOSTS[name] * idf,
                np.concatenate(docs) if docs else NO_DOCS,
                np.concatenate(freqs) if freqs else np.empty(0),
                blocks,
            )
        return self._read[key]

    def score(self) -> NDArray[np.float64]:
        """BM25 of every positive word, title and text, for every document."""
        scores = np.zeros(self.snap.size)
        for source in self.sources.values():
            if not len(source.docnums):
                continue
            norm = self.snap.norms(source.field, K1, B)[source.docnums]
            freqs = source.freqs
            # A term occurs once per document in a posting list: no repeated index.
            scores[source.docnums] += source.weight * (K1 + 1) * freqs / (freqs + norm)
        return scores


def _frequencies(weights: Any, count: int) -> NDArray[np.float64]:
    """A block's term frequencies: None means all 1, a float means all that."""
    if weights is None:
        return np.ones(count)
    if isinstance(weights, float):
        return np.full(count, weights)
    return np.asarray(weights, dtype=np.float64)


def _phrase(words: list[_Postings], size: int) -> Docnums:
    """Documents where the words occur one right after the other.

    Only documents holding every word are read; the rarest word's keys are
    intersected with each other word's in turn, as sorted arrays.
    """
    present = np.zeros(size, dtype=np.int32)
    for word in words:
        present[word.docnums] += 1
    candidates = present == len(words)
    if not candidates.any():
        return NO_DOCS
    keys: Docnums | None = None
    for k in sorted(range(len(words)), key=lambda k: len(words[k].docnums)):
        found = _position_keys(words[k], candidates, len(words) - 1 - k)
        if keys is None:
            keys = found
        else:
            at = np.searchsorted(found, keys)
            at[at == len(found)] = 0
            keys = keys[found[at] == keys] if len(found) else NO_DOCS
        if not len(keys):
            return NO_DOCS
    assert keys is not None
    docs = keys >> 32  # ascending, one entry per occurrence of the phrase
    return docs[np.concatenate(([True], docs[1:] != docs[:-1]))]


def _position_keys(word: _Postings, candidates: NDArray[np.bool_], extra: int) -> Docnums:
    """``docnum << 32 | position + extra`` for each position in a candidate document.

    Ascending: blocks come in docnum order and positions in order within a posting.
    """
    parts = []
    for docnums, values in word.blocks:
        wanted = candidates[docnums]
        if not wanted.any():
            continue
        positions, owners = block_positions(values)
        keep = wanted[owners]
        owners, positions = owners[keep], positions[keep]
        parts.append((docnums[owners] << 32) + positions.astype(np.int64) + extra)
    return np.concatenate(parts) if parts else NO_DOCS


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
