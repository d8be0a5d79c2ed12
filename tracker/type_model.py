"""What kind of document an item is, read from its wording when nothing else says.

`tracker/doc_types.py` decides a type from the format's own type, from the
fixed forms official documents announce themselves in ("ACTION: Final rule",
"Dear ...", a hearing room), and from the source's default type. An item with
none of these (a think tank's paper in a general feed, a press release passed
on by an aggregator, `tracker tag --jsonl` without a source) came out as news.
This model reads such an item the way a reader does, from the voice and form
of its headline and lede: "we are pleased to announce", "Testimony of ...",
"A bill to ...", a report's "X: Y" title, a reporter's "said on Tuesday".

It is the topic model's linear form (`tracker/topic_model.py`) with the
document types as its labels, one softmax over them: the type of highest
probability is given when that probability reaches the file's threshold (a
press release needs `SURER`'s), else the rules' answer stands. `data/type_model.json` is fitted by
`python -m tracker.type_model_fit` on `data/type_train.jsonl` (entries
written for it, apart from every evaluation set). Nothing is downloaded; a
data folder without the file types by the rules alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from tracker import topic_model
from tracker.types import DOC_TYPES

MODEL_FILE = "type_model.json"
# A document says what it is in its headline and first lines.
LEDE_CHARS = 300
# Words, and the marks that shape a title or an opening ("Hearing: ...", "(AP)").
_TOKEN = re.compile(r"[^\W_]+|[:;—–(\"“$§]")
_DIGIT = re.compile(r"\d")
# A press release and a news story about the same announcement differ in voice more
# than in words: short news headlines ("Frontier Airlines adds flights to Cancun")
# read like an announcement, so the model must be surer of that type.
SURER = {"press-release": 0.8}
NUMBER = "#n"  # every number reads alike: a year or a bill's number is not a kind
TITLE_CASE = 0.6  # of a title's words capitalised, beyond which it is written in title case


def features(title: str, text: str) -> set[str]:
    """Words and neighbouring pairs of the headline (``t:``) and the lede (``s:``),
    each field's first word and first two (``t^``), and its shape (``t#``): empty,
    opening in capitals ("MEMORANDUM FOR"), a headline in title case."""
    found: set[str] = set()
    for mark, value in (("t", title[:LEDE_CHARS]), ("s", text[:LEDE_CHARS])):
        tokens = _TOKEN.findall(value)
        if not tokens:
            found.add(f"{mark}#empty")
            continue
        # (A word of letters holds no digit: the search is left to the rest.)
        words = [t.lower() if t.isalpha() or _DIGIT.search(t) is None else NUMBER for t in tokens]
        prefix = f"{mark}:"
        found.update(map(prefix.__add__, words))
        found.update(map(prefix.__add__, map(" ".join, pairwise(words))))
        found.add(f"{mark}^{words[0]}")
        found.add(f"{mark}^{' '.join(words[:2])}")
        lettered = [t for t in tokens if t.isalpha()]
        if len(lettered) >= 2 and all(t.isupper() and len(t) > 1 for t in lettered[:2]):
            found.add(f"{mark}#caps")
        if mark == "t" and len(lettered) >= 3:
            capital = sum(t[0].isupper() for t in lettered if len(t) > 3)
            long_words = sum(len(t) > 3 for t in lettered)
            if long_words and capital / long_words >= TITLE_CASE:
                found.add("t#titlecase")
    return found


@dataclass(frozen=True, eq=False)
class TypeModel:
    """A softmax over the document types; `linear.topics` are the types."""

    linear: topic_model.TopicModel

    @property
    def types(self) -> tuple[str, ...]:
        return self.linear.topics

    @property
    def threshold(self) -> float:
        return self.linear.threshold

    def probabilities(self, title: str, text: str) -> dict[str, float]:
        """Every type's probability for an item."""
        logits, _ = self.linear.logits(features(title, text))
        shifted = np.exp(logits - logits.max())
        return dict(zip(self.types, (shifted / shifted.sum()).tolist(), strict=True))

    def type_of(self, title: str, text: str) -> str | None:
        """The most probable type when its probability reaches the threshold (`SURER`
        for some types), else None."""
        logits, _ = self.linear.logits(features(title, text))
        best = int(np.argmax(logits))
        kind = self.types[best]
        # p(best) >= t  <=>  sum(exp(l - l_best)) <= 1 / t
        rest = float(np.exp(logits - logits[best]).sum())
        return kind if rest * max(self.threshold, SURER.get(kind, 0.0)) <= 1.0 else None


def load(folder: Path) -> TypeModel | None:
    """The model in `folder`, or None when there is none; ValueError naming the file
    when it cannot be read or is damaged."""
    linear = topic_model.load(folder, MODEL_FILE, "document-type model")
    if linear is None:
        return None
    unknown = sorted(set(linear.topics) - set(DOC_TYPES))
    if unknown:
        raise ValueError(f"{folder / MODEL_FILE}: not document types: {', '.join(unknown)}")
    return TypeModel(linear)
