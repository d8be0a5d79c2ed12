"""Did you mean: the nearest spelling of a word no item holds.

Candidates come first from the names the tracker knows (taxonomy names and
aliases, document types, sources), written as they are written there
("Alibba" → "Alibaba"), then from the index's own words ("regulaton" →
"regulation"), compared as index terms and shown as an item spells them.
RapidFuzz measures the Damerau-Levenshtein distance (a swap of two letters
counts once) over the whole word list in C, about 5 ms for 100,000 words.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from tracker.search.analysis import WORD, word_term
from tracker.search.snapshot import Snapshot

TEXT_FIELDS = ("title", "text")


def max_distance(word: str) -> int:
    """Edits allowed: one in a short word, two in a longer one."""
    return 1 if len(word) <= 5 else 2


def suggest(word: str, names: dict[str, str], snap: Snapshot) -> str | None:
    """The likeliest intended word for `word`, or None when nothing is near.

    The nearest candidates win; among equally near ones, the one more items
    hold (a known name is written as the taxonomy writes it).
    """
    lowered = word.lower()
    limit = max_distance(lowered)
    reader = snap.searcher.reader()

    def frequency(term: str | None) -> int:
        return sum(reader.doc_frequency(f, term) for f in TEXT_FIELDS) if term else 0

    term = word_term(word)
    found: list[tuple[int, int, bool, str]] = []  # distance, -items, not a name, word or term
    for name, distance, _ in process.extract(
        lowered, list(names), scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=5
    ):
        if word_term(name) != term:  # another form of the same word finds the same items
            found.append((int(distance), -frequency(word_term(name)), False, name))
    if term is not None:
        # Stems are compared with the edits a word of their length allows:
        # "regul" is one edit from nothing that is not another word.
        for near, distance, _ in process.extract(
            term, index_terms(snap), scorer=DamerauLevenshtein.distance,
            score_cutoff=max_distance(term), limit=10,
        ):  # fmt: skip
            found.append((int(distance), -frequency(near), True, near))
    if not found:
        return None
    _distance, _items, from_index, best = min(found)
    return _spelling(snap, best, lowered) if from_index else names[best]


def _distance(a: str, b: str) -> int:
    return int(DamerauLevenshtein.distance(a, b))


def index_terms(snap: Snapshot) -> list[str]:
    """Every word term of the title and text fields (read once per index generation)."""
    if "terms" not in snap.memo:
        reader = snap.searcher.reader()
        found: set[str] = set()
        for field in TEXT_FIELDS:
            found.update(t for t in reader.field_terms(field) if t.isalpha())
        snap.memo["terms"] = sorted(found)
    return snap.memo["terms"]  # type: ignore[no-any-return]


def _spelling(snap: Snapshot, term: str, typed: str) -> str:
    """How an item holding `term` writes it: the form nearest to what was typed."""
    for field in TEXT_FIELDS:
        docnums = next(iter(_first_docs(snap, field, term)), None)
        if docnums is None:
            continue
        stored = snap.searcher.stored_fields(int(docnums))
        words = (m.group().lower() for m in WORD.finditer(stored.get(field, "")))
        forms = {w for w in words if word_term(w) == term}
        if forms:
            return min(forms, key=lambda form: (_distance(form, typed), form))
    return term


def _first_docs(snap: Snapshot, field: str, term: str) -> Iterable[int]:
    live = snap.live_flags()
    for docnums, _weights, _values in snap.blocks(field, term):
        kept = np.asarray(docnums)[live[docnums]]
        if len(kept):
            yield int(kept[0])
            return
