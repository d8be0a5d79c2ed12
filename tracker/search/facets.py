"""Facet counts over every match: one AND and one popcount per value, in numpy.

A facet value's documents are a bitmask (`Snapshot.masks`). As Python ints,
ANDing two of a million bits and counting the result costs about 0.2 ms, so
the 80-odd values of the four facets cost some 18 ms a search at a million
items. Here each facet's values are laid out once per index generation as
rows of 64-bit words, and the matches are ANDed with each row and counted
with numpy's popcount, about five times faster.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from numpy.typing import NDArray

from tracker.search.schema import FACET_FIELDS
from tracker.search.snapshot import Snapshot

Words = NDArray[np.uint64]
# Sets of matches whose counts are remembered, per facet (a million items' set is
# 125 KB, and the key holds it).
KEPT_COUNTS = 32


def words_of(mask: int, size: int) -> Words:
    """`mask` as 64-bit words, enough for `size` bits (read only).

    Each word's byte order does not matter: both sides of an AND are read
    alike, and a popcount does not care where the bits are.
    """
    count = (size + 63) // 64
    return np.frombuffer(mask.to_bytes(count * 8, "little"), dtype=np.uint64)


def _rows(snap: Snapshot, field: str) -> tuple[list[str], Words]:
    """The values of `field` and their bitmasks as rows of words (per generation)."""
    key = f"facet rows: {field}"
    found = snap.memo.get(key)
    if found is None:
        masks = snap.masks(field)
        count = (snap.size + 63) // 64
        rows = np.zeros((len(masks), count), dtype=np.uint64)
        for row, mask in zip(rows, masks.values(), strict=True):
            row[:] = words_of(mask, snap.size)
        found = snap.memo[key] = (list(masks), rows)
    return found  # type: ignore[no-any-return]


def prepare(snap: Snapshot) -> None:
    """Lay out every facet's rows now (a worker warming up), not at the first search."""
    for field in FACET_FIELDS.values():
        _rows(snap, field)


def counts(snap: Snapshot, field: str, mask: int) -> list[tuple[str, int]]:
    """(value, documents of `mask` carrying it) for every value some match carries,
    most frequent first, then by value.

    The last `KEPT_COUNTS` sets of matches counted in this generation are
    remembered with their counts: the next page of a search, or the same
    search in the other order, has the same matches.
    """
    kept = snap.memo.setdefault(f"facet counts: {field}", OrderedDict())
    found = kept.get(mask)
    if found is None:
        found = kept[mask] = _counted(snap, field, mask)
        if len(kept) > KEPT_COUNTS:
            kept.popitem(last=False)
    else:
        kept.move_to_end(mask)
    return list(found)


def _counted(snap: Snapshot, field: str, mask: int) -> list[tuple[str, int]]:
    values, rows = _rows(snap, field)
    if not values or not mask:
        return []
    matches = words_of(mask, snap.size)
    anded = np.empty_like(matches)
    bits = np.empty(len(matches), dtype=np.uint8)
    found = []
    for value, row in zip(values, rows, strict=True):
        np.bitwise_and(row, matches, out=anded)
        count = int(np.bitwise_count(anded, out=bits).sum(dtype=np.int64))
        if count:
            found.append((value, count))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))
