"""Ingest speed: feedparser alone versus the whole ingest, side by side in one run.

    python bench/ingest.py [--entries 5000] [--rounds 3]

Generates an RSS 2.0 feed of N entries with 1-2 KB HTML summaries, then times
(a) `feedparser.parse` with its default settings (and its own SAX driver list)
and (b) `Pipeline.ingest_file` (parse, normalise, tag, store on a fresh SQLite
database; no search index), which, as in production, parses, normalises and
tags a large feed in parts on worker processes while it stores the parts
already done (tracker/intake.py, tracker/prepare.py). Rounds alternate a/b so
machine noise hits both; the best round of each counts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser
import feedparser.api

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.config import Settings
from tracker.pipeline import Pipeline

# Ordinary prose with policy names at about the density real coverage has
# (roughly one word in fifteen), so the tagger sees realistic text.
FILLER = tuple(
    "the a of to and in that on for with as by at from its their this said would "
    "could will has have had was were is are be been new year week officials people "
    "report statement according told reporters plans program rules public companies "
    "industry government federal state lawmakers committee members agency policy "
    "months proposal review request response questions concerns support effort "
    "measure change access market business research technology systems data use users "
    "services products security risk cost costs decision process meeting letter calls "
    "call also more most after before during while over under between against about "
    "into through first last".split()
)  # fmt: skip
TERMS = tuple(
    "export controls|distillation|model weights|Commerce Department|Bureau of "
    "Industry and Security|Entity "
    "List|semiconductors|chips|Nvidia|Huawei|Alibaba|Qwen|Anthropic|Claude|OpenAI|DeepSeek|Sen. "
    "Elizabeth Warren|Sen. Tim Scott|antitrust|collusion|national "
    "security|memorandum|trade secrets|outputs of|Federal Trade Commission|White "
    "House".split("|")
)  # fmt: skip


def prose(rng: random.Random, words: int) -> str:
    return " ".join(
        rng.choice(TERMS) if rng.random() < 0.065 else rng.choice(FILLER) for _ in range(words)
    )


def make_feed(entries: int, seed: int = 7) -> bytes:
    """An RSS 2.0 feed shaped like policy news, 1-2 KB of HTML per summary."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        "<title>Bench wire</title><link>https://bench.example.org/</link>",
        "<description>Generated for bench/ingest.py</description>",
    ]
    for n in range(entries):
        paragraphs = []
        size = 0
        target = rng.randint(1000, 2000)
        while size < target:
            words, extra = prose(rng, rng.randint(20, 40)), prose(rng, 2)
            para = f'<p>{words} <a href="/story/{n}/{size}">more</a> <em>{extra}</em></p>'
            paragraphs.append(para)
            size += len(para)
        title = prose(rng, rng.randint(6, 12)).capitalize()
        when = format_datetime(start + timedelta(minutes=17 * n))
        parts.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://bench.example.org/story/{n}?utm_source=rss</link>"
            f'<guid isPermaLink="false">bench-{n}</guid><pubDate>{when}</pubDate>'
            f"<description>{escape(''.join(paragraphs))}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def time_feedparser(content: bytes) -> float:
    # feedparser's own SAX driver list: importing the tracker's feed parser
    # puts its buffered driver first, which would speed this baseline up too.
    drivers = feedparser.api.PREFERRED_XML_PARSERS[:]
    feedparser.api.PREFERRED_XML_PARSERS[:] = [d for d in drivers if not d.startswith("tracker.")]
    try:
        started = time.perf_counter()
        parsed = feedparser.parse(content)
        elapsed = time.perf_counter() - started
    finally:
        feedparser.api.PREFERRED_XML_PARSERS[:] = drivers
    assert parsed.entries, "feedparser read nothing"
    return elapsed


def time_ingest(path: Path, workdir: Path) -> float:
    home = Path(tempfile.mkdtemp(dir=workdir))
    pipeline = Pipeline(Settings.from_env({"TRACKER_HOME": str(home)}))
    pipeline.init()
    _ = pipeline.taxonomy  # compiled outside the timed part, as a long-running fetcher would
    started = time.perf_counter()
    outcome = pipeline.ingest_file(path, "bench")
    elapsed = time.perf_counter() - started
    assert outcome.status == "ok" and outcome.new > 0, outcome
    pipeline.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    content = make_feed(args.entries)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xml"
        path.write_bytes(content)
        fp_times, ingest_times = [], []
        for _ in range(args.rounds):
            fp_times.append(time_feedparser(content))
            ingest_times.append(time_ingest(path, Path(tmp)))
    n = args.entries
    fp_rate, ingest_rate = n / min(fp_times), n / min(ingest_times)
    print(f"{n:,} entries, {len(content) / 1e6:.1f} MB feed, best of {args.rounds} rounds\n")
    print("| measure | entries/s | seconds |")
    print("| --- | ---: | ---: |")
    print(f"| feedparser alone (defaults) | {fp_rate:,.0f} | {min(fp_times):.2f} |")
    print(f"| whole ingest (parse, normalise, tag, store) | {ingest_rate:,.0f} | "
          f"{min(ingest_times):.2f} |")  # fmt: skip
    print(f"| ratio ingest / feedparser | {ingest_rate / fp_rate:.2f} | |")


if __name__ == "__main__":
    main()
