"""What changed between two wordings, word by word, as data: pure functions, no I/O.

`word_diff("Comments due May 1", "Comments due June 2")` gives the words kept,
deleted and inserted, in reading order:
``[same "Comments due", deleted "May 1", inserted "June 2"]``. A page marks
them up (<del>, <ins>); a mail or feed uses `change_summary` for one line.
Words are runs of non-space, compared without the spaces that follow them
and kept with them, so joining the kept and inserted parts gives the new text
back, and the kept and deleted parts the old one (up to the spacing inside
kept runs, which is the new text's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "inserted", "deleted"]
_WORD = re.compile(r"\S+\s*|\s+")
# Beyond this many words a side, the comparison is by line first (difflib is
# quadratic in the worst case); the changed lines are then compared by word.
_BY_LINE = 5_000


@dataclass(frozen=True)
class Segment:
    """A run of words that was kept, deleted or inserted."""

    kind: Kind
    text: str


def words(text: str) -> list[str]:
    """`text` as words, each with the spaces that follow it."""
    return _WORD.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of `old` and `new`, each marked kept, deleted or inserted."""
    a, b = words(old), words(new)
    if max(len(a), len(b)) > _BY_LINE:
        return _by_line(old, new)
    return _merge(_segments(a, b))


def _segments(a: list[str], b: list[str]) -> list[Segment]:
    # Compared without trailing spaces: "word " and "word\n" are the same word.
    matcher = SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(Segment("deleted", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("inserted", "".join(b[j1:j2])))
    return out


def _by_line(old: str, new: str) -> list[Segment]:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(b[j1:j2])))
        else:
            out += _segments(words("".join(a[i1:i2])), words("".join(b[j1:j2])))
    return _merge(out)


def _merge(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of one kind joined; empty ones dropped."""
    out: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if out and out[-1].kind == segment.kind:
            out[-1] = Segment(segment.kind, out[-1].text + segment.text)
        else:
            out.append(segment)
    return out


def counts(segments: list[Segment]) -> tuple[int, int]:
    """(words inserted, words deleted)."""
    inserted = sum(len(s.text.split()) for s in segments if s.kind == "inserted")
    deleted = sum(len(s.text.split()) for s in segments if s.kind == "deleted")
    return inserted, deleted


def change_summary(old_title: str, new_title: str, old_text: str, new_text: str) -> str:
    """One line for a feed or a mail: "Title changed; text: 12 words inserted, 3 deleted"."""
    parts = []
    if old_title.strip() != new_title.strip():
        parts.append(f"title was “{_short(old_title)}”")
    if " ".join(old_text.split()) != " ".join(new_text.split()):
        inserted, deleted = counts(word_diff(old_text, new_text))
        said = [f"{n} word{'s' if n != 1 else ''} {what}"
                for n, what in ((inserted, "inserted"), (deleted, "deleted")) if n]  # fmt: skip
        parts.append("text: " + (", ".join(said) or "spacing changed"))
    return "Updated: " + "; ".join(parts) if parts else "Updated"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
