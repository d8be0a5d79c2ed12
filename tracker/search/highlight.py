"""Highlights that are safe to put in a page: escaped text, our own <mark> tags.

Titles and texts are written by strangers, so every character of theirs is
escaped and only the <mark> elements added here survive. Matching words are
found by running each word of the text through the index's own analyzer
(cached), so a highlight appears exactly where a search term matched:
``regulations`` and ``régulation`` both light up for ``regulation``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from tracker.search.analysis import WORD, WORDS, word_term
from tracker.search.schema import ANALYZER

# Texts can be long (a whole rule); highlights come from the first part.
SCAN_CHARS = 20_000
FRAGMENT_CHARS = 240
MAX_CANDIDATES = 60


def analyzed(text: str) -> list[str]:
    """The index terms of `text`, in order."""
    return [token.text for token in ANALYZER(text)]


@dataclass(frozen=True)
class Marks:
    """What to mark: single words by index term, and phrases as runs of terms.

    A word searched for on its own is marked wherever it stands; the words of
    a phrase only where they stand together, as the phrase (stop words between
    them allowed, as the index drops them too).
    """

    words: frozenset[str] = frozenset()
    phrases: frozenset[tuple[str, ...]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


@lru_cache(maxsize=512)
def _candidates(marks: Marks) -> re.Pattern[str]:
    """The words of an ASCII text that may be one of `marks`' terms.

    Stemming every word of twenty texts is most of a results page's time, and
    almost none of them is marked. Porter2 keeps a word's first two letters
    (lowercased) in its stem, except that "dying", "lying" and "tying" become
    "die", "lie" and "tie"; so only words starting as a marked term starts
    (or with "y" for its second-letter "i") are stemmed. The lookbehinds
    start a word only where `WORD` would: not inside a word, nor after "U."
    of "U.S".
    """
    terms = set(marks.words).union(*marks.phrases)
    starts = {term[:2] for term in terms}
    starts |= {term[0] + "y" for term in terms if term[1:2] == "i"}
    alternatives = "|".join(sorted(map(re.escape, starts)))
    return re.compile(rf"(?<!\w)(?<!\w\.)(?=(?:{alternatives}))(?:{WORD.pattern})", re.IGNORECASE)


def spans(text: str, marks: Marks) -> list[tuple[int, int, str]]:
    """``(start, end, key)`` of each marked word or phrase of `text`, in order."""
    if not marks:
        return []
    # Accent folding may change a word's first letters: other texts read every word.
    sparse = text.isascii()
    tokens = (_candidates(marks) if sparse else WORD).finditer(text, 0, SCAN_CHARS)
    words = [
        (term, match.start(), match.end())
        for match in tokens
        if (term := word_term(match.group())) is not None
    ]
    terms = [term for term, _, _ in words]
    firsts = {phrase[0] for phrase in marks.phrases}
    found = []
    reach = -1
    for i, (term, start, end) in enumerate(words):
        if term in firsts:
            for phrase in marks.phrases:
                last = i + len(phrase) - 1
                if (
                    start > reach
                    and tuple(terms[i : last + 1]) == phrase
                    and (not sparse or _adjacent(text, words, i, last))
                ):
                    found.append((start, words[last][2], " ".join(phrase)))
                    reach = words[last][2]
        if term in marks.words and start > reach:
            found.append((start, end, term))
            reach = end
    return found


def _adjacent(text: str, words: list[tuple[str, int, int]], first: int, last: int) -> bool:
    """Whether only stop words stand between words `first` to `last` of a sparse list."""
    return all(
        word_term(between) is None
        for left, right in zip(words[first:last], words[first + 1 : last + 1], strict=True)
        for between in WORDS.findall(text, left[2], right[1])
    )


def _marked(text: str, marks: Iterable[tuple[int, int, str]], start: int, end: int) -> Markup:
    out = []
    at = start
    for left, right, _key in marks:
        if left < start or right > end:
            continue
        out.append(escape(text[at:left]))
        out.append(Markup("<mark>") + escape(text[left:right]) + Markup("</mark>"))
        at = right
    out.append(escape(text[at:end]))
    return Markup("").join(out)


def mark_all(text: str, marks: Marks) -> Markup:
    """All of `text`, escaped, with every matching word and phrase marked."""
    return _marked(text, spans(text, marks), 0, len(text))


def fragments(text: str, marks: Marks, count: int = 2, size: int = FRAGMENT_CHARS) -> list[Markup]:
    """Up to `count` passages of `text`, in text order, that show the most of what matched.

    Each passage is chosen for the matched words and phrases it shows that
    the passages before it do not, so a second passage explains a match the
    first one could not hold. With no match, the opening of the text, so a
    hit always shows something.
    """
    found = spans(text, marks)
    if not found:
        return [_window(text, [], 0, size)] if text.strip() else []
    # Spans do not overlap, so both their starts and their ends ascend.
    starts, ends, keys = zip(*found, strict=True)
    chosen: list[tuple[int, int]] = []
    shown: set[str] = set()
    for _ in range(count):
        best: tuple[tuple[int, int, int, int], int, int] | None = None
        for left, right, _key in found[:MAX_CANDIDATES]:
            window = _free_window(chosen, left, right, size)
            if window is None:
                continue
            inside = keys[bisect_left(starts, window[0]) : bisect_right(ends, window[1])]
            rank = (len(set(inside) - shown), len(set(inside)), len(inside), -window[0])
            if best is None or rank > best[0]:
                best = (rank, *window)
        if best is None:
            break
        _rank, lo, hi = best
        chosen.append((lo, hi))
        shown.update(keys[bisect_left(starts, lo) : bisect_right(ends, hi)])
    return [_window(text, found, lo, hi - lo) for lo, hi in sorted(chosen)]


def _free_window(
    chosen: list[tuple[int, int]], left: int, right: int, size: int
) -> tuple[int, int] | None:
    """A window of at most `size` around the match at left:right that overlaps no
    chosen one (None: the match is already shown)."""
    start, end = max(0, left - size // 4), max(0, left - size // 4) + size
    for lo, hi in chosen:
        if lo <= left and right <= hi:
            return None
        if start < hi and lo < end:  # overlapping: give way to the chosen window
            if left >= hi:
                start = hi
            else:
                end = lo
    return (start, end) if start <= left and right <= end else None


def _window(text: str, found: list[tuple[int, int, str]], start: int, size: int) -> Markup:
    end = min(len(text), start + size)
    # Cut at word boundaries so no word is shown in half.
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    body = _marked(text, found, start, end)
    prefix = Markup("… ") if start > 0 else Markup("")
    suffix = Markup(" …") if end < len(text) else Markup("")
    return prefix + body.strip() + suffix
