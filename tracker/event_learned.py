"""A learned correction to a pair's event score, from what the scorer already reads. Pure.

`tracker.events.score` decides by rules; this reweighs its evidence with a
logistic model fitted on labelled pairs (`bench/event_meaning.py --family learned`):
the rule score, each content part (title and body cosine, word pairs, entities,
topics), the word-vector meaning (`tracker.event_meaning`), the gap, who
published each report (an official record, a release, coverage), and the acts'
relation. The score moves by `BETA * (p - 0.5)`; `BETA = 0` leaves it unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tracker import event_content, event_footers, event_meaning, event_names
from tracker.event_words import features, rare_overlap

if TYPE_CHECKING:
    from tracker.events import EventItem

BETA = 0.0
COEF: Sequence[float] = ()
NAMES = (
    "bias",
    "score",
    "title",
    "body",
    "phrases",
    "entities",
    "topics",
    "meaning",
    "gap",
    "both_official",
    "official_and_news",
    "both_news",
    "same_source",
    "unlike",
    "short",
    "score_x_meaning",
    "actors_shared",
    "actors_apart",
    "kinds_shared",
    "kinds_apart",
    "rare",
)


def pair_features(a: EventItem, b: EventItem, base: float, relation: str, gap: float) -> list[float]:
    """The model's inputs for one pair (`gap` in days)."""
    from tracker.events import AUTHORITY, act

    a2, b2 = event_footers.without_shared_footer(a, b)
    fa, fb = features(a2), features(b2)
    meaning = event_meaning.similarity(a, b)
    actors_a, actors_b = event_names.actors(a), event_names.actors(b)
    shared_actors = actors_a & actors_b
    kinds_a, kinds_b = act(a).kinds, act(b).kinds
    ranks = sorted((AUTHORITY[a.doc_type], AUTHORITY[b.doc_type]))
    return [
        1.0,
        base,
        event_content._cosine_sets(fa.title, fb.title),
        event_content._cosine(fa, fb),
        event_content._dice(fa.phrases, fb.phrases),
        event_content._jaccard(a.entities, b.entities),
        event_content._jaccard(a.topics, b.topics),
        meaning,
        gap / 5.0,
        float(ranks[0] == 2),
        float(ranks == [0, 2]),
        float(ranks[1] == 0),
        float(a.source == b.source),
        float(relation in ("unlike", "different")),
        float(min(len(a.text), len(b.text)) < event_content.SHORT),
        base * meaning,
        float(bool(shared_actors)),
        float(bool(actors_a and actors_b and not shared_actors)),
        float(bool(kinds_a & kinds_b)),
        float(bool(kinds_a and kinds_b and not kinds_a & kinds_b)),
        rare_overlap(fa, fb),
    ]


def probability(values: Sequence[float], coef: Sequence[float]) -> float:
    z = sum(x * w for x, w in zip(values, coef, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def adjusted(a: EventItem, b: EventItem, base: float, relation: str, gap: float) -> float:
    """`base` moved by the model's view of the pair; `base` itself when the model is off."""
    if not BETA or not COEF:
        return base
    p = probability(pair_features(a, b, base, relation, gap), COEF)
    return max(0.0, min(1.0, base + BETA * (p - 0.5)))
