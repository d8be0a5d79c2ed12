"""Posting lists decoded once per segment, and kept while they are read.

Reading a term's postings means unpickling each block of up to 1,024
postings, and a phrase's positions mean inflating each block's compressed
positions: at a million items a common word's lists are hundreds of blocks,
some 20 ms a word before anything is counted or scored. A segment never
changes once written (a new generation adds segments and marks deletions
apart), so what is decoded from one stays true for as long as the segment
lives: here it is kept, keyed by segment, field and term, the least
recently read dropped first once `BUDGET` bytes are held. A new generation
that keeps the large segment keeps what was decoded from it.

Positions are decoded whole (`positions.read`: every posting's in a row, 4
bytes each, and where each posting's start) when a phrase needs at least a
quarter of a list's blocks; fewer blocks are opened one by one and not kept.

A phrase's documents in a segment are kept the same way, under the segment,
the field and the phrase's terms (`phrase`): at a million items a common
two-word phrase means intersecting some 400,000 positions of each word in
each field, about 40 ms, and what it finds stays true while the segment
lives. Deletions are applied by the reader, as for postings.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracker.search import positions
from tracker.search.codec import ArrayLeafMatcher
from tracker.search.snapshot import (
    SEGMENTS_GONE,
    Docnums,
    SegmentFacts,
    Snapshot,
    matcher_blocks,
    postings_of,
)

# Bytes of decoded postings a process keeps (each gunicorn worker has its own).
BUDGET = 96 * 2**20
_lock = threading.Lock()
Key = tuple[int, str, str]  # segment's token, field, term (or a phrase's terms)
# Phrases are filed under their terms joined by a character no term holds.
PHRASE_JOIN = "\x1f"
_kept: OrderedDict[Key, tuple[Kept, int]] = OrderedDict()  # with its size when kept
_held = 0


@dataclass(eq=False)
class Decoded:
    """One term's postings in one segment, docnums local to the segment.

    Every posting is here, deleted documents' too; `starts` says where each
    block starts and `values` holds each block's raw (compressed) positions.
    """

    docnums: NDArray[np.int32]
    freqs: NDArray[np.float64]
    starts: Docnums
    values: list[Any]
    # Once read whole: every posting's positions in a row, and where each one's start
    # (and, one more, where the last one's end).
    positions: NDArray[np.uint32] | None = field(default=None)
    bounds: NDArray[np.int64] | None = field(default=None)
    key: Key | None = None

    @property
    def nbytes(self) -> int:
        found = self.docnums.nbytes + self.freqs.nbytes + self.starts.nbytes
        found += sum(_raw_size(v) for v in self.values)
        if self.positions is not None and self.bounds is not None:
            found += self.positions.nbytes + self.bounds.nbytes
        return found


@dataclass(eq=False)
class Phrase:
    """The documents of one segment holding a phrase in one field (local docnums,
    ascending, deleted documents' too)."""

    docnums: NDArray[np.int32]
    key: Key

    @property
    def nbytes(self) -> int:
        return self.docnums.nbytes


Kept = Decoded | Phrase


def _raw_size(values: Any) -> int:
    if isinstance(values, tuple):
        return len(values[0]) + values[1].itemsize * len(values[1])
    return sum(len(v) for v in values)


def segments(snap: Snapshot, name: str, term: str) -> list[tuple[Decoded, int]]:
    """(decoded postings, docnum offset) of each segment holding the term."""
    found = []
    for leaf, offset in zip(snap.leaves, snap.offsets, strict=True):
        if (name, term) in leaf.reader:
            found.append((_decoded(leaf, name, term), offset))
    return found


def _decoded(leaf: SegmentFacts, name: str, term: str) -> Decoded:
    key = (leaf.token, name, term)
    with _lock:
        known = _kept.get(key)
        if known is not None:
            _kept.move_to_end(key)
            assert isinstance(known[0], Decoded)  # no term holds PHRASE_JOIN
            return known[0]
    decoded = _decode(leaf, name, term)
    decoded.key = key
    _keep(decoded)
    return decoded


def _decode(leaf: SegmentFacts, name: str, term: str) -> Decoded:
    matcher = postings_of(leaf.reader, name, term)
    whole = matcher.whole(0) if isinstance(matcher, ArrayLeafMatcher) else None
    if whole is not None:
        docnums, freqs, starts, _weights, values = whole
        return Decoded(docnums.astype(np.int32), freqs, starts, values)
    docs, counts, firsts, raws = [], [], [], []
    at = 0
    for block, weights, raw in matcher_blocks(matcher, 0):
        if not len(block):
            continue
        docs.append(block)
        counts.append(_frequencies(weights, len(block)))
        firsts.append(at)
        raws.append(raw)
        at += len(block)
    if not docs:
        empty = np.empty(0, dtype=np.int64)
        return Decoded(empty.astype(np.int32), np.empty(0), empty, [])
    return Decoded(
        np.concatenate(docs).astype(np.int32),
        np.concatenate(counts),
        np.asarray(firsts, dtype=np.int64),
        raws,
    )


def _frequencies(weights: Any, count: int) -> NDArray[np.float64]:
    """A block's term frequencies: None means all 1, a float means all that."""
    if weights is None:
        return np.ones(count)
    if isinstance(weights, float):
        return np.full(count, weights)
    return np.asarray(weights, dtype=np.float64)


def _keep(decoded: Kept) -> None:
    """Keep `decoded` (again, at its present size), the least recently read going first."""
    global _held
    assert decoded.key is not None
    size = decoded.nbytes
    with _lock:
        old = _kept.pop(decoded.key, None)
        if old is not None:
            _held -= old[1]
        if size > BUDGET:
            return
        _kept[decoded.key] = (decoded, size)
        _held += size
        while _held > BUDGET:
            _key, (_dropped, dropped_size) = _kept.popitem(last=False)
            _held -= dropped_size


def phrase(parts: list[Decoded]) -> NDArray[np.int32]:
    """The documents of one segment where `parts` (the phrase's words' postings in
    that segment, in phrase order, all of one field) stand one right after the
    other; worked out once while the segment lives."""
    keys = [part.key for part in parts]
    assert all(keys) and len({k[:2] for k in keys if k}) == 1
    token, name, _term = keys[0]  # type: ignore[misc]
    key = (token, name, PHRASE_JOIN.join(k[2] for k in keys if k))
    with _lock:
        known = _kept.get(key)
        if known is not None:
            _kept.move_to_end(key)
            return known[0].docnums
    found = Phrase(_phrase(parts), key)
    _keep(found)
    return found.docnums


def _phrase(parts: list[Decoded]) -> NDArray[np.int32]:
    """Local docnums where the words of `parts` occur in order, ascending.

    Only documents holding every word are read (`positions.phrase_documents`).
    """
    none = np.empty(0, dtype=np.int32)
    if not all(len(part.docnums) for part in parts):
        return none
    size = max(int(part.docnums[-1]) for part in parts) + 1
    candidates = np.zeros(size, dtype=bool)
    candidates[parts[0].docnums] = True
    for part in parts[1:]:
        held = np.zeros(size, dtype=bool)
        held[part.docnums] = True
        candidates &= held
    if not candidates.any():
        return none
    return positions.phrase_documents([_candidate_positions(part, candidates) for part in parts])


def forget(tokens: list[int]) -> None:
    """Drop what was decoded from segments no longer read."""
    global _held
    gone = set(tokens)
    with _lock:
        for key in [k for k in _kept if k[0] in gone]:
            _held -= _kept.pop(key)[1]


SEGMENTS_GONE.append(forget)


def _candidate_positions(decoded: Decoded, candidates: NDArray[np.bool_]) -> positions.Held:
    """The postings of `decoded` in candidate documents, with their positions."""
    wanted = candidates[decoded.docnums]
    if decoded.positions is None:
        blocks = np.flatnonzero(np.logical_or.reduceat(wanted, decoded.starts)).tolist()
        if len(blocks) * 4 < len(decoded.starts):  # a few blocks: open just those
            docs, bounds, found = positions.read(
                decoded.docnums, decoded.starts, decoded.values, blocks
            )
            return positions.held(docs, bounds, found, candidates[docs])
        every = list(range(len(decoded.starts)))
        _docs, decoded.bounds, decoded.positions = positions.read(
            decoded.docnums, decoded.starts, decoded.values, every
        )
        decoded.values = []  # what they were read from is not read again
        _keep(decoded)
    assert decoded.bounds is not None
    return positions.held(decoded.docnums, decoded.bounds, decoded.positions, wanted)
