"""A phrase's positions as sorted keys, and the keys two words share.

Word k of an n-word phrase at position p of document d becomes the key
``d << 32 | p + n - 1 - k``, so a phrase starting at s gives all its words
the same key; the phrase's documents are those of the keys every word has.
A posting list's positions are read block by block (each block's are one
compressed blob) and held as they are stored: each posting's positions in
a row (32 bits each), and how many each posting has; keys are made from
them for the documents a phrase asks about, and only then.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracker.search.codec import block_positions

Keys = NDArray[np.int64]
# Key arrays this many times longer than the other are searched, not merged.
MERGED = 16


def read(
    docnums: NDArray[np.int32], starts: NDArray[np.int64], values: Sequence[Any], blocks: list[int]
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.uint32]]:
    """The postings of `blocks` of a list: their docnums, how many positions each
    has, and all their positions in a row."""
    chosen = [values[block] for block in blocks]
    if all(isinstance(v, tuple) for v in chosen):  # this codec's: (compressed, byte sizes)
        packed = b"".join([zlib.decompress(v[0]) for v in chosen])
        sizes = [np.frombuffer(v[1], dtype=v[1].typecode) for v in chosen]
        per_posting = (np.concatenate(sizes) // 4).astype(np.int32)
    else:  # one value per posting, as whoosh's own blocks hold them
        read = [block_positions(v) for v in chosen]
        packed = b"".join(raw for raw, _counts in read)
        per_posting = np.concatenate([np.empty(0, np.intp), *(c for _raw, c in read)])
        per_posting = per_posting.astype(np.int32)
    positions = np.frombuffer(packed, dtype=np.uint32)
    if len(blocks) == len(starts):
        return docnums, per_posting, positions
    ends = np.append(starts[1:], len(docnums))
    return np.concatenate([docnums[starts[b] : ends[b]] for b in blocks]), per_posting, positions


def keys(
    docs: NDArray[np.int32],
    counts: NDArray[np.int32],
    positions: NDArray[np.uint32],
    wanted: NDArray[np.bool_] | None,
    extra: int,
) -> Keys:
    """``docnum << 32 | position + extra`` for each position of the `wanted`
    postings (every one when None), ascending."""
    if wanted is not None and not wanted.all():
        positions = positions[np.repeat(wanted, counts)]
        docs, counts = docs[wanted], counts[wanted]
    found = np.repeat((docs.astype(np.int64) << 32) + extra, counts)
    found += positions
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
