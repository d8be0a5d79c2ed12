"""Posting lists as numpy arrays, and phrase checks on their positions.

Phrases are checked on positions: word k of an n-word phrase at position p
of document d becomes the key d<<32 | p+n-1-k, so a phrase starting at s
gives all its words the same key; sorted key arrays are intersected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracker.search.codec import ArrayLeafMatcher, block_positions
from tracker.search.snapshot import Docnums, Snapshot, matcher_blocks

NO_DOCS: Docnums = np.empty(0, dtype=np.int64)


@dataclass
class Postings:
    """One term in one field: its documents, their frequencies, blocks for positions."""

    field: str
    docnums: Docnums
    freqs: NDArray[np.float64]
    blocks: list[tuple[Docnums, Any]]


def read_postings(snap: Snapshot, field: str, term: str) -> Postings:
    """All postings of `term` in `field` in live documents, in docnum order.

    `blocks` keep the postings of deleted documents too; `phrase_docs` only
    looks at documents in `docnums`.
    """
    docs: list[Docnums] = []
    freqs: list[NDArray[np.float64]] = []
    blocks: list[tuple[Docnums, Any]] = []
    for matcher, offset in snap.matchers(field, term):
        whole = matcher.whole(offset) if isinstance(matcher, ArrayLeafMatcher) else None
        if whole is not None:  # the whole list at once: one array operation, not one a block
            docs.append(whole[0])
            freqs.append(whole[1])
            blocks.extend((docnums, values) for docnums, _weights, values in whole[2])
            continue
        for docnums, weights, values in matcher_blocks(matcher, offset):
            docs.append(docnums)
            freqs.append(_frequencies(weights, len(docnums)))
            blocks.append((docnums, values))
    if not docs:
        return Postings(field, NO_DOCS, np.empty(0), blocks)
    every, frequencies = np.concatenate(docs), np.concatenate(freqs)
    live = snap.live_flags()[every]
    if not live.all():
        every, frequencies = every[live], frequencies[live]
    return Postings(field, every, frequencies, blocks)


def _frequencies(weights: Any, count: int) -> NDArray[np.float64]:
    """A block's term frequencies: None means all 1, a float means all that."""
    if weights is None:
        return np.ones(count)
    if isinstance(weights, float):
        return np.full(count, weights)
    return np.asarray(weights, dtype=np.float64)


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
