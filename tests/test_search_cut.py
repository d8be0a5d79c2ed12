"""A page's cut among hundreds of thousands of matches, found from a sample first,
is the cut a full partition finds: ties, tiers and spread-out scores alike; and a
bitmask read at the matches only says what the whole bitmask says."""

from __future__ import annotations

import numpy as np
import pytest

from tracker.search import ranking
from tracker.search.snapshot import bitmask, flags_of


def _full(score: np.ndarray, wanted: int) -> float:
    return float(np.partition(score, len(score) - wanted)[len(score) - wanted])


def _shapes() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    n = 120_000
    spread = rng.random(n)
    tiers = rng.integers(0, 3, n) * 10.0 + rng.random(n)  # a query naming a topic: tiers
    tied = np.where(rng.random(n) < 0.5, 10.4, rng.random(n))  # half tied at the top
    few_high = np.zeros(n)
    few_high[rng.choice(n, 50, replace=False)] = rng.random(50) + 1  # fewer than a page
    sorted_up = np.sort(rng.random(n))  # the sample's stride meets an order
    return [spread, tiers, tied, few_high, sorted_up, np.zeros(n)]


@pytest.mark.parametrize("shape", range(6))
@pytest.mark.parametrize("wanted", [1, 20, 200, 1_000, 5_000])
def test_the_sampled_cut_is_the_full_cut(shape: int, wanted: int) -> None:
    score = _shapes()[shape]
    assert len(score) > 64 * wanted or wanted == 5_000
    assert ranking._nth_best(score, wanted) == _full(score, wanted)


@pytest.mark.parametrize("size", [1, 7, 8, 9, 1_000, 100_003])
def test_bits_read_at_the_matches_are_the_bitmask_s(size: int) -> None:
    rng = np.random.default_rng(size)
    flags = rng.random(size) < 0.3
    mask = bitmask(np.flatnonzero(flags), size)
    docnums = np.sort(rng.choice(size, min(size, 500), replace=False)).astype(np.int64)
    assert ranking._bits(mask, docnums, size).tolist() == flags_of(mask, size)[docnums].tolist()
    assert ranking._bits(0, docnums, size).tolist() == [False] * len(docnums)
