"""Feed speed: a topic feed rendered fresh and answered 304, beside a trivial Flask response.

    python bench/feeds.py [--items 100000] [--requests 400]

Fills a fresh SQLite database (the tracker's own tables, migrated by Alembic)
with N items shaped like policy news, each with one to three topics and one to
four entities, by bulk inserts. Then it times, through the Flask test client of
one app and in one run, interleaved so machine noise hits all alike:

- a trivial view that returns "ok" (what Flask itself costs),
- `/topics/distillation.atom` with no validators: listed and rendered (50 entries),
- the same with `If-None-Match`: answered 304 from the listing's version,
- the fresh feed after an item changed, so the version is recomputed too.

Prints a markdown table: requests per second, p50 and p95 in milliseconds.
Targets: the 304 at half the trivial rate or better; the fresh feed under 50 ms p95.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from tracker.config import Settings
from tracker.models import Counter, Event, Item, ItemSource, ItemTag, Source
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.web import create_app

TOPICS = [
    "distillation",
    "export-controls",
    "antitrust",
    "national-security",
    "semiconductors",
    "intellectual-property",
]
ENTITIES = [
    "anthropic",
    "openai",
    "alibaba",
    "qwen",
    "deepseek",
    "moonshot-ai",
    "nvidia",
    "huawei",
    "google",
    "meta",
    "microsoft",
    "bis",
    "white-house",
    "ftc",
    "doj",
]
TYPES = ["news"] * 8 + ["press-release"] * 3 + ["letter", "rule", "memo", "report", "hearing"]
WORDS = (
    "agency analysts announced bill briefing chips committee companies compliance congress "
    "department developers draft export firms guidance hearing industry investigation "
    "lawmakers letter licence models officials policy proposal rule senators training "
    "weights"
).split()
FEED = "/topics/distillation.atom"
CHUNK = 5000


def fill(engine: sa.Engine, count: int, seed: int = 7) -> None:
    """`count` items with tags and one event per two items, by bulk inserts."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    start = now - timedelta(days=730)
    with session_scope(engine) as session:
        session.execute(
            sa.insert(Source),
            [
                {
                    "slug": f"bench-{n}",
                    "name": f"Bench source {n}",
                    "kind": "rss",
                    "url": "",
                    "doc_type": "news",
                    "selectors": {},
                }
                for n in range(20)
            ],
        )
        first_source = session.execute(sa.select(sa.func.min(Source.__table__.c.id))).scalar_one()
        for low in range(0, count, CHUNK):
            ids = range(low + 1, min(low + CHUNK, count) + 1)
            events, items, links, tags = [], [], [], []
            for item_id in ids:
                published = start + timedelta(minutes=rng.randrange(730 * 24 * 60))
                title = " ".join(rng.choices(WORDS, k=8)).capitalize()
                if item_id % 2:
                    events.append(
                        {
                            "id": (item_id + 1) // 2,
                            "headline": title,
                            "event_date": published,
                            "lead_item_id": item_id,
                            "created_at": now,
                        }
                    )
                body = " ".join(rng.choices(WORDS, k=40))
                items.append(
                    {
                        "id": item_id,
                        "source_id": first_source + rng.randrange(20),
                        "guid": f"bench-{item_id}",
                        "url": f"https://example.org/{item_id}",
                        "title": title,
                        "summary_html": f"<p>{body}</p>",
                        "text": body,
                        "published_at": published,
                        "fetched_at": now,
                        "doc_type": rng.choice(TYPES),
                        "content_hash": str(item_id),
                        "seq": item_id,
                        "changed_at": now,
                        "event_id": (item_id + 1) // 2,
                        "agencies": [],
                        "categories": [],
                        "rins": [],
                    }
                )
                links.append(
                    {
                        "item_id": item_id,
                        "source_id": items[-1]["source_id"],
                        "guid": f"bench-{item_id}",
                        "first_seen": now,
                    }
                )
                chosen = rng.sample(TOPICS, rng.choice((1, 1, 2, 3)))
                chosen += rng.sample(ENTITIES, rng.choice((1, 2, 2, 3, 4)))
                tags += [
                    {
                        "item_id": item_id,
                        "slug": slug,
                        "kind": "topic" if slug in TOPICS else "entity",
                        "origin": "rule",
                        "status": "suggested",
                        "evidence": [],
                        "created_at": now,
                    }
                    for slug in chosen
                ]
            session.execute(sa.insert(Event), events)
            session.execute(sa.insert(Item), items)
            session.execute(sa.insert(ItemSource), links)
            session.execute(sa.insert(ItemTag), tags)
        session.execute(
            sa.update(Counter).where(Counter.name == "item_seq").values(value=count)  # type: ignore[arg-type]
        )


def timed(call: Callable[[], int], expect: int) -> float:
    """Milliseconds one call took; stops the run on an unexpected status."""
    started = time.perf_counter()
    status = call()
    elapsed = (time.perf_counter() - started) * 1000
    if status != expect:
        raise SystemExit(f"expected {expect}, got {status}")
    return elapsed


def summary(name: str, times: list[float]) -> tuple[str, float, float, float]:
    """(name, requests per second, p50, p95) of one kind of request."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return name, 1000 / statistics.fmean(times), statistics.median(times), p95


def main() -> None:
    """Fill, time, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="timed requests of each kind")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    settings = Settings.from_env({"TRACKER_HOME": str(home)})
    pipeline = Pipeline(settings)
    pipeline.init()
    started = time.perf_counter()
    fill(pipeline.engine, args.items)
    print(f"stored {args.items:,} items in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    app = create_app({"SETTINGS": settings})
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    client = app.test_client()
    # VERSION_TTL 0: the head sequence number is read on every request.
    strict = create_app({"SETTINGS": settings, "VERSION_TTL": 0}).test_client()
    etag = client.get(FEED).headers["ETag"]
    changing = [1]

    def after_change() -> int:
        # Any item change moves the head sequence number: the version is recomputed.
        changing[0] += 1
        with session_scope(pipeline.engine) as session:
            bump(session, [changing[0]])
        return strict.get(FEED).status_code

    kinds: dict[str, tuple[Callable[[], int], int]] = {
        "trivial Flask response": (lambda: client.get("/bench/trivial").status_code, 200),
        "topic feed, 304 (If-None-Match)": (
            lambda: client.get(FEED, headers={"If-None-Match": etag}).status_code,
            304,
        ),
        "topic feed, 304, VERSION_TTL=0": (
            lambda: strict.get(FEED, headers={"If-None-Match": etag}).status_code,
            304,
        ),
        "topic feed, fresh (50 entries)": (lambda: client.get(FEED).status_code, 200),
    }
    for call, expect in kinds.values():  # warm caches, connections and imports
        for _ in range(20):
            timed(call, expect)
    times: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(args.requests):
        for name, (call, expect) in kinds.items():
            times[name].append(timed(call, expect))
    late = "topic feed, fresh after an item change"
    times[late] = [timed(after_change, 200) for _ in range(max(args.requests // 10, 10))]

    rows = [summary(name, values) for name, values in times.items()]
    trivial = rows[0][1]
    print(f"\n{args.items:,} items; Flask test client; {args.requests} requests each\n")
    print("| request | req/s | vs trivial | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, rate, p50, p95 in rows:
        print(f"| {name} | {rate:,.0f} | {rate / trivial:.2f} | {p50:.2f} | {p95:.2f} |")
    pipeline.engine.dispose()


if __name__ == "__main__":
    main()
