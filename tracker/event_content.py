"""How much two reports' words, entities and topics agree: the content part of
`tracker.events.score`. Pure.

Title stems by cosine, weighted body stems by cosine (a headline-only report by
how many of its words the other uses), word pairs by Dice, entity and topic
slugs by Jaccard, and the rare words both use (`tracker.event_words`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from operator import mul
from typing import TYPE_CHECKING, NamedTuple

from tracker import event_footers
from tracker.event_words import Features, features, rare_overlap

if TYPE_CHECKING:
    from tracker.events import EventItem

# Weights of the parts of `score`; they sum to 1. Entities and topics together,
# even corroborated by a second member ((0.12 + 0.10) * 1.25 = 0.275), stay
# under `tracker.events.THRESHOLD`: naming the same companies alone never merges two items.
TITLE_WEIGHT = 0.25
BODY_WEIGHT = 0.38
PHRASE_WEIGHT = 0.15
ENTITY_WEIGHT = 0.12
TOPIC_WEIGHT = 0.10
# Two items that each name two or more entities, none in common, are about
# different actors; one entity is too little to tell (taggers miss some).
STRANGERS_FACTOR = 0.7
# A report with less text than this (a headline, a one-line brief) is short.
SHORT = 80
# A headline whose words the other report all uses is worth this much cosine.
CONTAINED = 0.8


class Parts(NamedTuple):
    """How far two reports agree, part by part, before any weighing."""

    title: float  # headline stems, cosine
    body: float  # weighted body stems, cosine
    phrases: float  # word pairs, Dice
    entities: float  # entity slugs, Jaccard
    topics: float  # topic slugs, Jaccard


@lru_cache(maxsize=1024)
def parts(a: EventItem, b: EventItem) -> Parts:
    """The parts of `content`, their shared footer left out; `tracker.event_learned`
    reads them too, right after `content` has, so they are kept for a while."""
    a, b = event_footers.without_shared_footer(a, b)
    fa, fb = features(a), features(b)
    return Parts(
        _cosine_sets(fa.title, fb.title),
        _cosine(fa, fb),
        _dice(fa.phrases, fb.phrases),
        _jaccard(a.entities, b.entities),
        _jaccard(a.topics, b.topics),
    )


def content(a: EventItem, b: EventItem) -> float:
    """The weighted agreement of two reports' words, entities and topics."""
    part = parts(a, b)
    a, b = event_footers.without_shared_footer(a, b)
    fa, fb = features(a), features(b)
    body = part.body
    if min(len(a.text), len(b.text)) < SHORT:
        body = max(
            body,
            CONTAINED * _contained(fa, fb) if len(a.text) < SHORT else 0.0,
            CONTAINED * _contained(fb, fa) if len(b.text) < SHORT else 0.0,
        )
    content = (
        TITLE_WEIGHT * part.title
        + BODY_WEIGHT * body
        + PHRASE_WEIGHT * part.phrases
        + ENTITY_WEIGHT * part.entities
        + TOPIC_WEIGHT * part.topics
    )
    content += rare_overlap(fa, fb)
    if min(len(a.entities), len(b.entities)) >= 2 and a.entities.isdisjoint(b.entities):
        content *= STRANGERS_FACTOR
    return content


def _cosine(a: Features, b: Features) -> float:
    if not a.body_norm or not b.body_norm:
        return 0.0
    # The shared words by set intersection (in C), not a lookup per word of either body;
    # the products by `map`, in C too, summed in the set's order as a loop would sum them.
    shared = a.body.keys() & b.body.keys()
    dot = sum(map(mul, map(a.body.__getitem__, shared), map(b.body.__getitem__, shared)))
    return dot / (a.body_norm * b.body_norm)


def _contained(short: Features, other: Features) -> float:
    """The share of a headline's words that the other report uses (two at least)."""
    shared = len(short.title & other.body.keys())
    return shared / len(short.title) if shared >= 2 else 0.0


def _cosine_sets(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
