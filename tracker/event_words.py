"""The words of a report, as event grouping compares them. Pure.

Stems of content words (function words and news filler dropped, British and
American spellings met, outlets' synonyms for one thing made one), computed
once per report: its title's stems, its weighted body stems and its word pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from tracker.event_rarity import rarity

if TYPE_CHECKING:
    from tracker.events import EventItem

# Function words, and the filler of news copy (days, "said") that says nothing
# about which happening an item reports.
_STOPWORD_TEXT = """
a about above after again against all also am amid among an and any are as at be because been
before being below between both but by can could did do does doing down during each few first
for four friday from further had has have having he her here hers him his how i if in into is it
its itself just last may me might monday more most must my new no nor not now of off on once one
only or other our ours out over own per same saturday say says said shall she should so some
such sunday than that the their theirs them then there these they this those three through
thursday to today told tells too tuesday two under until up us very via was we wednesday week
were what when where which while who whom why will with would yesterday you your yours
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_STOPWORDS = STOPWORDS
_WORD = re.compile(r"[^\W_]+")
# (suffix, replacement), first match wins; a stem keeps four letters (three
# for a plural s: "asks", "uses").
_SUFFIXES = (
    ("ations", ""),
    ("ation", ""),
    ("ions", ""),
    ("ion", ""),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)
# British and American spellings of the same word must meet: outlets differ.
_SPELLING = {
    "licence": "license",
    "licences": "licenses",
    "centre": "center",
    "centres": "centers",
    "defence": "defense",
    "offence": "offense",
    "programme": "program",
    "harbour": "harbor",
    "sceptical": "skeptical",
}
# Words outlets use for the same kind of happening or the same thing, by stem.
_SYNONYMS = {
    "memo": ("memorandum", "memoranda"),
    "bill": ("legislat",),
    "control": ("curb", "restrict"),
    "firm": ("company", "entity"),
    "committe": ("panel",),
    "sue": ("lawsuit", "suit"),
    "charg": ("indict", "indictment"),
    "tarif": ("duty",),
    "smuggl": ("divers", "divert"),
    "prob": ("inquiry", "investig"),
    "propos": ("proposal",),
    "safeguard": ("guardrail",),
    "military": ("battlefield", "warfight"),
    "senat": ("senator",),
    "hear": ("testimony", "testify", "witnes", "grill", "quiz"),
    "settl": ("settlement", "consent"),
    "penalty": ("fin",),
    "lab": ("laboratory",),
    "result": ("earn", "profit"),
    "quarter": ("quarterly",),
    "chip": ("semiconductor",),
    "preempt": ("overrid", "preemption"),
}
# Phrases outlets write in other words, as the words both forms are read as; matched on
# the lowercased words of a text (one dictionary look-up a word, not a regex a phrase).
_PHRASE_TEXT = """
artificial intelligence = ai
blacklist | blacklists | blacklisted | blacklisting = entitylist
entity list | entity lists | entity listing | entity listings = entitylist
executive order = order
language model | language models | llm | llms = model
high bandwidth memory = hbm
office of management and budget | budget office = omb
national defense authorization act | defense bill | defence bill = ndaa
defense policy bill | defence policy bill = ndaa
investments in certain national security technologies = outbound investment
investment in certain national security technologies = outbound investment
chipmaker | chipmakers = chip maker
standards body | standards agency = nist
export agency | export control agency | export enforcement agency = bis
china panel | china committee = select committee ccp
select committee on the ccp | select committee on ccp = select committee ccp
patent office | patent and trademark office = uspto
know your customer | customer verification | customer screening = kyc
research and development | r d = rnd
"""
_PHRASES: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
for _line in _PHRASE_TEXT.strip().splitlines():
    _forms, _, _meaning = _line.partition(" = ")
    for _form in _forms.split(" | "):
        _words = tuple(_form.split())
        _PHRASES.setdefault(_words[0], []).append((_words, _meaning.split()))
for _choices in _PHRASES.values():
    _choices.sort(key=lambda choice: -len(choice[0]))  # the longest phrase first
# Shared words rarer than RARE_WORD (`tracker.event_rarity`) add RARE_WEIGHT each, up to
# RARE_CAP: "foundry" or "battlefield" in both reports says more than "ai" and "chips".
RARE_WORD = 0.7
RARE_WEIGHT = 0.02
RARE_CAP = 0.08
_CANON = {word: canon for canon, words in _SYNONYMS.items() for word in words}
# "F.T.C.", "U.S.": an outlet's dotted initials are the same word as "FTC", "US".
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")
_DOTTED_GATE = re.compile(r"[A-Z]\.[A-Z]\.")
_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")


def _rewritten(words: list[str]) -> list[str]:
    """`words` with each phrase of `_PHRASE_TEXT` replaced by what it means."""
    if _PHRASES.keys().isdisjoint(words):
        return words  # no phrase starts here (most texts): nothing to walk
    out: list[str] = []
    at = 0
    while at < len(words):
        for form, meaning in _PHRASES.get(words[at], ()):
            if tuple(words[at : at + len(form)]) == form:
                out.extend(meaning)
                at += len(form)
                break
        else:
            out.append(words[at])
            at += 1
    return out


@dataclass(frozen=True)
class Features:
    """Tokens of one item, computed once: title stems, weighted body stems, phrases."""

    title: frozenset[str]
    body: Mapping[str, float]
    body_norm: float
    phrases: frozenset[str]
    rare: Mapping[str, float]  # the body's stems rarer than RARE_WORD, with their rarity


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem: ``distilled``, ``distillation`` → ``distil``."""
    word = _SPELLING.get(word) or _ISE.sub(r"iz\1", word)
    for suffix, replacement in _SUFFIXES:
        shortest = 3 if suffix == "s" else 4
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= shortest:
            # "access", "analysis", "status" keep their final s.
            if suffix == "s" and word[-2] in "siu":
                break
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return _CANON.get(word, word)


def tokens(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """Stems of the content words of `text`, in order, without those in `drop`."""
    if _DOTTED_GATE.search(text):  # what every dotted run holds: most texts have none
        text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    words = _rewritten(_WORD.findall(text.lower()))
    known = _CONTENT_STEMS
    for word in [word for word in set(words) if word not in known]:
        known[word] = _SKIP if len(word) < 2 or word in _STOPWORDS else stem(word)
    stems = [known[word] for word in words]
    if len(known) > _CONTENT_STEMS_MAX:
        known.clear()  # bounded: a long run's vocabulary starts again
    return [s for s in stems if s is not _SKIP and s not in drop]


# Each word's stem, or _SKIP for a function word: texts repeat their words, and
# a dictionary lookup costs less than `stem`'s cache call. Bounded by count.
_SKIP = "\x00"
_CONTENT_STEMS: dict[str, str] = {}
_CONTENT_STEMS_MAX = 200_000


@lru_cache(maxsize=8192)
def features(item: EventItem) -> Features:
    """The item's tokens; cached, so scoring it against many candidates tokenises once."""
    # Entity names are compared as slugs (`_jaccard`); left in the words they
    # would count twice, and two happenings naming the same firms would look alike.
    drop = frozenset(stem(part) for slug in item.entities for part in slug.split("-"))
    title = tokens(item.title, drop)
    text = tokens(item.text, drop)
    counts = Counter(text)
    for word in title:
        counts[word] += 2  # a headline names what the item is about
    body = {word: 1.0 + math.log(count) for word, count in counts.items()}
    rare = {word: weight for word in body if (weight := rarity(word)) >= RARE_WORD}
    phrases = frozenset(f"{a} {b}" for seq in (title, text) for a, b in pairwise(seq))
    norm = math.sqrt(sum(w * w for w in body.values()))
    return Features(frozenset(title), body, norm, phrases, rare)


def rare_overlap(a: Features, b: Features) -> float:
    """What the words both reports use, and coverage in this field seldom does, add."""
    if not a.rare or not b.rare:
        return 0.0
    rare = sum(map(a.rare.__getitem__, a.rare.keys() & b.rare.keys()))  # in C, same order
    return min(RARE_CAP, RARE_WEIGHT * rare)
