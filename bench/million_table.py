"""The growth table of bench/million.py: one row per measurement, one column per store size."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Run = dict[str, Any]


def _get(*keys: str) -> Callable[[Run], Any]:
    def pick(run: Run) -> Any:
        value: Any = run
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    return pick


def _fmt(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def rows(runs: list[Run]) -> list[tuple[str, list[str], str]]:
    """(measurement, a cell per run, target)."""
    out: list[tuple[str, list[str], str]] = []

    def add(name: str, pick: Callable[[Run], Any], spec: str, target: str = "") -> None:
        out.append((name, [_fmt(pick(r), spec) for r in runs], target))

    add("load, items/s wall", _get("load_rate"), ",.0f")
    add("load, items/s per CPU-s (ours)", _get("load_rate_cpu"), ",.0f")
    add("  ingest (parse, tag, store) s wall / CPU",
        lambda r: f"{r['ingest_wall']:.0f} / {r['ingest_cpu']:.0f}" if "ingest_wall" in r else None,
        "s")  # fmt: skip
    add("  grouping (settle) s wall / CPU",
        lambda r: f"{r['group_wall']:.0f} / {r['group_cpu']:.0f}" if "group_wall" in r else None,
        "s")  # fmt: skip
    add("index build, items/s wall", _get("index_rate"), ",.0f")
    add("index build, s wall / CPU",
        lambda r: f"{r['index_wall']:.0f} / {r['index_cpu']:.0f}" if "index_wall" in r else None,
        "s")  # fmt: skip
    add("database bytes/item", lambda r: r.get("db_bytes", 0) / r["size"] or None, ",.0f")
    add("index bytes/item", lambda r: r.get("index_bytes", 0) / r["size"] or None, ",.0f")
    kinds = next((list(r["search"]) for r in runs if "search" in r), [])
    for kind in kinds:
        add(f"/search {kind}: first ms", _get("search", kind, "first"), ".0f", "≤ 500")
        add(f"/search {kind}: warm p95 ms", _get("search", kind, "p95"), ".1f", "≤ 100")
        add(f"/search {kind}: server CPU ms/req", _get("search", kind, "cpu"), ".1f")
    names = next((list(r["pages"]) for r in runs if "pages" in r), [])
    for name in names:
        add(f"page {name}: p95 ms", _get("pages", name, "p95"), ".1f", "≤ 100")
        add(f"page {name}: server CPU ms/req", _get("pages", name, "cpu"), ".1f")
        add(f"page {name}: first ms", _get("pages", name, "first"), ".0f")
        add(f"page {name}: after change ms", _get("pages", name, "changed"), ".0f", "≤ 300")
    add("feed 304 p50 ms", _get("not_modified", "feed304_p50"), ".2f")
    add("trivial Flask app p50 ms", _get("not_modified", "trivial_p50"), ".2f")
    add("trivial view in the tracker app p50 ms", _get("not_modified", "in_app_p50"), ".2f")
    add("304 rate / bare trivial rate", _get("not_modified", "ratio"), ".2f", "≥ 0.8")
    add("304 rate / in-app trivial rate", _get("not_modified", "ratio_in_app"), ".2f", "≥ 0.8")
    add("worker VmRSS MB (max)", lambda r: max(r.get("rss_mb", {}).values(), default=None), ".0f",
        "≤ 600")  # fmt: skip
    add("load average (1 min) at the end", _get("load_average"), ".1f")
    return out


def print_table(files: list[Path]) -> None:
    runs = [json.loads(f.read_text()) for f in files if f.exists()]
    if not runs:
        print("no saved runs")
        return
    head = " | ".join(f"{r['size']:,} items" + (" (bulk fill)" if r.get("bulk") else "")
                      for r in runs)  # fmt: skip
    print(f"\n| measurement | {head} | target |")
    print("| --- |" + " ---: |" * len(runs) + " --- |")
    for name, cells, target in rows(runs):
        print(f"| {name} | {' | '.join(cells)} | {target} |")
