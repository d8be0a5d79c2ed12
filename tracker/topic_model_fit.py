"""Fit the topic model (`tracker/topic_model.py`) and save it beside the taxonomy.

    python -m tracker.topic_model_fit [--train data/topic_train.jsonl]
                                      [--out data/topic_model.json] [--threshold 0.7]

One logistic regression per topic over an item's features (present or not,
scaled as `topic_model.scale_of` scales them), with an L2 penalty, fitted by
full-batch gradient descent (Adam) from zeros, with no randomness: the same
file gives the same model (on another machine's arithmetic, a weight may come out
one in its last saved place apart). Training items are JSON lines with "title",
"summary" and "topics" (a child topic's parent given too).
"""

from __future__ import annotations

import argparse
import base64
import json
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from operator import itemgetter
from pathlib import Path

import numpy as np

from tracker import topic_model
from tracker.config import REPO_ROOT

MIN_ITEMS = 2  # a feature seen in one training item only says nothing general
PENALTY = 3e-5  # L2, per item (chosen on the development sets: see EVALUATION.md)
STEPS = 400
RATE = 0.05
BETAS = (0.9, 0.999)
DIGITS = topic_model.DIGITS  # saved rounded; a feature whose weights all round to 0 is dropped


def read_items(path: Path) -> list[dict]:  # type: ignore[type-arg]
    """Training items from JSON lines (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def fit(
    items: Sequence[dict],  # type: ignore[type-arg]
    topics: Sequence[str],
    threshold: float,
    steps: int = STEPS,
    penalty: float = PENALTY,
    *,
    features: Callable[[str, str], set[str]] = topic_model.features,
    labels_of: Callable[[dict], Collection[str]] = itemgetter("topics"),  # type: ignore[type-arg]
    softmax: bool = False,
) -> dict:  # type: ignore[type-arg]
    """The model's saved form, fitted on `items` for `topics`: a logistic model per
    topic, or with `softmax` one model choosing among them (each item has one)."""
    found = [features(i["title"], i.get("summary", "")) for i in items]
    counts = Counter(f for item in found for f in item)
    names = sorted(f for f, n in counts.items() if n >= MIN_ITEMS)
    column = {f: at for at, f in enumerate(names)}
    # float32: thousands of items by tens of thousands of features.
    x = np.zeros((len(items), len(names)), dtype=np.float32)
    for row, item in enumerate(found):
        scale = topic_model.scale_of(len(item))
        for f in item:
            if f in column:
                x[row, column[f]] = scale
    y = np.array([[t in labels_of(i) for t in topics] for i in items], dtype=np.float32)
    weights = np.zeros((len(names), len(topics)), dtype=np.float32)
    bias = np.zeros(len(topics), dtype=np.float32)
    # Adam: each weight's step follows its own gradient's scale, which a rare
    # word's (a few items of two thousand) is far below a common word's.
    first = [np.zeros_like(weights), np.zeros_like(bias)]
    second = [np.zeros_like(weights), np.zeros_like(bias)]
    for step in range(1, steps + 1):
        z = x @ weights + bias
        p: np.ndarray
        if softmax:
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
        else:
            p = 1.0 / (1.0 + np.exp(-z))
        gap = (p - y) / len(items)
        grads = (x.T @ gap + penalty * weights, gap.sum(axis=0))
        for at, (value, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            first[at] = BETAS[0] * first[at] + (1 - BETAS[0]) * grad
            second[at] = BETAS[1] * second[at] + (1 - BETAS[1]) * grad * grad
            mean = first[at] / (1 - BETAS[0] ** step)
            spread = second[at] / (1 - BETAS[1] ** step)
            value -= RATE * mean / (np.sqrt(spread) + 1e-8)
    keep = np.abs(weights).max(axis=1) >= 10.0**-DIGITS
    kept = np.round(weights[keep], DIGITS).astype("<f4")
    return {
        "format": topic_model.FORMAT,
        "topics": list(topics),
        "threshold": threshold,
        "trained_on": len(items),
        "bias": [round(float(b), DIGITS) for b in bias],
        "features": [name for at, name in enumerate(names) if keep[at]],
        "weights": base64.b64encode(kept.tobytes()).decode("ascii"),
    }


def main(argv: Sequence[str] | None = None) -> None:
    from tracker.taxonomy import parse_taxonomy

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=REPO_ROOT / "data" / "topic_train.jsonl")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / topic_model.MODEL_FILE)
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--steps", type=int, default=STEPS)
    args = parser.parse_args(argv)
    # The taxonomy's text alone: the model file beside it is what is being replaced.
    taxonomy = args.out.parent / "taxonomy.toml"
    topics = [t.slug for t in parse_taxonomy(taxonomy.read_text("utf-8"), str(taxonomy)).topics]
    save(fit(read_items(args.train), topics, args.threshold, args.steps), args.out, "topics")


def save(model: dict, out: Path, labels: str) -> None:  # type: ignore[type-arg]
    """Write a fitted model's saved form to `out` and say what it holds."""
    text = json.dumps(model, separators=(",", ":"), ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"{out}: {len(model['features']):,} features, {len(model['topics'])} {labels}, "
          f"{model['trained_on']:,} items, {len(text) / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
