"""Where a phrase's words stand one right after the other: positions read, compared.

A posting list's positions are read block by block (each block's are one
compressed blob) and held as they are stored: every posting's positions in
a row, 32 bits each, and where each posting's run starts and ends (`read`).
A phrase asks about the documents holding all its words. Where each word's
first position lines up, the document holds the phrase: a phrase's words
are often found only in the phrase. The other documents' positions become
keys: word k of an n-word phrase at position p of document d becomes
``d << 32 | p + n - 1 - k``, so a phrase starting at s gives all its words
the same key, and the keys every word has are the phrase's.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracker.search.codec import block_positions

Keys = NDArray[np.int64]
Positions = NDArray[np.uint32]
# Postings with their positions: docnums, where each one's run of positions starts
# and ends in the positions, and the positions (of these postings and maybe others).
Held = tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.int64], Positions]
# Key arrays this many times longer than the other are searched, not merged.
MERGED = 16


def read(
    docnums: NDArray[np.int32], starts: NDArray[np.int64], values: Sequence[Any], blocks: list[int]
) -> tuple[NDArray[np.int32], NDArray[np.int64], Positions]:
    """The postings of `blocks` of a list: their docnums, where each one's positions
    start (and, one more, where the last one's end), and the positions in a row."""
    chosen = [values[block] for block in blocks]
    if all(isinstance(v, tuple) for v in chosen):  # this codec's: (compressed, byte sizes)
        packed = b"".join([zlib.decompress(v[0]) for v in chosen])
        sizes = [np.frombuffer(v[1], dtype=v[1].typecode) for v in chosen]
        counts = np.concatenate([np.empty(0, np.int64), *sizes]) // 4
    else:  # one value per posting, as whoosh's own blocks hold them
        read = [block_positions(v) for v in chosen]
        packed = b"".join(raw for raw, _counts in read)
        counts = np.concatenate([np.empty(0, np.intp), *(c for _raw, c in read)])
    bounds = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    positions = np.frombuffer(packed, dtype=np.uint32)
    if len(blocks) == len(starts):
        return docnums, bounds, positions
    ends = np.append(starts[1:], len(docnums))
    return np.concatenate([docnums[starts[b] : ends[b]] for b in blocks]), bounds, positions


def held(
    docs: NDArray[np.int32],
    bounds: NDArray[np.int64],
    positions: Positions,
    wanted: NDArray[np.bool_],
) -> Held:
    """The `wanted` postings of what `read` gave, with their positions."""
    if wanted.all():
        return docs, bounds[:-1], bounds[1:], positions
    at = np.flatnonzero(wanted)
    return docs[at], bounds[at], bounds[at + 1], positions


def phrase_documents(words: list[Held]) -> NDArray[np.int32]:
    """The documents where the words (their postings in the same documents, in
    phrase order) stand one right after the other, ascending."""
    docs, last = words[0][0], len(words) - 1
    firsts = []
    for k, (_docs, low, high, positions) in enumerate(words):
        if (high > low).all():
            firsts.append(positions[low].astype(np.int64) + (last - k))
        else:  # a posting without positions lines up with nothing
            first = positions[np.minimum(low, len(positions) - 1)].astype(np.int64) + (last - k)
            firsts.append(np.where(high > low, first, -1 - k))
    lined_up = np.logical_and.reduce([firsts[0] == f for f in firsts[1:]])
    rest = ~lined_up
    if rest.any():
        keys: Keys | None = None
        counts = [(high - low)[rest].sum() for _docs, low, high, _positions in words]
        for k in sorted(range(len(words)), key=lambda k: int(counts[k])):
            docs_k, low, high, positions = words[k]
            found = _keys(docs_k[rest], low[rest], high[rest], positions, last - k)
            keys = found if keys is None else common(keys, found)
            if not len(keys):
                break
        if keys is not None and len(keys):
            lined_up[np.searchsorted(docs, documents(keys))] = True
    return docs[lined_up]


def _keys(
    docs: NDArray[np.int32],
    low: NDArray[np.int64],
    high: NDArray[np.int64],
    positions: Positions,
    extra: int,
) -> Keys:
    """``docnum << 32 | position + extra`` for each position of the postings, ascending."""
    counts = high - low
    if not len(counts):
        return np.empty(0, dtype=np.int64)
    # The index of each of the postings' positions in `positions`, in order.
    at = np.repeat(low - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
    found = np.repeat((docs.astype(np.int64) << 32) + extra, counts)
    found += positions[at]
    return found


def common(keys: Keys, found: Keys) -> Keys:
    """The keys in both sorted arrays of distinct keys, ascending.

    Looking each key up costs a binary search in the other array; when both
    are long (a common phrase at a million items: hundreds of thousands of
    positions each) one merge is several times faster: a stable sort of the
    two arrays end to end merges two sorted runs, and a key in both stands
    twice in a row.
    """
    if not len(keys) or not len(found):
        return keys[:0]
    if len(keys) * MERGED < len(found) or len(found) * MERGED < len(keys):
        small, large = (keys, found) if len(keys) < len(found) else (found, keys)
        at = np.searchsorted(large, small)
        at[at == len(large)] = 0
        return small[large[at] == small]
    both = np.concatenate((keys, found))
    both.sort(kind="stable")
    return both[1:][both[1:] == both[:-1]]


def documents(keys: Keys) -> NDArray[np.int32]:
    """The distinct documents of sorted keys, ascending."""
    docs = keys >> 32
    return docs[np.concatenate(([True], docs[1:] != docs[:-1]))].astype(np.int32)
