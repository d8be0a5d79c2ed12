"""Speed of `tracker tag --jsonl` as a user meets it: a process, start included.

Generated items: headlines and summaries of 1–2 KB built from the evaluation
set's sentences and plain filler sentences, in a fixed order (seeded), mixed
so that about one word in fifteen is a tagged term's: the density
bench/ingest.py takes for real coverage (the table's header prints it). The
command is timed end to end, with stdin from a file and stdout to a file, in
alternating rounds against an optional baseline tree, wall time and CPU time
(workers included); then broken down into process start (empty input),
tagging in one process, and JSON in and out.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = re.compile(r"\w+")
FILLER = """\
Officials declined to say when a decision would be made.
The proposal drew hundreds of public comments before the deadline.
Lawmakers from both parties said they would examine the matter in the coming weeks.
Analysts said the move was widely expected after months of debate.
The agency did not immediately respond to a request for comment.
Industry groups said the change would raise costs for smaller companies.
The figures were first reported by a trade publication on Tuesday.
Supporters argue the measure is overdue; critics say it goes too far.
A spokesperson said the company was reviewing the document.
The measure still needs approval from the full chamber.
Shares were little changed in early trading.
Several people familiar with the discussions spoke on condition of anonymity.
The report runs to more than 80 pages and includes a dozen recommendations.
It is not clear how the rules would be enforced outside the United States.
The debate comes as governments around the world weigh similar steps.
Experts cautioned that the data covers only part of the year.
A hearing on the subject is expected before the end of the session.
The company said it had cooperated fully with investigators.
Details of the agreement were not made public.
The decision can be appealed within 30 days."""


NAMED_SHARE = 0.27  # of sentences from the evaluation set; the rest are filler


def generate(count: int, eval_items: list[dict], seed: int = 14) -> list[str]:
    """`count` JSON lines with `title`, `summary` (1–2 KB), `url` and sometimes `source`."""
    rng = random.Random(seed)
    named = [i["summary"] for i in eval_items if i["summary"]]
    titles = [i["title"] for i in eval_items]
    plain = FILLER.splitlines()
    sources = ["fr-bis", "whitehouse-actions", "warren-press", "reuters", None, None, None]
    lines = []
    for n in range(count):
        size, parts = rng.randint(1000, 2000), []
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(named) if rng.random() < NAMED_SHARE else rng.choice(plain))
        record = {"title": rng.choice(titles), "summary": " ".join(parts)}
        record["url"] = f"https://example.org/news/{n}"
        if source := rng.choice(sources):
            record["source"] = source
        lines.append(json.dumps(record))
    return lines


def run_command(tree: Path, stdin: Path, home: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (its workers' included) for one `tracker tag
    --jsonl` process over `stdin`, output to a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(PYTHONPATH=str(tree), TRACKER_HOME=str(home))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with stdin.open("rb") as inp, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tracker.cli", "tag", "--jsonl"],
            stdin=inp, stdout=out, stderr=subprocess.PIPE, cwd=tree, env=env, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 2):
        raise SystemExit(f"tracker tag failed in {tree}: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def timed(step: Callable[[], object], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def density(lines: list[str]) -> float:
    """Words per word of a tag's own evidence, over the first 500 items."""
    from tracker.tag import Tagger
    from tracker.taxonomy import load_taxonomy

    tagger, words, tagged = Tagger(load_taxonomy()), 0, 0
    for line in lines[:500]:
        record = json.loads(line)
        result = tagger.tag(record["title"], record["summary"])
        words += len(WORDS.findall(f"{record['title']} {record['summary']}"))
        rule = [e for t in result.tags if t.origin == "rule" for e in t.evidence]
        tagged += sum(len(WORDS.findall(e.text)) for e in rule)
    return words / max(tagged, 1)


def in_process(lines: list[str]) -> tuple[float, float]:
    """Seconds to tag the lines in this process (taxonomy compiled before), and for JSON alone."""
    from tracker.config import Settings
    from tracker.tagging_io import source_defaults, tag_lines
    from tracker.taxonomy import load_taxonomy

    settings = Settings.from_env({"TRACKER_HOME": tempfile.gettempdir()})
    taxonomy = load_taxonomy(settings.data_dir / "taxonomy.toml")
    defaults = source_defaults(settings)
    for _ in tag_lines(lines[:50], taxonomy, defaults):
        pass  # compile outside the timing
    tag = timed(lambda: [json.dumps(r) for r in tag_lines(lines, taxonomy, defaults)], 1)
    io = timed(lambda: [json.dumps(json.loads(line)) for line in lines])
    return tag, io


def report_speed(eval_items: list[dict], count: int, baseline: Path | None, rounds: int) -> float:
    """Print the table; return items per second of this tree's command."""
    lines = generate(count, eval_items)
    trees = [("this tree", ROOT)] + ([("baseline", baseline)] if baseline else [])
    size = sum(len(line) + 1 for line in lines)
    print(
        f"\n=== speed: `tracker tag --jsonl`, {count:,} generated items ({size / 1e6:.1f} MB) ==="
    )
    print(f"one word in {density(lines):.1f} is a tagged term's")
    with tempfile.TemporaryDirectory() as tmp:
        items, empty = Path(tmp) / "items.jsonl", Path(tmp) / "empty.jsonl"
        items.write_text("\n".join(lines) + "\n")
        empty.write_text("")
        whole: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in trees}
        start: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in trees}
        for _ in range(rounds):  # alternate the trees so both meet the same machine load
            for label, tree in trees:
                whole[label].append(run_command(tree, items, Path(tmp) / "home"))
                start[label].append(run_command(tree, empty, Path(tmp) / "home"))
        load = os.getloadavg()[0]
        print(f"load average (1 min) after the runs: {load:.1f} on {os.cpu_count()} cores")
        print(f"{'tree':10} {'wall s':>7} {'items/s':>8} {'cpu s':>7} {'items/cpu-s':>11}"
              f" {'start s':>8}  (median of {rounds})")  # fmt: skip
        for label, _ in trees:
            wall = statistics.median(w for w, _ in whole[label])
            cpu = statistics.median(c for _, c in whole[label])
            boot = statistics.median(w for w, _ in start[label])
            print(f"{label:10} {wall:7.2f} {count / wall:8.0f} {cpu:7.2f} {count / cpu:11.0f}"
                  f" {boot:8.2f}")  # fmt: skip
        tag, io = in_process(lines)
    wall = statistics.median(w for w, _ in whole["this tree"])
    boot = statistics.median(w for w, _ in start["this tree"])
    print(f"\nbreakdown (this tree): process start {boot:.2f} s;"
          f" tagging in one process {tag:.2f} s ({count / tag:,.0f} items/s),"
          f" of which JSON in and out {io:.2f} s")  # fmt: skip
    return count / wall
