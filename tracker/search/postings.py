"""Posting lists as numpy arrays, and phrase checks on their positions.

Phrases are checked on positions: word k of an n-word phrase at position p
of document d becomes the key d<<32 | p+n-1-k, so a phrase starting at s
gives all its words the same key; sorted key arrays are intersected.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tracker.search import decoded
from tracker.search.decoded import Decoded
from tracker.search.snapshot import Docnums, Snapshot

NO_DOCS: Docnums = np.empty(0, dtype=np.int64)


class Postings:
    """One term in one field: the decoded postings of each segment holding it, and,
    read from them when first asked, its live documents (ascending) with their
    frequencies, or as a bitmask.

    A search that finds the term's scores and bitmask kept for the index
    generation (`ranking.term_scores`, `evaluate`) never puts the segments'
    lists together: at a million items a common word's are hundreds of
    thousands of postings per field.
    """

    def __init__(self, snap: Snapshot, field: str, segments: list[tuple[Decoded, int]]) -> None:
        self.snap, self.field, self.segments = snap, field, segments
        self._read: tuple[Docnums, NDArray[np.float64]] | None = None

    @property
    def docnums(self) -> Docnums:
        return self._live()[0]

    @property
    def freqs(self) -> NDArray[np.float64]:
        return self._live()[1]

    def _live(self) -> tuple[Docnums, NDArray[np.float64]]:
        if self._read is None:
            self._read = _live_postings(self.snap, self.segments)
        return self._read

    def mask(self) -> int:
        """The live documents holding the term, as a bitmask."""
        flags = np.zeros(self.snap.size, dtype=bool)
        for part, offset in self.segments:
            flags[part.docnums.astype(np.int64) + offset] = True
        every = int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")
        return every & self.snap.live

    def holds(self, docnum: int) -> bool:
        """Whether the (live) document `docnum` holds the term."""
        for part, offset in self.segments:
            local = docnum - offset
            at = int(np.searchsorted(part.docnums, local))
            if at < len(part.docnums) and int(part.docnums[at]) == local:
                return True
        return False


def read_postings(snap: Snapshot, field: str, term: str) -> Postings:
    """The postings of `term` in `field` (read from the segments as they are needed)."""
    return Postings(snap, field, decoded.segments(snap, field, term))


def _live_postings(
    snap: Snapshot, segments: list[tuple[Decoded, int]]
) -> tuple[Docnums, NDArray[np.float64]]:
    """Every posting in a live document, in docnum order: docnums and frequencies."""
    if not segments:
        return NO_DOCS, np.empty(0)
    every = np.concatenate([part.docnums.astype(np.int64) + offset for part, offset in segments])
    frequencies = np.concatenate([part.freqs for part, _offset in segments])
    live = snap.live_flags()[every]
    if not live.all():
        every, frequencies = every[live], frequencies[live]
    return every, frequencies


def phrase_docs(words: list[Postings], snap: Snapshot) -> Docnums:
    """Live documents where the words (postings of one field, in phrase order)
    occur one right after the other, ascending.

    Each segment holding every word is asked on its own (`decoded.phrase`,
    kept while the segment lives); deleted documents are then left out.
    """
    # Each word's decoded postings by segment (a segment's token and its offset).
    holding = [{_segment(part, offset): part for part, offset in word.segments} for word in words]
    found = []
    for part, offset in words[0].segments:
        parts = [kept.get(_segment(part, offset)) for kept in holding]
        if all(p is not None for p in parts):
            local = decoded.phrase(parts)  # type: ignore[arg-type]
            if len(local):
                found.append(local.astype(np.int64) + offset)
    if not found:
        return NO_DOCS
    docs = np.concatenate(found)
    live = snap.live_flags()[docs]
    return docs if live.all() else docs[live]


def _segment(part: Decoded, offset: int) -> tuple[int | None, int]:
    return (part.key[0] if part.key else None, offset)
