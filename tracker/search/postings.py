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


def phrase_docs(words: list[Postings], size: int) -> Docnums:
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


def _position_keys(word: Postings, candidates: NDArray[np.bool_], extra: int) -> Docnums:
    """``docnum << 32 | position + extra`` for each position in a candidate document,
    ascending (segments come in docnum order)."""
    parts = [
        decoded.position_keys(part, offset, candidates, extra) for part, offset in word.segments
    ]
    return np.concatenate(parts) if parts else NO_DOCS
