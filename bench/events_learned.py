"""Does a learned correction of the pair score help event grouping on sets it never saw?

    python bench/events_learned.py                  # leave-one-set-out judgement of the model
    python bench/events_learned.py --fit            # COEF for tracker/event_learned.py, all sets
    python bench/events_learned.py --family threshold   # the same judgement of a refitted threshold
    python bench/events_learned.py --drop gap short # ... of the model without some inputs

Leave-one-set-out: for each labelled events set, the logistic model
(`tracker.event_learned`) is fitted on the pairs of the other nine sets, BETA is
chosen on those nine (best mean F1 among the values that raise no set's false
merges per 100 by more than 0.5 over the unchanged code), and only then is the
left-out set grouped and scored. Prints per-set precision, recall, F1 and false
merges per 100 (unchanged code, left out), the mean F1 of the sets sealed after
the rules (unseen..unseen7), and the same with BETA held fixed. `--family
threshold` judges a grid of (THRESHOLD, BEST_FLOOR) the same way.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import events as bench  # noqa: E402  (bench/events.py)

from tracker import event_learned, events  # noqa: E402

SEALED = tuple(f"events_unseen{n}" for n in ("", 2, 3, 4, 5, 6, 7))


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
    print("\n| set | fitted on the other sets | base P / R / F1 / fm | left out P / R / F1 / fm |")
    print("| --- | --- | --- | --- |")
    for name in sets:
        b, o = base[name], results[chosen[name]][name]
        print(f"| {name} | {grid[chosen[name]]} | {_fmt(b)} | {_fmt(o)} |")
    mean_b = np.mean([base[n]["f1"] for n in SEALED])
    mean_o = np.mean([results[chosen[n]][n]["f1"] for n in SEALED])
    print(
        f"\nsealed-later mean F1 (unseen..unseen7): base {mean_b:.3f}, leave-one-out {mean_o:.3f}"
    )


def _pairs_of(items: list[Any], rows: dict[int, dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """The model's inputs for every pair the rules score by content, and their labels."""
    x, y, _ids = scored_pairs(items, rows)
    return x, y


def scored_pairs(
    items: list[Any], rows: dict[int, dict[str, Any]]
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Every pair the rules score by content: the model's inputs, the label, the two ids."""
    seen: list[list[float]] = []
    original = event_learned.adjusted

    def record(a: Any, b: Any, base: float, relation: str, gap: float) -> float:
        seen.append(event_learned.pair_features(a, b, base, relation, gap))
        return base

    event_learned.adjusted = record  # type: ignore[assignment]
    x, y, ids = [], [], []
    try:
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                seen.clear()
                events.score(a, b)
                if seen:
                    x.append(seen[0])
                    y.append(float(rows[a.id]["event"] == rows[b.id]["event"]))
                    ids.append((a.id, b.id))
    finally:
        event_learned.adjusted = original  # type: ignore[assignment]
    return np.array(x), np.array(y), ids


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
    print("\n| set | BETA fitted on the others | base P / R / F1 / fm | left out P / R / F1 / fm |")
    print("| --- | ---: | --- | --- |")
    for name in sets:
        print(f"| {name} | {left_out[name][0]} | {_fmt(base[name])} | {_fmt(left_out[name][1])} |")
    mean_b = np.mean([base[n]["f1"] for n in SEALED])
    mean_o = np.mean([left_out[n][1]["f1"] for n in SEALED])
    print(
        f"\nsealed-later mean F1 (unseen..unseen7): base {mean_b:.3f}, leave-one-out {mean_o:.3f}"
    )
    print("\nBETA held fixed (the model still fitted without the set it scores):")
    print("| BETA | sealed mean F1 | " + " | ".join(n.removeprefix("events_") for n in sets) + " |")
    print("| ---: | ---: |" + " ---: |" * len(sets))
    for beta, got in fixed.items():
        cells = " | ".join(
            f"{got[n]['f1']:.3f} ({got[n]['false_merges_per_100']:.1f})" for n in sets
        )
        print(f"| {beta} | {np.mean([got[n]['f1'] for n in SEALED]):.3f} | {cells} |")
    coef = fit_logistic(
        np.vstack([d[0] for d in data.values()]), np.concatenate([d[1] for d in data.values()])
    )
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


def fit_all(drop: Sequence[str]) -> None:
    """Print COEF fitted on every set's pairs, to paste into tracker/event_learned.py."""
    tagging = bench._Tagging()
    data = [_pairs_of(*bench.load(path, events, tagging)) for path in bench.SETS]
    x = np.vstack([d[0] for d in data])
    for name in drop:
        x[:, event_learned.NAMES.index(name)] = 0.0
    coef = fit_logistic(x, np.concatenate([d[1] for d in data]))
    print(f"{len(x)} pairs, {int(sum(d[1].sum() for d in data))} of one happening")
    print("COEF: Sequence[float] = (")
    for name, value in zip(event_learned.NAMES, coef, strict=True):
        print(f"    {value:.4f},  # {name}")
    print(")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=("learned", "threshold"), default="learned")
    parser.add_argument("--betas", type=float, nargs="*", default=[0.0, 0.05, 0.1, 0.15, 0.2])
    parser.add_argument("--drop", nargs="*", default=[], help="model inputs to leave out")
    parser.add_argument("--fit", action="store_true", help="print COEF fitted on all sets")
    args = parser.parse_args()
    if args.fit:
        fit_all(args.drop)
    elif args.family == "learned":
        judge_learned(args.betas, args.drop)
    else:
        judge(
            [{}]
            + [
                {"threshold": t, "events.BEST_FLOOR": b}
                for t in (0.2, 0.22, 0.25, 0.28, 0.3)
                for b in (0.17, 0.21, 0.25)
            ]
        )


if __name__ == "__main__":
    main()
