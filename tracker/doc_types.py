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

from tracker.bill_refs import starts_with_bill
from tracker.doc_cues import CUES
from tracker.types import DOC_TYPES

# A type needs this much weight to override the source's default.
STRONG = 3.0
# How much of the text a cue may look at: documents announce themselves early.
OPENING = 600
_BIS_NAMES = frozenset({"industry and security bureau", "bureau of industry and security"})
_FORMAT_ALIASES = {"proposed rule": "rule", "proposed-rule": "rule", "final rule": "rule"}


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
    places = {"title": title, "head": title, "text": opening}
    lowered = {"title": title.lower(), "head": title.lower(), "text": opening.lower()}
    scores: dict[str, float] = {}
    for cue in CUES:
        value = places[cue.where]
        if not value:
            continue
        if cue.anchors:
            low = lowered[cue.where]
            for anchor in cue.anchors:
                if anchor in low:
                    break
            else:
                continue  # a string the pattern needs is missing: it cannot match
        found = cue.pattern.match(value) if cue.where == "title" else cue.pattern.search(value)
        if found:
            scores[cue.doc_type] = scores.get(cue.doc_type, 0.0) + cue.weight
    if starts_with_bill(title):
        scores["bill"] = scores.get("bill", 0.0) + 4
    return scores
