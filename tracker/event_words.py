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
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
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
# Phrases outlets write in other words, as the one word both forms are read as.
_PHRASES = (
    (re.compile(r"\bartificial intelligence\b"), "ai"),
    (
        re.compile(r"\b(?:trade |export )?blacklist(?:ing|ed|s)?\b|\bentity list(?:ing)?s?\b"),
        "entitylist",
    ),
    (re.compile(r"\bexecutive order\b"), "order"),
    (re.compile(r"\b(?:large )?language models?\b|\bllms?\b"), "model"),
    (re.compile(r"\bhigh[- ]bandwidth memory\b"), "hbm"),
    (re.compile(r"\b(?:white house )?(?:office of management and budget|budget office)\b"), "omb"),
    (
        re.compile(
            r"\bnational defense authorization act\b|\b(?:annual )?defen[cs]e (?:policy )?bill\b"
        ),
        "ndaa",
    ),
    (
        re.compile(
            r"\b(?:u\.?s\.? )?investments? in certain national security technologies"
            r"(?: and products)?(?: in countries of concern)?"
        ),
        "outbound investment",
    ),
    (re.compile(r"\bchip ?makers?\b"), "chip maker"),
    (re.compile(r"\b(?:us |u\.s\. |federal )?standards (?:body|agency)\b"), "nist"),
    (re.compile(r"\bexport(?: control| enforcement)? agency\b"), "bis"),
    (
        re.compile(r"\b(?:house )?china (?:panel|committee)\b|\bselect committee on (?:the )?ccp"),
        "select committee ccp",
    ),
    (re.compile(r"\bpatent (?:and trademark )?office\b"), "uspto"),
    (re.compile(r"\bknow[- ]your[- ]customer\b|\bcustomer (?:verification|screening)\b"), "kyc"),
    (re.compile(r"\bresearch and development\b|\br&d\b"), "rnd"),
)
# Shared words rarer than RARE_WORD (`tracker.event_rarity`) add RARE_WEIGHT each, up to
# RARE_CAP: "foundry" or "battlefield" in both reports says more than "ai" and "chips".
RARE_WORD = 0.7
RARE_WEIGHT = 0.02
RARE_CAP = 0.08
_CANON = {word: canon for canon, words in _SYNONYMS.items() for word in words}
_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")


@dataclass(frozen=True)
class Features:
    """Tokens of one item, computed once: title stems, weighted body stems, phrases."""

    title: frozenset[str]
    body: Mapping[str, float]
    body_norm: float
    phrases: frozenset[str]


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
    found = []
    text = text.lower()
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    for word in _WORD.findall(text):
        if len(word) < 2 or word in _STOPWORDS:
            continue
        stemmed = stem(word)
        if stemmed not in drop:
            found.append(stemmed)
    return found


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
    # A shared rare word says more than a shared common one (`tracker.event_rarity`).
    body = {word: 1.0 + math.log(count) for word, count in counts.items()}
    phrases = frozenset(f"{a} {b}" for seq in (title, text) for a, b in pairwise(seq))
    norm = math.sqrt(sum(w * w for w in body.values()))
    return Features(frozenset(title), body, norm, phrases)


def rare_overlap(a: Features, b: Features) -> float:
    """What the words both reports use, and coverage in this field seldom does, add."""
    shared = a.body.keys() & b.body.keys()
    rare = sum(weight for word in shared if (weight := rarity(word)) >= RARE_WORD)
    return min(RARE_CAP, RARE_WEIGHT * rare)
