"""Does a sentence encoder's cosine carry evidence the grouping's rules lack?

    /work/venv-enc/bin/python bench/encoder_embed.py        # vectors -> /tmp/encoder_vectors.npz
    python bench/event_encoder.py [--vectors /tmp/encoder_vectors.npz] [--field both]
    /work/venv-enc/bin/python bench/encoder_table.py        # static table -> /tmp/meaning.npz
    python bench/event_encoder.py --static [--table FILE]   # that static table instead

For every labelled events set, every pair the rules score by content (what
`tracker.event_learned` sees) with its label, its rule score, the learned
model's inputs and the cosine of the two items' vectors. Prints ROC AUC of the
cosine alone, of the rule score alone, and of a logistic model over the
learned model's inputs with and without the cosine, each fitted leave-one-set-out
(scored only on the set left out of fitting): over all pairs, in the band where
decisions are made (rule score 0.10-0.35), among low-scored pairs (< 0.15), and
between the grouping's own errors (pairs it splits that are one happening
against pairs it merges that are not). Then `--loso`: the learned correction
with the cosine as one more input, judged as `bench/events_learned.py` judges
it (fitted on the other sets, BETA chosen on them, the left-out set scored).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import events as bench  # noqa: E402  (bench/events.py)
from events_learned import fit_logistic, scored_pairs  # noqa: E402

from tracker import event_learned, events  # noqa: E402

SEALED7 = tuple(f"events_unseen{n}" for n in ("", 2, 3, 4, 5, 6, 7))
SEALED8 = (*SEALED7, "events_unseen8")

Vectors = dict[int, np.ndarray]  # item id -> unit vector, for the set being scored


def encoder_vectors(path: Path, field: str) -> dict[str, Vectors]:
    """Per set, each item's vector from `bench/encoder_embed.py`'s file."""
    data = np.load(path)
    out: dict[str, Vectors] = {}
    for key, vector in zip(data["keys"], data[field], strict=True):
        name, _, item = str(key).partition(":")
        out.setdefault(name, {})[int(item)] = vector / (np.linalg.norm(vector) or 1.0)
    return out


def static_vectors(sets: dict[str, Any], embed: Callable[[Any], np.ndarray]) -> dict[str, Vectors]:
    """Per set, each item's vector from a per-item function (e.g. the static table)."""
    return {name: {item.id: embed(item) for item in items} for name, (items, _) in sets.items()}


def collect(
    items: list[Any], rows: dict[int, dict[str, Any]], vectors: Vectors
) -> dict[str, np.ndarray]:
    """Every content-scored pair: learned inputs, rule score, cosine, label, grouped."""
    found = {frozenset(p) for p in bench.pairs(events.group(items))}
    x, y, ids = scored_pairs(items, rows)
    cos = [float(vectors[a] @ vectors[b]) for a, b in ids]
    merged = [float(frozenset(pair) in found) for pair in ids]
    return {"x": x, "y": y, "cos": np.array(cos), "merged": np.array(merged), "ids": np.array(ids)}


def auc(score: np.ndarray, label: np.ndarray) -> float:
    """ROC AUC by ranks (ties share a rank); nan without both classes."""
    pos, neg = label == 1, label == 0
    if not pos.any() or not neg.any():
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    ranks[order] = np.arange(1, len(score) + 1)
    # average ranks over ties
    _, start, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    for s, c in zip(start, counts, strict=True):
        if c > 1:
            ranks[order[s : s + c]] = ranks[order[s : s + c]].mean()
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * neg.sum()))


def loso_probabilities(
    data: dict[str, dict[str, np.ndarray]], with_cos: bool
) -> dict[str, np.ndarray]:
    """For each set, the logistic model's probability fitted on the other sets."""

    def design(d: dict[str, np.ndarray]) -> np.ndarray:
        return np.column_stack([d["x"], d["cos"]]) if with_cos else d["x"]

    out = {}
    for left in data:
        others = [n for n in data if n != left]
        w = fit_logistic(
            np.vstack([design(data[n]) for n in others]),
            np.concatenate([data[n]["y"] for n in others]),
        )
        out[left] = 1 / (1 + np.exp(-np.clip(design(data[left]) @ w, -30, 30)))
    return out


def report_aucs(data: dict[str, dict[str, np.ndarray]]) -> None:
    rules = loso_probabilities(data, with_cos=False)
    both = loso_probabilities(data, with_cos=True)
    pooled = {
        "y": np.concatenate([d["y"] for d in data.values()]),
        "score": np.concatenate([d["x"][:, 1] for d in data.values()]),
        "cos": np.concatenate([d["cos"] for d in data.values()]),
        "merged": np.concatenate([d["merged"] for d in data.values()]),
        "rules": np.concatenate([rules[n] for n in data]),
        "both": np.concatenate([both[n] for n in data]),
    }
    score, y, merged = pooled["score"], pooled["y"], pooled["merged"]
    slices = {
        "all content-scored pairs": np.ones_like(y, dtype=bool),
        "decision band (rule score 0.10-0.35)": (score >= 0.10) & (score < 0.35),
        "narrow band (rule score 0.10-0.25)": (score >= 0.10) & (score < 0.25),
        "low-scored (rule score < 0.15)": score < 0.15,
        "grouping's errors (split same vs merged different)": ((y == 1) & (merged == 0))
        | ((y == 0) & (merged == 1)),
    }
    print("pooled over all sets; logistic models fitted leave-one-set-out\n")
    print("| pairs | n (same / different) | cosine | rule score | rules' inputs (LR) | + cosine |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for label, keep in slices.items():
        yy = y[keep]
        cells = [auc(pooled[k][keep], yy) for k in ("cos", "score", "rules", "both")]
        print(f"| {label} | {int(yy.sum())} / {int((1 - yy).sum())} | "
              + " | ".join(f"{c:.3f}" for c in cells) + " |")  # fmt: skip
    print("\nper set, all content-scored pairs (cosine / rule score / LR / LR+cosine):")
    for name, d in data.items():
        cells = [auc(d["cos"], d["y"]), auc(d["x"][:, 1], d["y"]),
                 auc(rules[name], d["y"]), auc(both[name], d["y"])]  # fmt: skip
        print(f"  {name}: " + " / ".join(f"{c:.3f}" for c in cells))
    missed = (y == 1) & (merged == 0)
    wrong = (y == 0) & (merged == 1)
    right = (y == 1) & (merged == 1)
    low_missed = missed & (score < 0.15)
    print("\nmedian cosine: split pairs of one happening "
          f"{np.median(pooled['cos'][missed]):.3f} (n={missed.sum()}), of them rule score < 0.15 "
          f"{np.median(pooled['cos'][low_missed]):.3f} (n={low_missed.sum()}); "
          f"false merges {np.median(pooled['cos'][wrong]):.3f} (n={wrong.sum()}); "
          f"right merges {np.median(pooled['cos'][right]):.3f}; different pairs scored < 0.15 "
          f"{np.median(pooled['cos'][(y == 0) & (score < 0.15)]):.3f}")  # fmt: skip


def judge(sets: dict[str, Any], vectors: dict[str, Vectors], data: dict[str, dict[str, np.ndarray]],
          betas: Sequence[float]) -> None:  # fmt: skip
    """Leave one set out, as `bench/events_learned.py`: the learned correction with and
    without the cosine input, BETA chosen on the other sets."""
    original_features, original_names = event_learned.pair_features, event_learned.NAMES
    current: dict[str, Vectors] = {}

    def with_cosine(a: Any, b: Any, base: float, relation: str, gap: float) -> list[float]:
        values = original_features(a, b, base, relation, gap)
        return [*values, float(current["v"][a.id] @ current["v"][b.id])]

    def scores(coef: np.ndarray, beta: float, cosine: bool) -> dict[str, dict[str, float]]:
        event_learned.COEF, event_learned.BETA = tuple(coef), beta
        event_learned.pair_features = with_cosine if cosine else original_features  # type: ignore[assignment]
        try:
            out = {}
            for n, (i, r) in sets.items():
                current["v"] = vectors[n]
                out[n] = bench.measures(events.group(i), r)
            return out
        finally:
            event_learned.BETA = 0.0
            event_learned.pair_features = original_features  # type: ignore[assignment]

    base = scores(np.zeros(len(original_names)), 0.0, False)
    results: dict[str, dict[str, tuple[float, dict[str, float]]]] = {"rules": {}, "cosine": {}}
    fixed: dict[tuple[str, float], dict[str, dict[str, float]]] = {}
    for left in sets:
        others = [n for n in sets if n != left]
        for variant in results:
            cosine = variant == "cosine"

            def design(d: dict[str, np.ndarray], cosine: bool = cosine) -> np.ndarray:
                return np.column_stack([d["x"], d["cos"]]) if cosine else d["x"]

            coef = fit_logistic(
                np.vstack([design(data[n]) for n in others]),
                np.concatenate([data[n]["y"] for n in others]),
            )
            best, best_beta, best_scores = -1.0, 0.0, base
            for beta in betas:
                got = scores(coef, beta, cosine)
                fixed.setdefault((variant, beta), {})[left] = got[left]
                worse = any(
                    got[o]["false_merges_per_100"] > base[o]["false_merges_per_100"] + 0.5
                    for o in others
                )
                value = -1.0 if worse else float(np.mean([got[o]["f1"] for o in others]))
                if value > best:
                    best, best_beta, best_scores = value, beta, got
            results[variant][left] = (best_beta, best_scores[left])
        r, c = results["rules"][left], results["cosine"][left]
        print(f"  fold {left}: rules {r[1]['f1']:.3f} (beta {r[0]}), "
              f"+ cosine {c[1]['f1']:.3f} (beta {c[0]})", flush=True)  # fmt: skip
    print("\n| set | BETA 0: P / R / F1 / fm | learned, left out | learned + cosine, left out |")
    print("| --- | --- | --- | --- |")
    for name in sets:
        r, c = results["rules"][name], results["cosine"][name]
        print(
            f"| {name} | {_fmt(base[name])} | {_fmt(r[1])} (β {r[0]}) | {_fmt(c[1])} (β {c[0]}) |"
        )
    for label, sealed in (("unseen..unseen7", SEALED7), ("unseen..unseen8", SEALED8)):
        means = [np.mean([base[n]["f1"] for n in sealed])] + [
            np.mean([results[v][n][1]["f1"] for n in sealed]) for v in ("rules", "cosine")
        ]
        print(f"LOSO mean F1 {label}: BETA 0 {means[0]:.3f}, learned {means[1]:.3f}, "
              f"learned + cosine {means[2]:.3f}")  # fmt: skip
    print("\nBETA held fixed, the model fitted without the set it scores: F1 (false merges / 100)")
    names = " | ".join(n.removeprefix("events_") for n in sets)
    print(f"| variant | BETA | mean unseen..8 | {names} |")
    for (variant, beta), got in fixed.items():
        cells = " | ".join(
            f"{got[n]['f1']:.3f} ({got[n]['false_merges_per_100']:.1f})" for n in sets
        )
        mean = np.mean([got[n]["f1"] for n in SEALED8])
        print(f"| {variant} | {beta} | {mean:.3f} | {cells} |")


def _fmt(m: dict[str, Any]) -> str:
    return (f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} / "
            f"{m['false_merges_per_100']:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=Path, default=Path("/tmp/encoder_vectors.npz"))
    parser.add_argument("--field", choices=("both", "title"), default="both")
    parser.add_argument("--static", action="store_true", help="bench/static_meaning.py")
    parser.add_argument("--table", type=Path, help="its table file")
    parser.add_argument("--loso", action="store_true", help="also judge the grouping LOSO")
    parser.add_argument("--betas", type=float, nargs="*", default=[0.0, 0.05, 0.1, 0.15, 0.2])
    args = parser.parse_args()
    tagging = bench._Tagging()
    sets = {path.stem: bench.load(path, events, tagging) for path in bench.SETS}
    if args.static:
        import static_meaning as event_meaning  # bench/static_meaning.py

        if args.table:
            event_meaning.PATH = args.table
        started = time.process_time()
        vectors = static_vectors(sets, lambda i: event_meaning.vector(i.title, i.text))
        count = sum(len(i) for i, _ in sets.values())
        print(f"static table: {1e6 * (time.process_time() - started) / count:.0f} µs CPU per item")
    else:
        vectors = encoder_vectors(args.vectors, args.field)
    data = {n: collect(i, r, vectors[n]) for n, (i, r) in sets.items()}
    report_aucs(data)
    if args.loso:
        judge(sets, vectors, data, args.betas)


if __name__ == "__main__":
    main()
