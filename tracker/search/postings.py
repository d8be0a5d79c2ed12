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
    """One term in one field: its live documents and their frequencies, and every
    posting's document (deleted ones too) with its block's raw values, for positions.

    `every` is in block order (ascending); `starts` says where each block starts
    in it, and `values` holds each block's raw values.
    """

    field: str
    docnums: Docnums
    freqs: NDArray[np.float64]
    every: Docnums
    starts: Docnums
    values: list[Any]


def read_postings(snap: Snapshot, field: str, term: str) -> Postings:
    """All postings of `term` in `field` in live documents, in docnum order.

    `every` keeps the postings of deleted documents too; `phrase_docs` only
    looks at documents in `docnums`.
    """
    docs: list[Docnums] = []
    freqs: list[NDArray[np.float64]] = []
    starts: list[Docnums] = []
    values: list[Any] = []
    count = 0
    for matcher, offset in snap.matchers(field, term):
        whole = matcher.whole(offset) if isinstance(matcher, ArrayLeafMatcher) else None
        if whole is not None:  # the whole list at once: one array operation, not one a block
            docs.append(whole[0])
            freqs.append(whole[1])
            starts.append(whole[2] + count)
            values.extend(whole[4])
            count += len(whole[0])
            continue
        for docnums, weights, raw in matcher_blocks(matcher, offset):
            if not len(docnums):
                continue
            docs.append(docnums)
            freqs.append(_frequencies(weights, len(docnums)))
            starts.append(np.array([count], dtype=np.int64))
            values.append(raw)
            count += len(docnums)
    if not docs:
        return Postings(field, NO_DOCS, np.empty(0), NO_DOCS, NO_DOCS, [])
    every, frequencies = np.concatenate(docs), np.concatenate(freqs)
    live = snap.live_flags()[every]
    docnums = every
    if not live.all():
        docnums, frequencies = every[live], frequencies[live]
    return Postings(field, docnums, frequencies, every, np.concatenate(starts), values)


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

    Ascending: blocks come in docnum order and positions in order within a
    posting. Only blocks holding a candidate are opened, and all of them are
    then handled as one array (a block is 1,024 postings or fewer, and numpy's
    cost per call would otherwise dominate).
    """
    every = word.every
    if not len(every):
        return NO_DOCS
    wanted = candidates[every]
    blocks = np.flatnonzero(np.logical_or.reduceat(wanted, word.starts))
    if not len(blocks):
        return NO_DOCS
    ends = np.append(word.starts[1:], len(every))
    raw, counts = [], []
    for block in blocks.tolist():
        packed, per_posting = block_positions(word.values[block])
        raw.append(packed)
        counts.append(per_posting)
    positions = np.frombuffer(b"".join(raw), dtype=np.uint32)
    lengths = ends[blocks] - word.starts[blocks]
    # The index in `every` of each posting of the opened blocks, in order.
    postings = np.repeat(word.starts[blocks] - np.cumsum(lengths) + lengths, lengths)
    postings += np.arange(len(postings))
    owners = np.repeat(postings, np.concatenate(counts))
    keep = wanted[owners]
    return (every[owners[keep]] << 32) + positions[keep].astype(np.int64) + extra
