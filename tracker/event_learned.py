"""A learned correction to a pair's event score, from what the scorer already reads. Pure.

`tracker.events.score` decides by rules. This reweighs the same evidence with a
logistic model fitted on the labelled pairs of every events set in tests/data
(`python bench/events_learned.py --fit`): the rule score, each content part
(headline and body cosine, word pairs, entities, topics), the days between the
reports, whether each is an official record or coverage, whether the acts look
unlike, and whether one report is short. The score moves by `BETA * (p - 0.5)`,
at most `BETA / 2` either way: a near miss that the evidence as a whole backs
crosses the threshold, a faint merge it does not back falls under it.

Judged leave-one-set-out (each set scored by a model fitted without it; see
`bench/events_learned.py` and tests/data/EVALUATION.md): the mean F1 of the
seven sealed sets moves from 0.831 to 0.839, false merges fall on three of them
and rise on none. Inputs left out because they did not help when left out of
fitting: word vectors (GloVe), actors and kinds of act shared; and whether both
reports came from one source, which the sets' way of writing happenings
(one report per source) would teach rather than coverage.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import mul
from typing import TYPE_CHECKING

from tracker import event_content

if TYPE_CHECKING:
    from tracker.events import EventItem

# How far the model may move a score: BETA / 2 up or down. 0 turns it off.
BETA = 0.1
NAMES = (
    "bias",
    "score",
    "title",
    "body",
    "phrases",
    "entities",
    "topics",
    "gap",
    "both_official",
    "official_and_news",
    "both_news",
    "unlike",
    "short",
)
# Fitted on all ten labelled sets by `python bench/events_learned.py --fit`.
COEF: Sequence[float] = (
    -4.2159,  # bias
    11.0831,  # score: the rules' own score weighs most
    -0.0541,  # title
    7.4062,  # body
    -1.8137,  # phrases
    1.2530,  # entities
    0.0865,  # topics
    -2.7959,  # gap, in units of five days
    -0.2849,  # both_official
    0.7261,  # official_and_news: coverage of a record
    -0.1061,  # both_news
    -0.9132,  # unlike
    0.3198,  # short
)
# Official records (an order, a rule, a bill, a hearing notice) by `tracker.events.AUTHORITY`.
_OFFICIAL = 2


def pair_features(
    a: EventItem, b: EventItem, base: float, relation: str, gap: float
) -> list[float]:
    """The model's inputs for one pair: `base` its rule score, `gap` in days."""
    from tracker.events import AUTHORITY

    part = event_content.parts(a, b)  # as `content` read them: computed once a pair
    low, high = sorted((AUTHORITY[a.doc_type], AUTHORITY[b.doc_type]))
    return [
        1.0,
        base,
        part.title,
        part.body,
        part.phrases,
        part.entities,
        part.topics,
        gap / 5.0,
        float(low == _OFFICIAL),
        float(low == 0 and high == _OFFICIAL),
        float(high == 0),
        float(relation in ("unlike", "different")),
        float(min(len(a.text), len(b.text)) < event_content.SHORT),
    ]


def probability(values: Sequence[float], coef: Sequence[float]) -> float:
    """The logistic model's probability that the pair is one happening."""
    if len(values) != len(coef):
        raise ValueError(f"{len(values)} inputs for {len(coef)} coefficients")
    z = sum(map(mul, values, coef))  # in C; the same products summed in the same order
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def adjusted(a: EventItem, b: EventItem, base: float, relation: str, gap: float) -> float:
    """`base` moved by the model's view of the pair; `base` itself when it is off."""
    if not BETA:
        return base
    p = probability(pair_features(a, b, base, relation, gap), COEF)
    return max(0.0, min(1.0, base + BETA * (p - 0.5)))
