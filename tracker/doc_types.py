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

from collections.abc import Sequence
from itertools import chain
from operator import itemgetter

import ahocorasick

from tracker.bill_refs import starts_with_bill
from tracker.doc_cues import CUES
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


def decide_doc_type(
    title: str,
    text: str = "",
    *,
    default_doc_type: str | None = None,
    format_doc_type: str | None = None,
    agencies: Sequence[str] = (),
) -> str:
    """One of `DOC_TYPES`: the format's own type, else strong cues, else the source's, else news."""
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
    if default_doc_type in DOC_TYPES:
        return default_doc_type
    return best if best is not None else "news"


def cue_scores(title: str, text: str) -> dict[str, float]:
    """The weight of every type's cues found in the title and the text's opening."""
    title = " ".join(title.split())
    opening = " ".join(text[:OPENING].split())
    scores: dict[str, float] = {}
    for value, places in ((title, _TITLE_PLACES), (opening, frozenset({"text"}))):
        if not value:
            continue
        for index in sorted(_candidates(value.lower())):
            cue = CUES[index]
            if cue.where not in places:
                continue
            # Title cues read from the start, as do "^" cues; match() tries once.
            tied = cue.where == "title" or cue.pattern.pattern.startswith("^")
            found = cue.pattern.match(value) if tied else cue.pattern.search(value)
            if found:
                scores[cue.doc_type] = scores.get(cue.doc_type, 0.0) + cue.weight
    if starts_with_bill(title):
        scores["bill"] = scores.get("bill", 0.0) + 4
    return scores


def _candidates(lowered: str) -> set[int]:
    """The cues that might match: those with a string present, and those that need none."""
    found = set(_ALWAYS)
    found.update(chain.from_iterable(map(itemgetter(1), _GATE.iter(lowered))))
    return found
