"""Ingest as the user waits for it: the whole `tracker ingest` command against feedparser.

    python bench/ingest.py [--entries 5000] [--densities 50,500,5000]
                           [--databases sqlite,postgresql] [--before DIR] [--rounds 1] [--links]

For each density (items a day) it writes an RSS 2.0 file of N entries shaped
like policy news (1-2 KB HTML summaries; happenings covered by one to five
reports, some citing a document or bill number), then, in the same run:

- feedparser parsing the file, as a process (`python -c "feedparser.parse(...)"`);
- `tracker ingest FILE` as a process on a database `tracker init` prepared:
  parse, normalise, tag, store, group into events and bring the search index
  up, i.e. everything the command does before it returns;
- the worker's path, as a process on another prepared database: what a fetch
  worker does with a fetched feed (`Pipeline.ingest_file`, then `settle`
  without the index, which a standalone worker leaves to the site; the
  network fetch itself is not timed);
- the grouping alone, per item: every item is ungrouped again and
  `assign_pending` is timed in a fresh process (CPU seconds per item);

for this checkout and, with `--before DIR` (a `git worktree add` of main
outside the repository), for that code too. Wall and CPU seconds (the
command's own and its children's) are both shown: the machine is shared.
PostgreSQL runs use a fresh schema at TRACKER_BENCH_PG
(default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
STAGED = ROOT / "bench" / "ingest_stages.py"  # the command with a stopwatch per stage
PG = os.environ.get("TRACKER_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

TERMS = tuple(
    "export controls|distillation|model weights|Commerce Department|Bureau of Industry and "
    "Security|Entity List|semiconductors|chips|Nvidia|Huawei|Alibaba|Qwen|Anthropic|Claude|"
    "OpenAI|DeepSeek|Sen. Elizabeth Warren|Sen. Tim Scott|antitrust|collusion|national "
    "security|memorandum|trade secrets|outputs of|Federal Trade Commission|White House".split("|")
)  # fmt: skip
SYLLABLES = "ka ro mi ten vor lis dan pel qua zin bor tes mar ul fen gri sol nak".split()
VERBS = ("issues rule on", "requests comment on", "holds hearing on", "introduces bill on",
         "reports results on", "announces", "sanctions", "charges")  # fmt: skip


def _vocabulary() -> tuple[str, ...]:
    """Words of the project's hand-written evaluation sets: news vocabulary, not a
    hundred words every story shares (which would make every story look alike)."""
    import json
    import re

    words: list[str] = []
    for name in ("tagging_eval.jsonl", "events_holdout.jsonl", "doctype_eval.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            words += re.findall(
                r"[A-Za-z][a-z']+", f"{row['title']} {row.get('summary', row.get('text', ''))}"
            )
    return tuple(sorted(set(words)))  # each once: unrelated stories share few words


VOCABULARY = _vocabulary()


def prose(rng: random.Random, words: int) -> str:
    """Words at news frequency, with a policy name about one word in fifteen."""
    return " ".join(
        rng.choice(TERMS) if rng.random() < 0.065 else rng.choice(VOCABULARY) for _ in range(words)
    )


def make_feed(
    entries: int,
    per_day: float,
    seed: int = 7,
    start: datetime | None = None,
    ids: str = "",
    links: bool = False,
) -> bytes:
    """An RSS 2.0 feed of `entries` reports at `per_day` a day from `start`
    (1 January 2026 by default), 1-2 KB of HTML each; `ids` goes into every
    guid and link, so that feeds of one source can follow each other. With
    `links`, most reports' ledes link to their happening's document (its Federal
    Register page when it has a number, else an agency page), to the outlet's
    own earlier story and to an agency's home page, as coverage does."""
    rng = random.Random(seed)
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    step = timedelta(days=1) / per_day
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
             "<title>Bench wire</title><link>https://bench.example.org/</link>",
             "<description>Generated for bench/ingest.py</description>"]  # fmt: skip
    n = 0
    while n < entries:
        # One happening: a name of its own, sometimes a number, one to five reports.
        name = " ".join(
            "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() for _ in range(2)
        )
        number = f"2026-{rng.randint(10000, 99999)}" if rng.random() < 0.3 else ""
        verb = rng.choice(VERBS)
        day = (start + step * n).strftime("%Y/%m/%d")
        slug = name.lower().replace(" ", "-")
        document = (
            f"https://www.federalregister.gov/documents/{day}/{number}/{slug}"
            if number
            else f"https://agency.example.gov/news/{day}/{slug}"
        )
        for _ in range(min(rng.randint(1, 5), entries - n)):
            paragraphs, size, target = [], 0, rng.randint(1000, 2000)
            while size < target:
                para = f"<p>{prose(rng, rng.randint(20, 40))} <em>{prose(rng, 2)}</em></p>"
                paragraphs.append(para)
                size += len(para)
            cite = f" (document {number})" if number and rng.random() < 0.6 else ""
            linked = ""
            if links and rng.random() < 0.6:
                linked = (
                    f' <a href="{document}">the document</a>, <a href="https://bench.example.org/'
                    f'story/{ids}{max(n - 3, 0)}">earlier</a>, <a href="https://agency.example.gov/">'
                    "the agency</a>"
                )
            lede = f"<p>{name} {verb} {prose(rng, 8)}{cite}{linked}.</p>"
            title = f"{name} {verb} {prose(rng, rng.randint(3, 7))}"
            when = format_datetime(start + step * n + timedelta(minutes=rng.randint(0, 600)))
            parts.append(
                f"<item><title>{escape(title)}</title>"
                f"<link>https://bench.example.org/story/{ids}{n}</link>"
                f'<guid isPermaLink="false">bench-{ids}{n}</guid><pubDate>{when}</pubDate>'
                f"<description>{escape(lede + ''.join(paragraphs))}</description></item>"
            )
            n += 1
    parts.append("</channel></rss>")
    return "".join(parts).encode()


@dataclass
class Timing:
    wall: float
    cpu: float
    out: str = ""
    stages: dict = field(default_factory=dict)  # type: ignore[type-arg]


def run(args: list[str], env: dict[str, str]) -> Timing:
    """Run a command to its end; its wall time and its (and its children's) CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, done.stdout)


def environment(code: Path, home: Path, database: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(code), "TRACKER_HOME": str(home)}
    env.pop("TRACKER_DATABASE_URL", None)
    if database != "sqlite":
        env["TRACKER_DATABASE_URL"] = database
    return env


def fresh_database(kind: str) -> tuple[str, str | None]:
    """A database URL for one run, and the PostgreSQL schema to drop afterwards."""
    if kind == "sqlite":
        return "sqlite", None
    import sqlalchemy as sa

    schema = "bench_" + uuid.uuid4().hex[:10]
    with sa.create_engine(PG).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG else "?"
    return f"{PG}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str | None) -> None:
    if schema:
        import sqlalchemy as sa

        with sa.create_engine(PG).begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def time_command(code: Path, feed: Path, kind: str, work: Path) -> tuple[Timing, Timing, Timing]:
    """`tracker ingest` on a prepared database, then the grouping alone in a fresh
    process; then the worker's path on another prepared database."""
    home = Path(tempfile.mkdtemp(dir=work))
    database, schema = fresh_database(kind)
    env = environment(code, home, database)
    try:
        run([sys.executable, "-m", "tracker.cli", "init"], env)
        stages = Path(tempfile.mkstemp(dir=work, suffix=".json")[1])
        staged = {**env, "BENCH_STAGES": str(stages), "BENCH_LAUNCHED": repr(time.time())}
        whole = run([sys.executable, str(STAGED), "ingest", str(feed), "--source", "bench"], staged)
        whole.stages = json.loads(stages.read_text())
        grouping = run([sys.executable, str(Path(__file__).resolve()), "--regroup"], env)
        grouping.stages = json.loads(run([sys.executable, str(STAGED), "--apart", str(feed)],
                                         env).out.strip().splitlines()[-1])  # fmt: skip
    finally:
        drop_schema(schema)
    home = Path(tempfile.mkdtemp(dir=work))
    database, schema = fresh_database(kind)
    env = environment(code, home, database)
    try:
        run([sys.executable, "-m", "tracker.cli", "init"], env)
        worker = run([sys.executable, str(Path(__file__).resolve()), "--worker", str(feed)], env)
    finally:
        drop_schema(schema)
    return whole, grouping, worker


def worker_path(feed: Path) -> None:
    """What a fetch worker does with a fetched feed (run in the code under test)."""
    from tracker.config import Settings
    from tracker.pipeline import Pipeline

    pipeline = Pipeline(Settings.from_env(dict(os.environ)))
    pipeline.ingest_file(feed, "bench", None)
    pipeline.settle(index=False)


def regroup() -> None:
    """Ungroup every item and time `assign_pending` alone (run in the code under test)."""
    import sqlalchemy as sa

    from tracker.config import Settings
    from tracker.models import Event, Item, table_of
    from tracker.pipeline import Pipeline
    from tracker.store.engine import session_scope
    from tracker.store.events import assign_pending

    pipeline = Pipeline(Settings.from_env(dict(os.environ)))
    with session_scope(pipeline.engine) as session:
        session.execute(sa.update(table_of(Item)).values(event_id=None))
        session.execute(sa.delete(table_of(Event)))
        keys = [t for t in table_of(Item).metadata.tables if t == "eventkey"]
        for name in keys:
            session.execute(sa.text(f"DELETE FROM {name}"))
    started = time.process_time()
    with session_scope(pipeline.engine) as session:
        assign_pending(session)
    print(time.process_time() - started)


def time_feedparser(feed: Path) -> Timing:
    script = "import feedparser,sys; assert feedparser.parse(open(sys.argv[1],'rb').read()).entries"
    return run([sys.executable, "-c", script, str(feed)], dict(os.environ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--densities", default="50,500,5000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--before", type=Path, help="a checkout of the old code (git worktree)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--links", action="store_true", help="summaries carry links (see make_feed)"
    )
    parser.add_argument("--regroup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.regroup:
        return regroup()
    if args.worker:
        return worker_path(args.worker)
    codes = [("after", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for density in (int(d) for d in args.densities.split(",")):
            feed = work / f"bench-{density}.xml"
            feed.write_bytes(make_feed(args.entries, density, links=args.links))
            for kind in args.databases.split(","):
                best: dict[str, tuple[Timing, Timing, Timing, Timing]] = {}
                for _ in range(args.rounds):
                    for label, code in codes:  # alternated, so noise hits both
                        parsed = time_feedparser(feed)
                        whole, grouping, worker = time_command(code, feed, kind, work)
                        if label not in best or whole.wall < best[label][1].wall:
                            best[label] = (parsed, whole, grouping, worker)
                for label, (parsed, whole, grouping, worker) in best.items():
                    rows.append((density, kind, label, parsed, whole, grouping, worker))
                    print(_row(args.entries, *rows[-1]), flush=True)
    print(f"\n{args.entries:,} entries per file, best of {args.rounds} round(s)\n")
    print("| items/day | database | code | feedparser s (CPU) | tracker ingest s (CPU) "
          "| ratio feedparser/ingest | worker's path s (CPU) | ratio feedparser/worker "
          "| grouping ms CPU per item |")  # fmt: skip
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(_row(args.entries, *row))
    print(
        "\nWhere `tracker ingest` spends its time: wall s (CPU s of this process) per stage;"
        " store = parse, normalise and tag on worker processes (their CPU apart) while this"
        " process stores; other = exit and what lies between stages. Then CPU ms per item"
        " of each step measured alone: parse (whole file, one process), normalise + tag,"
        " grouping (`assign_pending`).\n"
    )
    print("| items/day | database | code | start | store (workers CPU) | group | index | other "
          "| total | parse ms/item | normalise+tag ms/item | grouping ms/item |")  # fmt: skip
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(_stage_row(args.entries, *row))


def _row(entries: int, density: int, kind: str, label: str, parsed: Timing, whole: Timing,
         grouping: Timing, worker: Timing) -> str:  # fmt: skip
    per_item = float(grouping.out.strip().splitlines()[-1]) / entries * 1000
    return (f"| {density:,} | {kind} | {label} | {parsed.wall:.2f} ({parsed.cpu:.2f}) | "
            f"{whole.wall:.2f} ({whole.cpu:.2f}) | {parsed.wall / whole.wall:.2f}x | "
            f"{worker.wall:.2f} ({worker.cpu:.2f}) | {parsed.wall / worker.wall:.2f}x | "
            f"{per_item:.2f} |")  # fmt: skip


def _stage_row(entries: int, density: int, kind: str, label: str, parsed: Timing, whole: Timing,
               grouping: Timing, worker: Timing) -> str:  # fmt: skip
    st, apart = whole.stages, grouping.stages

    def cell(name: str) -> str:
        wall, cpu = st.get(name, (0.0, 0.0))
        return f"{wall:.2f} ({cpu:.2f})"

    named = sum(st.get(n, (0.0, 0.0))[0] for n in ("start", "store", "bills", "group", "index"))
    per_item = float(grouping.out.strip().splitlines()[-1]) / entries * 1000
    return (f"| {density:,} | {kind} | {label} | {cell('start')} | {cell('store')} "
            f"[{st['workers'][1]:.2f}] | {cell('group')} | {cell('index')} | "
            f"{whole.wall - named:.2f} | {whole.wall:.2f} ({whole.cpu:.2f}) | "
            f"{apart['parse'] / apart['items'] * 1000:.2f} | "
            f"{apart['tag'] / apart['items'] * 1000:.2f} | {per_item:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
