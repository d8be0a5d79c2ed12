"""A page's cut among hundreds of thousands of matches, found from a sample first,
is the cut a full partition finds: ties, tiers and spread-out scores alike."""

from __future__ import annotations

import numpy as np
import pytest

from tracker.search import ranking


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
