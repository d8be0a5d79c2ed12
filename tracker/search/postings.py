"""Posting lists as numpy arrays, and phrase checks on their positions.

Phrases are checked on positions: word k of an n-word phrase at position p
of document d becomes the key d<<32 | p+n-1-k, so a phrase starting at s
gives all its words the same key; sorted key arrays are intersected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tracker.search import decoded
from tracker.search.decoded import Decoded
from tracker.search.snapshot import Docnums, Snapshot

NO_DOCS: Docnums = np.empty(0, dtype=np.int64)


@dataclass
class Postings:
    """One term in one field: its live documents and their frequencies, and the
    decoded postings of each segment holding it (for positions)."""

    field: str
    docnums: Docnums
    freqs: NDArray[np.float64]
    segments: list[tuple[Decoded, int]]


def read_postings(snap: Snapshot, field: str, term: str) -> Postings:
    """All postings of `term` in `field` in live documents, in docnum order."""
    segments = decoded.segments(snap, field, term)
    if not segments:
        return Postings(field, NO_DOCS, np.empty(0), segments)
    every = np.concatenate([part.docnums.astype(np.int64) + offset for part, offset in segments])
    frequencies = np.concatenate([part.freqs for part, _offset in segments])
    live = snap.live_flags()[every]
    if not live.all():
        every, frequencies = every[live], frequencies[live]
    return Postings(field, every, frequencies, segments)


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
