"""What a page's first request after a change recomputes, timed alone on a kept store.

    python bench/million_aggregates.py DATABASE_URL [--rounds 3]

On a store kept by `bench/million.py --keep` (the URL is printed with the
schema), each aggregate the home page and the timelines remember until any
item changes is computed afresh (the memo bypassed), best of `--rounds`:
which of them grow with the store.

Daily counts, the home page's weekly tag counts, a timeline's event count and
a tag page's co-occurring tags are kept up to date rather than computed afresh:
the rows "after N changed items" time what a request does then (the head with
the deletion counter, and a count of what the changed items touch only), on
the kept store read as if the N newest changes were new since the aggregate
was kept. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker.models import Item, table_of  # noqa: E402
from tracker.store import home, kept_versions, memo, timeline_counts, timelines  # noqa: E402
from tracker.store.listings import ListingFilter, where  # noqa: E402


def cases(session: Session) -> dict[str, object]:
    now = datetime.now(UTC)
    week = home.news_week(session, now, tagged=True)
    assert week is not None
    topic, entity = ListingFilter(topic="export-controls"), ListingFilter(entity="alibaba")
    return {
        "home: front page (a week)": lambda: home._front_page(session, week, 8),
        "home: active tags (12 weeks)": lambda: home._active_tags(session, week.end, 12, 6),
        "topic: daily counts": lambda: timelines._daily_counts(session, topic),
        "topic: co-occurring entities": lambda: timelines._cooccurring(
            session, "export-controls", "entity", 8
        ),
        "topic: event count": lambda: timelines._event_count(session, topic),
        "entity: daily counts": lambda: timelines._daily_counts(session, entity),
        "all items: daily counts": lambda: timelines._daily_counts(session, ListingFilter()),
        "all items: event count": lambda: timelines._event_count(session, ListingFilter()),
        "entity: co-occurring topics": lambda: timelines._cooccurring(
            session, "alibaba", "topic", 8
        ),
        "topic: event count by first day (kept form)": lambda: timeline_counts._firsts(
            session, topic
        ),
        "topic: co-occurring entities by id block (kept form)": lambda: timeline_counts._pairs(
            session, "export-controls", "entity"
        ),
        "topic: listing version, one aggregate (before)": lambda: old_version(session, topic),
        "all items: listing version, one aggregate (before)": lambda: old_version(
            session, ListingFilter()
        ),
        "topic: latest item (kept form)": lambda: kept_versions._latest(session, topic),
        "all items: latest item (kept form)": lambda: kept_versions._latest(
            session, ListingFilter()
        ),
        **kept_cases(session, {"topic": topic, "entity": entity, "all items": ListingFilter()}),
        **kept_weeks(session, week.end),
        **kept_events(session, {"topic": topic, "all items": ListingFilter()}),
        **kept_pairs(session, [("export-controls", "entity"), ("alibaba", "topic")]),
        **kept_latest(session, {"topic": topic, "all items": ListingFilter()}),
    }


def kept_weeks(session: Session, until: datetime) -> dict[str, object]:
    """The home page's weekly tag counts brought up to date after the N newest changes."""
    seq = memo.heads(session)[0]
    starts = [until - home.WEEK * (12 - i) for i in range(12)]
    kept = home._weekly_tags(session, starts, until)
    found: dict[str, object] = {}
    for changed in (1, 100):

        def after(changed: int = changed) -> str:
            memo.heads(session)
            fresh = home._weekly_refreshed(session, starts, until, kept, seq - changed)
            return _same(fresh, kept)

        found[f"home: active tags kept, after {changed} changed items"] = after
    return found


def kept_cases(session: Session, listings: dict[str, ListingFilter]) -> dict[str, object]:
    """Daily counts brought up to date after the N newest item changes, as a request does."""
    seq = memo.heads(session)[0]
    found: dict[str, object] = {}
    for changed in (1, 100):
        for name, f in listings.items():
            kept = timelines._daily_counts(session, f)

            def after(f: ListingFilter = f, kept: dict = kept, changed: int = changed) -> str:  # type: ignore[type-arg]
                memo.heads(session)
                fresh = timelines._daily_refreshed(session, f, kept, seq - changed)
                return _same(fresh, kept)  # nothing changed really: the same counts again

            found[f"{name}: daily counts kept, after {changed} changed items"] = after
    return found


def kept_events(session: Session, listings: dict[str, ListingFilter]) -> dict[str, object]:
    """Event counts brought up to date after the N newest item changes."""
    seq = memo.heads(session)[0]
    found: dict[str, object] = {}
    for name, f in listings.items():
        kept = timeline_counts._firsts(session, f)
        assert sum(kept.values()) == timelines._event_count(session, f)
        for changed in (1, 100):

            def after(f: ListingFilter = f, kept: dict = kept, changed: int = changed) -> str:  # type: ignore[type-arg]
                memo.heads(session)
                fresh = timeline_counts._firsts_refreshed(session, f, kept, seq - changed)
                return _same(fresh, kept)

            found[f"{name}: event count kept, after {changed} changed items"] = after
    return found


def kept_pairs(session: Session, tags: list[tuple[str, str]]) -> dict[str, object]:
    """Co-occurring tags brought up to date after the N newest item changes."""
    seq = memo.heads(session)[0]
    found: dict[str, object] = {}
    for slug, kind in tags:
        kept = timeline_counts._pairs(session, slug, kind)
        for changed in (1, 100):

            def after(slug: str = slug, kind: str = kind, kept: dict = kept,  # type: ignore[type-arg]
                      changed: int = changed) -> str:  # fmt: skip
                memo.heads(session)
                fresh = timeline_counts._pairs_refreshed(session, slug, kind, kept, seq - changed)
                return _same(fresh, kept)

            found[f"{slug}: co-occurring {kind}s kept, after {changed} changed items"] = after
    return found


def old_version(session: Session, f: ListingFilter) -> object:
    """The listing version as main computed it after every change: one aggregate."""
    item = table_of(Item).c
    stmt = sa.select(sa.func.max(item.seq), sa.func.max(item.changed_at), sa.func.count())
    return session.execute(stmt.where(*where(f))).one()


def kept_latest(session: Session, listings: dict[str, ListingFilter]) -> dict[str, object]:
    """A listing's latest item brought up to date after the N newest item changes."""
    seq = memo.heads(session)[0]
    found: dict[str, object] = {}
    for name, f in listings.items():
        for changed in (1, 100):
            kept = kept_versions._latest(session, f, below=seq - changed)

            def after(f: ListingFilter = f, kept: tuple = kept, changed: int = changed) -> str:  # type: ignore[type-arg]
                memo.heads(session)
                kept_versions._latest_refreshed(session, f, kept, seq - changed)
                return ""

            found[f"{name}: latest item kept, after {changed} changed items"] = after
    return found


def _same(fresh: object, kept: object) -> str:
    """ "afresh" when the refresh gave up (too many days changed), else ""; the counts
    must equal the kept ones, as nothing really changed."""
    if fresh is None:
        return "afresh"
    assert fresh == kept
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = sa.create_engine(args.url)
    with Session(engine) as session:
        items = session.execute(sa.select(sa.func.count()).select_from(table_of(Item))).scalar()
        print(f"\n{items:,} items; ms, best of {args.rounds}, each computed afresh\n")
        print("| aggregate | ms |\n| --- | ---: |")
        for name, compute in cases(session).items():
            best = float("inf")
            for _ in range(args.rounds):
                started = time.perf_counter()
                note = compute()  # type: ignore[operator]
                best = min(best, time.perf_counter() - started)
            gave_up = " (gave up: counted afresh)" if note == "afresh" else ""
            print(f"| {name}{gave_up} | {best * 1000:.1f} |")


if __name__ == "__main__":
    main()
