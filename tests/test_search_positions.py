"""Phrases checked on positions: the documents found equal a plain reading of the
texts, whichever way the positions are read (a few blocks, or the whole list
kept), and the shared keys equal a set intersection."""

from __future__ import annotations

import random
import zlib
from array import array

import numpy as np
import pytest

from tracker.search import decoded, positions
from tracker.search.decoded import Decoded

WORDS = ("a", "b", "c", "d")
TOKEN = -7  # a segment no index holds


def _texts(count: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(WORDS) for _ in range(rng.randrange(1, 40))] for _ in range(count)]


def _decoded(texts: list[list[str]], word: str, block: int = 8, packed: bool = True) -> Decoded:
    """`word`'s postings as the codec stores them, `block` postings a block (or as
    whoosh's own blocks hold them: one value per posting)."""
    docs = [(d, [p for p, w in enumerate(text) if w == word]) for d, text in enumerate(texts)]
    docs = [(d, found) for d, found in docs if found]
    values, starts = [], []
    for at in range(0, len(docs), block):
        part = docs[at : at + block]
        blob = b"".join(array("I", found).tobytes() for _d, found in part)
        sizes = array("H", [4 * len(found) for _d, found in part])
        own = [array("I", found).tobytes() for _d, found in part]
        values.append((zlib.compress(blob), sizes) if packed else own)
        starts.append(at)
    return Decoded(
        np.array([d for d, _ in docs], dtype=np.int32),
        np.array([float(len(found)) for _, found in docs]),
        np.array(starts, dtype=np.int64),
        values,
        key=(TOKEN, "text", word),
    )


def _plainly(texts: list[list[str]], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [
        d for d, t in enumerate(texts) if any(tuple(t[i : i + n]) == phrase for i in range(len(t)))
    ]


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    decoded.forget([TOKEN])
    yield
    decoded.forget([TOKEN])


@pytest.mark.parametrize(("seed", "packed"), [(1, True), (2, True), (3, False)])
def test_phrase_documents_equal_a_plain_reading(seed: int, packed: bool) -> None:
    texts = _texts(400, seed)
    # A rare word: its few candidates open a few blocks of the others' lists.
    for d in random.Random(seed).sample(range(len(texts)), 6):
        texts[d].insert(len(texts[d]) // 2, "rare")
    lists = {w: _decoded(texts, w, packed=packed) for w in (*WORDS, "rare")}
    phrases = [("a", "b"), ("b", "a"), ("c", "c"), ("a", "b", "c"), ("d", "rare"),
               ("rare", "a"), ("a", "rare", "b")]  # fmt: skip
    for _round in ("read from the blocks", "read from what was kept"):
        for phrase in phrases:
            found = decoded._phrase([lists[w] for w in phrase])
            assert found.tolist() == _plainly(texts, phrase), phrase


def test_a_list_read_whole_is_kept_as_stored_and_no_longer_compressed() -> None:
    texts = _texts(300, 5)
    a, b = _decoded(texts, "a"), _decoded(texts, "b")
    compressed = a.nbytes
    decoded._phrase([a, b])
    assert a.positions is not None and a.bounds is not None and not a.values
    assert a.positions.dtype == np.uint32 and a.bounds.dtype == np.int64
    assert np.diff(a.bounds).tolist() == [t.count("a") for t in texts if "a" in t]
    every = sum(t.count("a") for t in texts)
    arrays = a.docnums.nbytes + a.freqs.nbytes + a.starts.nbytes
    assert a.nbytes == arrays + 4 * every + 8 * (len(a.docnums) + 1) < compressed + 12 * every
    assert decoded._kept[a.key][1] == a.nbytes  # kept at its new size


@pytest.mark.parametrize("longer", [1, 3, 16, 17, 200])
def test_shared_keys_equal_a_set_intersection(longer: int) -> None:
    rng = np.random.default_rng(longer)
    one = np.unique(rng.integers(0, 5000, 300, dtype=np.int64) << 32 | rng.integers(0, 9, 300))
    other = np.unique(rng.integers(0, 5000, 300 * longer, dtype=np.int64) << 32
                      | rng.integers(0, 9, 300 * longer))  # fmt: skip
    for left, right in ((one, other), (other, one)):
        assert positions.common(left, right).tolist() == np.intersect1d(left, right).tolist()
    assert len(positions.common(one, one[:0])) == 0


def test_a_posting_without_positions_holds_no_phrase() -> None:
    docs = np.array([0, 1, 2], dtype=np.int32)
    first = (docs, np.array([0, 1, 1]), np.array([1, 1, 2]), np.array([5, 3], dtype=np.uint32))
    second = (docs, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([6, 0, 4], dtype=np.uint32))
    assert positions.phrase_documents([first, second]).tolist() == [0, 2]
