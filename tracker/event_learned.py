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
`bench/events_learned.py` and tests/data/EVALUATION.md): over 21 sets, refitted
with BETA 0.3 (refit28), the mean F1 of the seven sets sealed after the rules
moves from 0.844 (no correction; 0.846 at the old BETA 0.1) to 0.852, and false
merges fall on fourteen sets and rise on one (unseen4, 0.0 -> 0.7 per 100); on a
set sealed before the refit and never fitted on (unseen18), F1 0.762 -> 0.784 and
false merges 2.6 -> 1.9 per 100. Inputs left out because they did not help when
left out of fitting: word vectors (GloVe), actors and kinds of act shared; and whether both
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

# How far the model may move a score: BETA / 2 up or down. 0 turns it off. Chosen
# leave-one-set-out over 21 sets (`python bench/events_learned.py --betas 0 0.2 0.25
# 0.3 0.4`): 0.3 in 15 of the 21 folds (the best mean F1 of the other sets that
# raises none's false merges by more than 0.5 per 100).
BETA = 0.3
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
# Fitted on the pairs of all 21 labelled sets (51,193 pairs, 4,090 of one happening) by
# `python bench/events_learned.py --fit`.
COEF: Sequence[float] = (
    -4.2346,  # bias
    9.1810,  # score: the rules' own score weighs most
    -0.9592,  # title
    9.8220,  # body
    -3.1570,  # phrases
    1.1106,  # entities
    -0.0621,  # topics
    -2.9735,  # gap, in units of five days
    -0.4361,  # both_official
    0.8108,  # official_and_news: coverage of a record
    -0.2406,  # both_news
    -0.9214,  # unlike
    0.3864,  # short
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
