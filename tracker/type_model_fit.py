"""Fit the document-type model (`tracker/type_model.py`) and save it beside the taxonomy.

    python -m tracker.type_model_fit [--train data/type_train.jsonl]
                                     [--out data/type_model.json] [--threshold T]

One softmax regression over the document types, on `type_model.features`, fitted
as the topic model is (`tracker/topic_model_fit.py`: Adam from zeros, an L2
penalty, no randomness). Training items are JSON lines with "title", "summary"
and "doc_type".
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tracker import type_model
from tracker.config import REPO_ROOT
from tracker.topic_model_fit import STEPS, fit, read_items, save
from tracker.types import DOC_TYPES

PENALTY = 3e-5  # L2, per item (chosen on the development sets: see EVALUATION.md)
THRESHOLD = 0.5  # the probability a type needs to be given (ditto)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=REPO_ROOT / "data" / "type_train.jsonl")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / type_model.MODEL_FILE)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--penalty", type=float, default=PENALTY)
    parser.add_argument("--steps", type=int, default=STEPS)
    args = parser.parse_args(argv)
    items = read_items(args.train)
    unknown = sorted({i["doc_type"] for i in items} - set(DOC_TYPES))
    if unknown:
        parser.error(f"{args.train}: not document types: {', '.join(unknown)}")
    model = fit(
        items,
        DOC_TYPES,
        args.threshold,
        args.steps,
        args.penalty,
        features=type_model.features,
        labels_of=lambda item: (item["doc_type"],),
        softmax=True,
    )
    save(model, args.out, "types")


if __name__ == "__main__":
    main()
