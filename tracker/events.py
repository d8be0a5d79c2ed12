"""Group items about the same real-world happening into events.

Pure: `EventItem`s in, scores and event ids out; no I/O. The store keeps the
grouping and calls `assign` for each arriving item with the events that have
a member within `WINDOW` of it. `score` compares two items by the words of
their titles and texts, the entities and topics both carry and how far apart
they were published; `link` scores an item against an event (its best pair,
corroborated by the second best), and the best-linked event above `THRESHOLD`
takes the item.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import pairwise

from tracker.types import DOC_TYPES

# Coverage of a happening follows it within days; a piece weeks later is a new
# happening (a follow-up, a critique) even when it uses the same words. Five
# days, not four: the Federal Register often prints a presidential memorandum
# four or five days after it is signed, and it is the same document.
WINDOW = timedelta(days=5)
# An item joins an event when its `link` with it reaches this.
THRESHOLD = 0.30

# Weights of the parts of `score`; they sum to 1. Entities and topics together,
# even corroborated by a second member ((0.12 + 0.10) * 1.25 = 0.275), stay
# under THRESHOLD: naming the same companies alone never merges two items.
TITLE_WEIGHT = 0.25
BODY_WEIGHT = 0.38
PHRASE_WEIGHT = 0.15
ENTITY_WEIGHT = 0.12
TOPIC_WEIGHT = 0.10
# Two items that each name two or more entities, none in common, are about
# different actors; one entity is too little to tell (taggers miss some).
STRANGERS_FACTOR = 0.7
# A second member that also resembles the item corroborates the first.
CORROBORATION = 0.25
# At the edge of the window a pair keeps this share of its content score.
FAR_FACTOR = 0.7

# Official documents outrank a publisher's statement, which outranks coverage.
AUTHORITY: Mapping[str, int] = {
    "memo": 2,
    "executive-order": 2,
    "proclamation": 2,
    "notice": 2,
    "export-control": 2,
    "rule": 2,
    "bill": 2,
    "letter": 2,
    "hearing": 2,
    "report": 2,
    "press-release": 1,
    "news": 0,
}

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
    "hear": ("testimony", "testify", "witnes"),
    "memo": ("memorandum", "memoranda"),
    "bill": ("legislat",),
}
_CANON = {word: canon for canon, words in _SYNONYMS.items() for word in words}
_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")


@dataclass(frozen=True)
class EventItem:
    """What grouping needs of one stored item; `entities`/`topics` are slugs."""

    id: int
    title: str
    text: str
    entities: frozenset[str]
    topics: frozenset[str]
    published: datetime
    doc_type: str
    source: str

    def __post_init__(self) -> None:
        # Naive and aware datetimes cannot be subtracted; fail at the door, not mid-batch.
        if self.published.utcoffset() is None:
            raise ValueError(f"item {self.id}: published must be timezone-aware")
        if self.doc_type not in DOC_TYPES:
            raise ValueError(f"item {self.id}: unknown doc_type {self.doc_type!r}")


@dataclass(frozen=True)
class EventCandidate:
    """An existing event: its id and the items already in it."""

    event_id: int
    items: tuple[EventItem, ...]


@dataclass(frozen=True)
class Features:
    """Tokens of one item, computed once: title stems, weighted body stems, phrases."""

    title: frozenset[str]
    body: Mapping[str, float]
    body_norm: float
    phrases: frozenset[str]


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
    for word in _WORD.findall(text.lower()):
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
    body = {word: 1.0 + math.log(count) for word, count in counts.items()}
    phrases = frozenset(f"{a} {b}" for seq in (title, text) for a, b in pairwise(seq))
    norm = math.sqrt(sum(w * w for w in body.values()))
    return Features(frozenset(title), body, norm, phrases)


def score(a: EventItem, b: EventItem) -> float:
    """How likely `a` and `b` report the same happening, in [0, 1]; 0 outside `WINDOW`."""
    gap = abs(a.published - b.published)
    if gap > WINDOW:
        return 0.0
    if b.id < a.id:
        a, b = b, a  # one order of float sums, so score(a, b) == score(b, a) exactly
    fa, fb = features(a), features(b)
    content = (
        TITLE_WEIGHT * _cosine_sets(fa.title, fb.title)
        + BODY_WEIGHT * _cosine(fa, fb)
        + PHRASE_WEIGHT * _dice(fa.phrases, fb.phrases)
        + ENTITY_WEIGHT * _jaccard(a.entities, b.entities)
        + TOPIC_WEIGHT * _jaccard(a.topics, b.topics)
    )
    if min(len(a.entities), len(b.entities)) >= 2 and a.entities.isdisjoint(b.entities):
        content *= STRANGERS_FACTOR
    nearness = 1.0 - (1.0 - FAR_FACTOR) * (gap / WINDOW)
    return min(1.0, content * nearness)


def link(item: EventItem, members: Iterable[EventItem]) -> float:
    """The item's score with an event: its best pair, plus a share of its second best.

    0 if any member is outside `WINDOW`: an event never spans more than the
    window, so a chain of coverage cannot drift from one happening to the next.
    """
    best = second = 0.0
    for member in members:
        if abs(item.published - member.published) > WINDOW:
            return 0.0
        value = score(item, member)
        if value > best:
            best, second = value, best
        elif value > second:
            second = value
    return min(1.0, best + CORROBORATION * second)


def assign(
    item: EventItem, events: Sequence[EventCandidate], threshold: float = THRESHOLD
) -> int | None:
    """The id of the event `item` belongs to, or None when it starts a new one.

    The best-linked event wins if it reaches `threshold`; on a tie, the first given.
    """
    best_id, best = None, 0.0
    for event in events:
        value = link(item, event.items)
        if value >= threshold and value > best:
            best_id, best = event.event_id, value
    return best_id


def group(items: Iterable[EventItem], threshold: float = THRESHOLD) -> list[list[int]]:
    """Item ids grouped into events, as `assign` would build them one arrival at a time.

    Items go in published order (then id); events come out in order of their first item.
    """
    events: list[list[EventItem]] = []
    open_events: list[int] = []  # indexes of events whose first item is within the window
    for item in sorted(items, key=lambda i: (i.published, i.id)):
        # Skipping closed events changes nothing: `link` would give them 0.
        open_events = [n for n in open_events if item.published - events[n][0].published <= WINDOW]
        candidates = [EventCandidate(n, tuple(events[n])) for n in open_events]
        chosen = assign(item, candidates, threshold)
        if chosen is None:
            events.append([item])
            open_events.append(len(events) - 1)
        else:
            events[chosen].append(item)
    return [[item.id for item in members] for members in events]


def headline_item(items: Iterable[EventItem]) -> EventItem:
    """The event's most authoritative item (earliest on a tie); its title is the headline."""
    ranked = sorted(items, key=lambda i: (-AUTHORITY[i.doc_type], i.published, i.id))
    if not ranked:
        raise ValueError("an event has at least one item")
    return ranked[0]


def event_date(items: Iterable[EventItem]) -> datetime:
    """When the event happened: its earliest item's published time."""
    return min(item.published for item in items)


def _cosine(a: Features, b: Features) -> float:
    if not a.body_norm or not b.body_norm:
        return 0.0
    small, large = (a.body, b.body) if len(a.body) <= len(b.body) else (b.body, a.body)
    dot = sum(weight * large.get(word, 0.0) for word, weight in small.items())
    return dot / (a.body_norm * b.body_norm)


def _cosine_sets(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
