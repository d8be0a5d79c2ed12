"""English text to index terms: stemming and accent folding, fast.

The terms are those of whoosh's StemmingAnalyzer chain with a
CharsetFilter(accent_map) placed before the stemmer (folded after stemming,
"Régulations" would index as "regulat" while "regulation" searches for
"regul"), and with the Porter2 (Snowball English) stemmer instead of the
original Porter: Porter leaves "regulating" and "regulated" as "regulat", apart
from "regulation"'s "regul", and merges "news" with "new" and "general" with
"generous"; Porter2 does neither. Running that chain token by token costs about 7 µs a word, which
caps indexing near 300 items a second; `CachedAnalyzer` runs it once per
distinct word and remembers the answer, which gives the same terms at a
fraction of the cost. Index, queries and highlights all use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter2 import stem as porter2
from whoosh.support.charset import accent_map

CHAIN = (
    RegexTokenizer()
    | LowercaseFilter()
    | CharsetFilter(accent_map)
    | StopFilter()
    | StemFilter(stemfn=porter2)
)
WORD = default_pattern
# The same pattern without its capturing group, so findall() returns whole words.
WORDS = re.compile(default_pattern.pattern.replace("(", "(?:"), default_pattern.flags)
_MISSING = object()
_terms: dict[str, str | None] = {}


def word_term(word: str) -> str | None:
    """The index term of one word as the tokenizer cut it (None: a stop word)."""
    term = _terms.get(word, _MISSING)
    if term is _MISSING:
        if len(_terms) > 500_000:
            _terms.clear()
        found = [token.text for token in CHAIN(word)]
        term = found[0] if len(found) == 1 else None
        _terms[word] = term
    return term  # type: ignore[return-value]


_word_bytes: dict[str, bytes | None] = {}


def term_positions(value: str) -> dict[bytes, list[int]]:
    """Each term of `value` (UTF-8, as the index stores it) → its positions,
    numbered as `CachedAnalyzer.terms` numbers them; looked up per word in C."""
    cache = _word_bytes
    words = WORDS.findall(value)
    try:
        found = list(map(cache.__getitem__, words))
    except KeyError:
        if len(cache) > 500_000:
            cache.clear()
        for word in words:
            if word not in cache:
                term = word_term(word)
                cache[word] = None if term is None else term.encode("utf-8")
        found = list(map(cache.__getitem__, words))
    positions: dict[bytes, list[int]] = {}
    position = 0
    for tbytes in found:
        if tbytes is None:
            continue
        at = positions.get(tbytes)
        if at is None:
            positions[tbytes] = [position]
        else:
            at.append(position)
        position += 1
    return positions


class CachedAnalyzer(Tokenizer):
    """A whoosh analyzer giving the terms of `CHAIN`, cached per distinct word."""

    def terms(self, value: str) -> list[str]:
        """The terms of `value` in order (stop words dropped), without Token objects."""
        return [term for term in map(word_term, WORDS.findall(value)) if term is not None]

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        matches = WORD.finditer(value) if tokenize else [_Whole(value)]
        for match in matches:
            word = match.group()
            term = word_term(word)
            if term is None:
                # Stop words are dropped and leave no gap in positions, as
                # StopFilter(renumber=True) does.
                continue
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class _Whole:
    """A stand-in regex match covering all of a value (for tokenize=False)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def group(self) -> str:
        return self.value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self.value)
