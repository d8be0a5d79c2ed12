"""/search at a kept store with every query asked once: no cache keyed on a query can help.

    python bench/search_distinct.py DATABASE_URL HOME BEFORE_TREE [PER_CLASS]

bench/million_search.py asks each class's five queries twenty times, so a
server that remembers a query's matches, facets or page answers the later
rounds from memory; a reader rarely repeats a search. Here each class draws
PER_CLASS (default 40) queries that are all different, built from the words
bench/pages_corpus.py writes into the store (entity names, topic phrases, its
verbs), and each is asked exactly once per tree. Both trees serve the same
store and index with a fresh `gunicorn -w 2`, first warmed with 30 searches of
words no class uses; the classes alternate which tree goes first, so noise on
the shared machine falls on both. Read-only: nothing is written to the store.
"""

from __future__ import annotations

import random
import statistics
import sys
from pathlib import Path

import httpx
from million import environment
from million_http import stop, timed
from pages_corpus import DOC_TYPES, ENTITIES, TOPICS, VERBS
from search_http import p95, serve, server_cpu

ROOT = Path(__file__).resolve().parent.parent
WARM = ["plan", "questions", "research", "Congress", "responds", "pushes", "weighs", "urges"]


def _words() -> tuple[list[str], list[str], list[str]]:
    """Single words, topic phrases and entity names the corpus holds."""
    names = [words[0].removeprefix("the ").removeprefix("Sen. ") for _, words in ENTITIES.values()]
    phrases = [p.removeprefix("the ") for _, words in TOPICS.values() for p in words]
    runs = [
        " ".join(p.split()[i : i + 2]) for p in phrases + names for i in range(len(p.split()) - 1)
    ]
    phrases = sorted(set(phrases + runs))
    single = sorted({w.lower() for p in phrases + names for w in p.split() if len(w) > 3})
    return single, phrases, names


def queries(per_class: int, seed: int = 11) -> dict[str, list[str]]:
    """PER_CLASS different queries a class, the same for both trees."""
    rng = random.Random(seed)
    single, phrases, names = _words()
    slugs = list(ENTITIES)
    types = sorted(set(DOC_TYPES))
    common = [v.split()[0] for v in VERBS] + ["security", "chips", "department", "export", "model"]

    def distinct(make, n: int) -> list[str]:  # type: ignore[no-untyped-def]
        found: list[str] = []
        for _ in range(n * 50):
            query = make()
            if query not in found:
                found.append(query)
            if len(found) == n:
                break
        return found

    def dates() -> str:
        start = rng.randrange(0, 600)
        return f"after:{_day(start)} before:{_day(start + rng.randrange(30, 200))}"

    return {
        "one word": distinct(lambda: rng.choice(single), per_class),
        "two words": distinct(lambda: " ".join(rng.sample(single + names, 2)), per_class),
        "phrase": distinct(lambda: f'"{rng.choice([p for p in phrases if " " in p])}"', per_class),
        "filtered": distinct(
            lambda: (
                f"{rng.choice(single)} type:{rng.choice(types)} "
                f"entity:{rng.choice(slugs)} {dates()}"
            ),
            per_class,
        ),
        "concept": distinct(lambda: rng.choice(names + phrases), per_class),
        "facet-heavy": distinct(
            lambda: " ".join(rng.sample(common, rng.choice((1, 2)))), per_class
        ),
    }


def _day(offset: int) -> str:
    from datetime import date, timedelta

    return (date.today() - timedelta(days=730 - offset)).isoformat()


def ask(tree: Path, env: dict[str, str], asked: list[str]) -> dict[str, float]:
    server, base = serve(tree, env)
    try:
        with httpx.Client(timeout=300) as client:
            for word in WARM * 4:
                timed(client, f"{base}/search?" + str(httpx.QueryParams(q=word)))
            times, cpu = [], server_cpu(server)
            for query in asked:
                times.append(timed(client, f"{base}/search?" + str(httpx.QueryParams(q=query))))
            cpu_ms = (server_cpu(server) - cpu) * 1000 / len(times)
    finally:
        stop(server)
    return {"p50": statistics.median(times), "p95": p95(times), "max": max(times), "cpu": cpu_ms}


def main() -> None:
    url, home, before = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]).resolve()
    per_class = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    trees = {"before": before, "after": ROOT}
    envs = {}
    for name, tree in trees.items():
        envs[name] = environment(home, url)
        envs[name]["PYTHONPATH"] = str(tree)
    rows: dict[str, dict[str, dict[str, float]]] = {}
    queries_of = queries(per_class)
    for n, (kind, asked) in enumerate(queries_of.items()):
        for name in list(trees) if n % 2 == 0 else list(reversed(trees)):
            got = ask(trees[name], envs[name], asked)
            rows.setdefault(kind, {})[name] = got
            print(f"  {kind} {name}: {len(asked)} queries, p50 {got['p50']:.1f}, "
                  f"p95 {got['p95']:.1f}, max {got['max']:.0f}, CPU {got['cpu']:.1f} ms/req",
                  file=sys.stderr)  # fmt: skip
    print(f"\n/search, every query different, gunicorn -w 2; before {before} vs after {ROOT}\n")
    print("| class | queries | before p50 | after p50 | before p95 | after p95 | "
          "before CPU ms/req | after CPU ms/req |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, sides in rows.items():
        b, a = sides["before"], sides["after"]
        print(f"| {kind} | {len(queries_of[kind])} | {b['p50']:.1f} | {a['p50']:.1f} | "
              f"{b['p95']:.1f} | {a['p95']:.1f} | {b['cpu']:.1f} | {a['cpu']:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
