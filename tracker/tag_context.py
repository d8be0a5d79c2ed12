"""What a whole item must say before some names count as the taxonomy's. Pure.

Two rules that hold for every term of a kind, so that no term needs its own list
of the things that share its name:

- A person of the taxonomy is a figure of public life: a name counts only in an
  item that speaks of government, law or politics. A singer, a chef or a cyclist
  who shares a senator's name is written about in other words.
- An acronym counts only when the item does not spell it out as something else:
  "Barbados Fair Trading Commission ... the FTC" names another commission, and
  "IAPS ... the International Association of Physics Students" another IAPS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# Words of public life: office, politics, law, government and its acts.
_PUBLIC_LIFE = re.compile(
    r"\b(?:Sen(?:ator)?s?\.?|Rep(?:resentative)?s?\.?|Congress\w*|lawmakers?|legislat\w+|"
    r"committee|subcommittee|chair(?:man|woman)?|ranking|Republicans?|Democrats?|GOP|"
    r"bipartisan|partisan|[RD]-[A-Z][a-z]*\.?|bills?|hearings?|letters?|White\s+House|"
    r"administration|secretary|director|officials?|government|federal|agenc(?:y|ies)|"
    r"department|policy|polic(?:ies)|regulat\w+|sanctions?|export|national\s+security|"
    r"senate|house\s+(?:of|select|foreign|homeland|armed|energy|financial|judiciary)|"
    r"campaign|election|governor|minister|embassy|treasury|commerce|amendment|"
    r"defen[cs]e|Pentagon|China|Chinese|Beijing|Taiwan|AI|memo(?:randum|randa)?|signs?|"
    r"signed|orders?|law|court|council|office|ministry|state\s+department)\b",
    re.IGNORECASE,
)
# Words that are not spelled into an acronym's letters ("Institute for AI Policy").
_LINKING = frozenset({"of", "for", "and", "the", "on", "in", "&"})
_LINK = "|".join(sorted(map(re.escape, _LINKING)))
_NAME_RUN = re.compile(rf"[A-Z][\w'’-]*(?:\s+(?:(?:{_LINK})\s+)*[A-Z][\w'’-]*)+")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
# A name is spelled in a few words: an acronym's letters are looked for in at most
# this many words a letter from where the name starts, so a run of thousands of
# capitalised words costs time in proportion to its length, not its square.
WORDS_PER_LETTER = 3


def public_life(fields: Iterable[str]) -> bool:
    """Whether an item's fields speak of government, law or politics."""
    return any(_PUBLIC_LIFE.search(text) for text in fields)


def spelled_otherwise(acronym: str, fields: Iterable[str], own: Iterable[str]) -> bool:
    """Whether the item spells `acronym` out as a name that is not one of `own`
    (the term's own names): then the acronym stands for that other name."""
    if not _ACRONYM.fullmatch(acronym):
        return False
    known = {" ".join(name.lower().split()) for name in own}
    return any(
        " ".join(name).lower() not in known
        for text in fields
        for run in _NAME_RUN.finditer(text)
        for name in _spellings(run.group(0).split(), acronym)
    )


def _spellings(words: list[str], acronym: str) -> Iterator[list[str]]:
    """The runs of `words` whose initials are `acronym`: its letters from the words
    apart from linking ones ("Institute for AI Policy and Strategy": IAPS), or from
    every word ("Department of Justice": DOJ)."""
    letters = len(acronym)
    for start, first in enumerate(words):
        if first.lower() in _LINKING:
            continue
        near = words[start : start + letters * WORDS_PER_LETTER]
        spelled = _spelled(near, letters)
        if spelled and _initials(spelled, skip=_LINKING) == acronym:
            yield spelled
        whole = near[:letters]
        if len(whole) == letters and _initials(whole) == acronym:
            yield whole


def _spelled(words: list[str], letters: int) -> list[str] | None:
    """The shortest run from the first word that holds `letters` words besides the
    linking ones, or None."""
    count = 0
    for end, word in enumerate(words, 1):
        if word.lower() not in _LINKING:
            count += 1
            if count == letters:
                return words[:end]
    return None


def _initials(words: list[str], skip: frozenset[str] = frozenset()) -> str:
    return "".join(w[0].upper() for w in words if w.lower() not in skip)
