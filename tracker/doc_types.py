"""Decide what kind of document an item is, from its format, its words and its source.

Pure: strings in, one of `DOC_TYPES` out. Official documents announce what
they are in fixed forms: an executive order says "it is hereby ordered", a
proclamation "do hereby proclaim", a Federal Register document has an
"ACTION:" line, a letter opens "Dear ...", a bill "Be it enacted", a hearing
notice gives a room in a Senate or House office building. Each such form is
a cue with a weight; the type with the most weight wins. Strong forms
outweigh the source's default type (a hearing notice on a committee's press
page is a hearing); weak ones only break a tie the source leaves open. Cues
of reporting ("(Reuters)", "people familiar with the matter") count for news,
so coverage of an order is not the order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter

import ahocorasick

from tracker.bill_refs import starts_with_bill
from tracker.doc_cues import CUES
from tracker.matcher import fold_case
from tracker.types import DOC_TYPES

# A type needs this much weight to override the source's default.
STRONG = 3.0
# How much of the text a cue may look at: documents announce themselves early.
OPENING = 600
_BIS_NAMES = frozenset({"industry and security bureau", "bureau of industry and security"})
_FORMAT_ALIASES = {"proposed rule": "rule", "proposed-rule": "rule", "final rule": "rule"}
# Every string some cue needs, found in one pass; a cue runs only when one of
# its strings is there (or it needs none), so a text costs the cues it might hold.
_ALWAYS = tuple(i for i, cue in enumerate(CUES) if not cue.anchors)
_GATE = ahocorasick.Automaton()
for _anchor in {a for cue in CUES for a in cue.anchors}:
    _GATE.add_word(_anchor, tuple(i for i, cue in enumerate(CUES) if _anchor in cue.anchors))
_GATE.make_automaton()
_TITLE_PLACES = frozenset({"title", "head"})
_WORD_CHAR = re.compile(r"\w")
try:  # the parser behind re.compile; private, so its absence only costs speed
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an interpreter without it
    _p = None


def decide_doc_type(
    title: str,
    text: str = "",
    *,
    default_doc_type: str | None = None,
    format_doc_type: str | None = None,
    agencies: Sequence[str] = (),
    wording: Callable[[str, str], str | None] | None = None,
) -> str:
    """One of `DOC_TYPES`: the format's own type, else strong cues, else the source's
    (a news source's only when a weak cue was found), else a weak cue's, else what
    `wording` reads from the title and text (`tracker/type_model.py`), else news."""
    hint = format_doc_type.strip().lower() if format_doc_type else None
    hint = _FORMAT_ALIASES.get(hint, hint) if hint else None
    from_bis = any(" ".join(a.lower().split()) in _BIS_NAMES for a in agencies)
    if from_bis and hint in (None, "rule", "notice", "export-control"):
        return "export-control"  # BIS rules and notices are the export-control record
    if hint in DOC_TYPES:
        return hint
    scores = cue_scores(title, text)
    best = max(scores, key=scores.__getitem__, default=None)
    if best is not None and scores[best] >= STRONG:
        return best
    # A source's news is also what a source that says nothing is given: its items with
    # no cue at all are read for their wording like those of no source.
    if default_doc_type in DOC_TYPES and (default_doc_type != "news" or best is not None):
        return default_doc_type
    if best is not None:
        return best  # a weak cue still decides: the wording is read only when none is found
    if wording is not None and (read := wording(title, text)) is not None:
        return read
    return "news"


def read_from_wording(
    title: str,
    text: str,
    stored: str,
    *,
    wording: Callable[[str, str], str | None] | None,
    default_doc_type: str | None,
    format_doc_type: str | None,
    agencies: Sequence[str] = (),
) -> bool:
    """Whether an item's `stored` type is what `wording` read: its format, cues and
    source alone would give another, and the wording gives this one."""
    if wording is None:
        return False
    rules = decide_doc_type(
        title,
        text,
        default_doc_type=default_doc_type,
        format_doc_type=format_doc_type,
        agencies=agencies,
    )
    return rules != stored and wording(title, text) == stored


def cue_scores(title: str, text: str) -> dict[str, float]:
    """The weight of every type's cues found in the title and the text's opening."""
    title = " ".join(title.split())
    opening = " ".join(text[:OPENING].split())
    scores: dict[str, float] = {}
    for value, places in ((title, _TITLE_PLACES), (opening, frozenset({"text"}))):
        if not value:
            continue
        lowered = value.lower()
        for index in sorted(_candidates(lowered)):
            cue = CUES[index]
            if cue.where not in places:
                continue
            if _found(index, value, lowered):
                scores[cue.doc_type] = scores.get(cue.doc_type, 0.0) + cue.weight
    if starts_with_bill(title):
        scores["bill"] = scores.get("bill", 0.0) + 4
    return scores


def _found(index: int, value: str, lowered: str) -> bool:
    """Whether cue `index` matches `value` (`lowered` is `value.lower()`)."""
    cue, fast = CUES[index], _SEARCHES[index]
    # Title cues read from the start, as do "^" cues; match() tries once.
    if cue.where == "title" or cue.pattern.pattern.startswith("^"):
        return cue.pattern.match(value) is not None
    if fast is None or len(lowered) != len(value):  # "İ" lowercases to two characters
        return cue.pattern.search(value) is not None
    pattern, bounded = fast
    pos = 0
    while (found := pattern.search(lowered, pos)) is not None:
        start = found.start()
        if not bounded or _boundary(lowered, start):
            return True
        pos = start + 1
    return False


def _boundary(text: str, at: int) -> bool:
    """Whether ``\\b`` holds at `at`: a word character on one side only."""
    before = at > 0 and _WORD_CHAR.match(text, at - 1) is not None
    return before != (at < len(text) and _WORD_CHAR.match(text, at) is not None)


def _fast_search(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], bool] | None:
    """A case-blind cue as a case-exact pattern for lowercased text, its leading
    ``\\b`` left to `_boundary`; None to search with the cue's own pattern.

    A leading ``\\b`` or a case-blind pattern keeps sre from skipping to the
    places a match can begin: it tries the whole pattern at every character,
    so a cue cost 20-50 microseconds an item; without either, sre jumps to
    where its first letters are, about ten times faster.
    """
    folded = fold_case(pattern)
    if folded is None:
        return None
    source = folded.pattern
    # Only a \b that begins the whole pattern, not one branch of a top-level "|".
    if source.startswith(r"\b") and _leads_with_boundary(source, folded.flags):
        try:
            return re.compile(source[2:], folded.flags), True
        except re.error:  # pragma: no cover - what follows a leading \b stands alone
            return folded, False
    return folded, False


def _leads_with_boundary(source: str, flags: int) -> bool:
    if _p is None:  # pragma: no cover - an interpreter without the private parser
        return False
    try:
        parsed = _p.parse(source, flags)
    except Exception:  # pragma: no cover - compiled already, so it parses
        return False
    return len(parsed) > 1 and parsed[0] == (_c.AT, _c.AT_BOUNDARY)


def _candidates(lowered: str) -> set[int]:
    """The cues that might match: those with a string present, and those that need none."""
    found = set(_ALWAYS)
    found.update(chain.from_iterable(map(itemgetter(1), _GATE.iter(lowered))))
    return found


_SEARCHES = tuple(_fast_search(cue.pattern) for cue in CUES)
