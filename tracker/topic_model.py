"""Topics an item speaks of in other words: a small linear model kept beside the taxonomy.

The taxonomy's rules find a topic by its names and their paraphrases; coverage
also says "added to the trade blacklist" for export controls and "siphoned
capabilities through its API" for distillation, in more ways than rules can
list. `data/topic_model.json` holds a logistic model per topic over the words
and word pairs of an item's headline and lede, fitted by
`tracker/topic_model_fit.py` on `data/topic_train.jsonl` (items written for
it, apart from every evaluation set). It only adds: a topic the rules did not
find is given when the model's probability reaches the file's threshold, with
the words that weighed most for it as evidence. Nothing is downloaded; a data
folder without the file tags by the rules alone.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import pairwise
from operator import is_not
from pathlib import Path
from typing import cast

import numpy as np

from tracker.types import Evidence

MODEL_FILE = "topic_model.json"
FORMAT = 2
# What an item is about is in its headline and first lines; a long text's later
# paragraphs name everything it is not about. (The training summaries run to 251
# characters: the model has learnt nothing of a story's fourth paragraph.)
LEDE_CHARS = 400
# Words that say nothing of a topic, left out before pairs are made.
STOP = frozenset(
    "a an and are as at be been but by for from had has have he her his in into is it its "
    "of on or s said says t that the their them they this to was were which who will with".split()
)
_TOKEN = re.compile(r"[^\W_]+")
EVIDENCE_WORDS = 3
DIGITS = 3  # weights are saved rounded to this many decimal places
_KNOWN = partial(is_not, None)  # a feature the model has a row for


def _words(value: str) -> list[str]:
    return [w for w in _TOKEN.findall(value.lower()) if w not in STOP]


def features(title: str, text: str) -> set[str]:
    """The words of the headline and the lede (each cut at `LEDE_CHARS`), lower-cased,
    without stop words, and each pair of neighbouring words within a field ("trade
    blacklist")."""
    found: set[str] = set()
    for words in (_words(title[:LEDE_CHARS]), _words(text[:LEDE_CHARS])):
        found.update(words)
        found.update(map(" ".join, pairwise(words)))
    return found


def locate(feature: str, title: str, text: str) -> Evidence | None:
    """Where a feature first occurs: the headline first, then the lede."""
    wanted = feature.split(" ")
    for field, value in (("title", title[:LEDE_CHARS]), ("text", text[:LEDE_CHARS])):
        spans = [m for m in _TOKEN.finditer(value) if m.group().lower() not in STOP]
        for at in range(len(spans) - len(wanted) + 1):
            if all(spans[at + k].group().lower() == w for k, w in enumerate(wanted)):
                start, end = spans[at].start(), spans[at + len(wanted) - 1].end()
                return Evidence(field, start, end, value[start:end])
    return None


# An item's logits per topic, and the model's rows of its features (`TopicModel.read`).
Reading = tuple[np.ndarray, list[int]]


@dataclass(frozen=True, eq=False)
class TopicModel:
    """Per topic a bias and a weight per feature; an item's features count once each,
    scaled so that a long lede and a short one weigh alike."""

    topics: tuple[str, ...]
    bias: np.ndarray  # (topics,)
    names: tuple[str, ...]  # the features, in the order of `weights`' rows
    weights: np.ndarray  # (features, topics)
    threshold: float

    def probabilities(self, title: str, text: str) -> dict[str, float]:
        """Every topic's probability for an item."""
        logits, _ = self.read(title, text)
        return dict(zip(self.topics, _sigmoid(logits).tolist(), strict=True))

    def read(self, title: str, text: str) -> Reading:
        """An item's logits per topic, and the model's rows of its features."""
        return self.logits(features(title, text))

    def probability(self, reading: Reading, slug: str) -> float:
        """One topic's probability in a reading; 0 for a topic the model lacks."""
        at = self._column.get(slug)
        return 0.0 if at is None else float(_sigmoid(reading[0][at]))

    def topics_of(
        self, title: str, text: str, skip: Collection[str] = (), reading: Reading | None = None
    ) -> dict[str, tuple[Evidence, ...]]:
        """Topics at or above the threshold (but those in `skip`), each with the words
        that weighed most for it; `reading` is the item's `read`, when it was taken."""
        logits, rows = self.read(title, text) if reading is None else reading
        above = np.flatnonzero(logits >= self._cut)
        if not len(above):
            return {}
        names = self.names
        rows = sorted(rows)  # ties among the evidence broken by row, whatever the hash seed
        given: dict[str, tuple[Evidence, ...]] = {}
        for at in above.tolist():
            slug = self.topics[at]
            if slug in skip:
                continue
            column = self.weights[rows, at]
            evidence = []
            for index in np.argsort(-column, kind="stable")[:EVIDENCE_WORDS].tolist():
                if column[index] <= 0:
                    break
                where = locate(names[rows[index]], title, text)
                if where is not None:
                    evidence.append(where)
            if evidence:
                given[slug] = tuple(evidence)
        return given

    @cached_property
    def _cut(self) -> float:
        # p >= threshold  <=>  logit >= log(threshold / (1 - threshold))
        return float(np.log(self.threshold / (1.0 - self.threshold)))

    @cached_property
    def _column(self) -> dict[str, int]:
        return {slug: at for at, slug in enumerate(self.topics)}

    @cached_property
    def rows(self) -> dict[str, int]:
        """Each feature's row of `weights`."""
        return {name: at for at, name in enumerate(self.names)}

    @cached_property
    def _units(self) -> np.ndarray:
        # The weights in thousandths, as integers: saved rounded to three places, they
        # sum exactly in any order (a set's order follows the hash seed, and floats
        # summed in another order can differ in the last bit).
        return np.rint(self.weights * 10**DIGITS).astype(np.int64)

    def logits(self, found: set[str]) -> Reading:
        """Each label's logit for an item of features `found`, and the model's rows of them."""
        rows = cast(list[int], list(filter(_KNOWN, map(self.rows.get, found))))
        if not rows:
            return self.bias, rows
        total = self._units[rows].sum(axis=0) / 10**DIGITS
        return self.bias + total * scale_of(len(found)), rows


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


def scale_of(count: int) -> float:
    """The value each present feature takes in an item of `count` features (known to
    the model or not): a long lede's words weigh no more in all than a short one's."""
    return 1.0 / float(np.sqrt(count)) if count else 0.0


def load(folder: Path, name: str = MODEL_FILE, what: str = "topic model") -> TopicModel | None:
    """The model saved as `name` in `folder`, or None when there is none; ValueError
    naming the file (and `what` it holds) when it cannot be read or is damaged."""
    path = folder / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the {what}: {exc}") from exc
    return from_dict(data, str(path), what)


def from_dict(data: dict, origin: str = "<model>", what: str = "topic model") -> TopicModel:  # type: ignore[type-arg]
    """A model from its saved form, checked. The weights are one base64 string of
    little-endian float32s, a row of one per topic for each feature in order: a JSON
    list of lists took a tenth of a second to read, at every process start."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{origin}: not a {what} of format {FORMAT}")
    try:
        topics = tuple(data["topics"])
        names = tuple(data["features"])
        raw = base64.b64decode(data["weights"], validate=True)
        weights = np.frombuffer(raw, dtype="<f4").astype(np.float64)
        weights = weights.reshape(len(names), len(topics))
        bias = np.array(data["bias"], dtype=np.float64)
        threshold = float(data["threshold"])
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise ValueError(f"{origin}: the {what} is damaged: {exc}") from None
    if bias.shape != (len(topics),) or not 0.0 < threshold < 1.0:
        raise ValueError(f"{origin}: a bias per topic and a threshold between 0 and 1 are needed")
    return TopicModel(topics, bias, names, weights, threshold)
