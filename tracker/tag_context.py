"""What a whole item must say before some names count as the taxonomy's. Pure.

Two rules that hold for every term of a kind, so that no term needs its own list
of the things that share its name:

- A person of the taxonomy is a figure of public life: a name counts only in an
  item that speaks of government, law or politics. A singer, a chef or a cyclist
  who shares a senator's name is written about in other words.
- An acronym counts only when the item does not spell it out as something else:
  "Barbados Fair Trading Commission ... the FTC" names another commission, and
  "IAPS ... the International Association of Physics Students" another IAPS.
- A topic's name capitalised before a company's form ("National Security Services",
  "... Solutions LLC") is that company.
- A name another body or place bears is not the taxonomy's: an agency or committee
  named with a state or another country before it ("Ohio Department of Commerce",
  "HM Treasury", "Texas Senate Commerce Committee"), or any name with an inn, a
  farm or a café after it ("White House Tavern", "Data Centre café"). The item's
  other mentions of that name are that body too ("the department", "the
  Treasury"), unless it also names the U.S. one ("the U.S. Treasury").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

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


def spelled_otherwise(acronym: str, runs: Sequence[list[str]], own: Iterable[str]) -> bool:
    """Whether the item spells `acronym` out as a name that is not one of `own` (the
    term's own names): then the acronym stands for that other name. `runs` are the
    item's runs of capitalised words (`name_runs`), read once for all its acronyms."""
    if not _ACRONYM.fullmatch(acronym):
        return False
    known = {" ".join(name.lower().split()) for name in own}
    return any(
        " ".join(name).lower() not in known for run in runs for name in _spellings(run, acronym)
    )


def name_runs(fields: Iterable[str]) -> list[list[str]]:
    """The runs of capitalised words in an item's fields, each as its words."""
    return [run.group(0).split() for text in fields for run in _NAME_RUN.finditer(text)]


def _spellings(words: list[str], acronym: str) -> Iterator[list[str]]:
    """The runs of `words` whose initials are `acronym`: its letters from the words
    apart from linking ones ("Institute for AI Policy and Strategy": IAPS), or from
    every word ("Department of Justice": DOJ)."""
    letters = len(acronym)
    for start, first in enumerate(words):
        # Either reading begins with this word's initial (it is not a linking word).
        if first[0].upper() != acronym[0] or first.lower() in _LINKING:
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


class Mention(Protocol):
    """Where a term was read (a `matcher.Hit` is one): read-only, as a hit's fields are."""

    @property
    def field(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


# Jurisdictions written right before a name: "Ohio Department of Commerce", "HM
# Treasury", "Hong Kong's Treasury", "the state Department of Justice". Read as the last
# words before the name (a set look-up: a pattern tried at every character of the text
# before each mention cost more than the rest of the tagging).
_ELSEWHERE = frozenset(
    tuple(name.split())
    for name in (
        "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida "
        "Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland "
        "Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio "
        "Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Wisconsin Wyoming "
        "HM UK U.K. British Britain Scottish Welsh Canada Canadian Ontario Quebec Australia "
        "Australian Irish Ireland India Indian Japan Japanese Korea Korean Singapore "
        "Singaporean Philippine Malaysian Nigerian Kenyan Ghanaian Brazil Brazilian Mexico "
        "Mexican provincial state county city municipal tribal"
    ).split()
) | frozenset(
    tuple(name.split())
    for name in (
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "Washington State",
        "West Virginia",
        "Puerto Rico",
        "His Majesty's",
        "Her Majesty's",
        "New Zealand",
        "Hong Kong",
        "South African",
    )
)
# The U.S. one: "U.S. Treasury", "the federal Department of Justice".
_FEDERAL = frozenset(
    {("U.S.",), ("US",), ("United", "States"), ("federal",), ("Federal",), ("America",)}
)
_CHAMBERS = frozenset({"Senate", "House"})  # "Texas Senate Commerce Committee"
# A place or business after a name: "White House Tavern", "The Data Centre café".
_VENUE = re.compile(
    r"\s+(?:(?-i:Tavern|Farm|Inn|Pub|Grill|Restaurant|Hotel|Bakery|Brewery|Diner|Saloon|"
    r"Bistro|Winery|Café|Cafe)|(?i:caf[eé]|tavern|pub|bakery|brewery|diner|bistro|"
    r"restaurant))\b"
)
# A company's form after a topic's name written in capitals: "National Security Services
# wins stadium contract", "Model Weights Inc.". (Not "Group": a "Threat Intelligence
# Group" is a lab's team that does the very thing.)
_COMPANY = re.compile(
    r"\s+(?:Services|Solutions|Holdings|Inc\b|Incorporated|LLC|L\.L\.C\.|Ltd\b|Limited|"
    r"Corp\b|Corporation|Company|Co\.)"
)
# Words every government has a body of: a name made only of these is generic.
_GENERIC = frozenset(
    "department dept. of the commerce treasury justice state senate house committee "
    "on and office".split()
)
_BEFORE_CHARS = 40


def another_of_the_name(
    found: Sequence[Mention], fields: Mapping[str, str], jurisdiction: bool
) -> set[int]:
    """Which of a term's mentions in an item name another body or place of its name
    (their positions in `found`); `jurisdiction`: the term is a government body."""
    other = {m.text.lower() for m in found if _VENUE.match(fields[m.field], m.end)}
    if jurisdiction:
        # Read where the item writes the name, not only where it was accepted: the
        # taxonomy's own vetoes may have dropped "HM Treasury" and kept "the Treasury".
        for name in {m.text for m in found}:
            if any(
                _written_before(value, at, _ELSEWHERE)
                for value in fields.values()
                for at in _occurrences(value, name)
            ):
                other.add(name.lower())
    if not other or any(
        "U.S." in m.text or _written_before(fields[m.field], m.start, _FEDERAL) for m in found
    ):
        return set()  # nothing else of the name, or the item names the U.S. one too
    generic = jurisdiction and any(_generic(name) for name in other)
    return {
        at
        for at, m in enumerate(found)
        if m.text.lower() in other or (generic and _generic(m.text))
    }


def a_company_of_the_name(found: Sequence[Mention], fields: Mapping[str, str]) -> set[int]:
    """Which of a topic's mentions are a company's name (their positions in `found`):
    the topic's words each capitalised and a company's form right after them."""
    return {
        at
        for at, m in enumerate(found)
        if _COMPANY.match(fields[m.field], m.end)
        and all(word[0].isupper() for word in m.text.split() if word.lower() not in _LINKING)
    }


def _written_before(value: str, start: int, names: frozenset[tuple[str, ...]]) -> bool:
    """Whether one of `names` (as words) ends right before `start`, a possessive or a
    chamber between ("Hong Kong's Treasury", "Texas Senate Commerce Committee")."""
    cut = max(0, start - _BEFORE_CHARS)
    words = value[cut:start].split()
    if cut and words and not value[cut - 1].isspace():
        words = words[1:]  # a word cut in two by the window is not a word
    if not words or value[start - 1 : start].isalnum():
        return False
    if words[-1] in _CHAMBERS:
        words = words[:-1]
    if words and words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    return any(tuple(words[-n:]) in names for n in (1, 2, 3) if len(words) >= n)


def _occurrences(value: str, name: str) -> Iterator[int]:
    """Where `name` is written as whole words in `value`."""
    at = value.find(name)
    while at != -1:
        end = at + len(name)
        if (at == 0 or not value[at - 1].isalnum()) and (
            end == len(value) or not value[end].isalnum()
        ):
            yield at
        at = value.find(name, at + 1)


def _generic(name: str) -> bool:
    return all(word in _GENERIC for word in name.lower().split())
