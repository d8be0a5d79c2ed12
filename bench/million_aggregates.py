"""What a page's first request after a change recomputes, timed alone on a kept store.

    python bench/million_aggregates.py DATABASE_URL [--rounds 3]

On a store kept by `bench/million.py --keep` (the URL is printed with the
schema), each aggregate the home page and the timelines remember until any
item changes is computed afresh (the memo bypassed), best of `--rounds`:
which of them grow with the store.

Daily counts are kept up to date rather than computed afresh: the rows
"after N changed items" time what a request does then (the head, the look for
deletions, and a count of the changed items' days only), on the kept store
read as if the N newest changes were new since the counts were kept. Nothing
is written.
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
from tracker.store import home, memo, timelines  # noqa: E402
from tracker.store.listings import ListingFilter  # noqa: E402


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
        **kept_cases(session, {"topic": topic, "entity": entity, "all items": ListingFilter()}),
        **kept_weeks(session, week.end),
    }


def kept_weeks(session: Session, until: datetime) -> dict[str, object]:
    """The home page's weekly tag counts brought up to date after the N newest changes."""
    seq = memo._head(session)[0]
    first = memo._shape(session, None)
    starts = [until - home.WEEK * (12 - i) for i in range(12)]
    kept = home._weekly_tags(session, starts, until)
    found: dict[str, object] = {}
    for changed in (1, 100):

        def after(changed: int = changed) -> None:
            memo._head(session)
            memo._shape(session, first)
            assert home._weekly_refreshed(session, starts, until, kept, seq - changed) == kept

        found[f"home: active tags kept, after {changed} changed items"] = after
    return found


def kept_cases(session: Session, listings: dict[str, ListingFilter]) -> dict[str, object]:
    """Daily counts brought up to date after the N newest item changes, as a request does."""
    seq = memo._head(session)[0]
    first = memo._shape(session, None)
    found: dict[str, object] = {}
    for changed in (1, 100):
        for name, f in listings.items():
            kept = timelines._daily_counts(session, f)

            def after(f: ListingFilter = f, kept: dict = kept, changed: int = changed) -> None:  # type: ignore[type-arg]
                memo._head(session)
                memo._shape(session, first)
                fresh = timelines._daily_refreshed(session, f, kept, seq - changed)
                assert fresh == kept  # nothing changed really: the same counts again

            found[f"{name}: daily counts kept, after {changed} changed items"] = after
    return found


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
                compute()  # type: ignore[operator]
                best = min(best, time.perf_counter() - started)
            print(f"| {name} | {best * 1000:.1f} |")


if __name__ == "__main__":
    main()
