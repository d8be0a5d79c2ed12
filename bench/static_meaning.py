"""What a report is about, as a small vector: a static table distilled from a sentence encoder.

An experiment, not shipped (see tests/data/EVALUATION.md): judged by
`bench/event_encoder.py --static`, it did not help the grouping on sets it was
not fitted on. The table (`/tmp/meaning.npz`, built offline by `bench/encoder_table.py`)
holds one float16 vector per WordPiece token of all-MiniLM-L6-v2's vocabulary
(sentence-transformers, Apache-2.0): each token's output from the encoder, alone
between [CLS] and [SEP], reduced by PCA. A report's vector is the weighted mean
of its title's and text's tokens; two reports' cosine says how alike their
meaning is where they share no word ("curbs on chip sales to the Gulf" and
"licences for AI processors bound for Saudi data centres"). Read with numpy
only, nothing downloaded; tokens are split here as the encoder's own WordPiece
tokenizer splits them (lower case, accents off, punctuation apart, longest piece first).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

PATH = Path("/tmp/meaning.npz")
# The encoder's tokenizer gives up on longer words; so does this one.
_LONGEST_WORD = 100
_WORD = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)


class _Table(NamedTuple):
    row_of: dict[str, int]
    vectors: np.ndarray  # float32, one row a token
    weights: np.ndarray  # float32, one a token


@cache
def _table() -> _Table:
    with np.load(PATH) as data:
        tokens = [str(t) for t in data["tokens"]]
        return _Table(
            {t: n for n, t in enumerate(tokens)},
            data["vectors"].astype(np.float32),
            data["weights"].astype(np.float32),
        )


def _plain(text: str) -> str:
    """Lower case without accents, as the encoder's uncased tokenizer reads text."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=65536)
def _pieces(word: str) -> tuple[int, ...]:
    """The table rows of one word's WordPiece pieces, longest first; () if it has none."""
    index = _table().row_of
    if len(word) > _LONGEST_WORD:
        return ()
    rows, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else f"##{word[start:end]}"
            if piece in index:
                rows.append(index[piece])
                break
            end -= 1
        else:
            return ()  # the encoder reads the whole word as unknown
        start = end
    return tuple(rows)


def rows(text: str) -> list[int]:
    """The table rows of every piece of `text`, in order."""
    found: list[int] = []
    for word in _WORD.findall(_plain(text)):
        found.extend(_pieces(word))
    return found


@lru_cache(maxsize=8192)
def vector(title: str, text: str) -> np.ndarray:
    """The report's unit vector; zeros when none of its words is in the table."""
    table = _table()
    found = rows(f"{title}. {text}")
    if not found:
        return np.zeros(table.vectors.shape[1], dtype=np.float32)
    weights = table.weights[found]
    mean = weights @ table.vectors[found]
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def cosine(a_title: str, a_text: str, b_title: str, b_text: str) -> float:
    """How alike two reports' meanings are, in [-1, 1]; 0 when either has no vector."""
    return float(vector(a_title, a_text) @ vector(b_title, b_text))
