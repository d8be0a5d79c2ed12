"""Every kept aggregate recounted from the items and compared with the kept one; or
brought up to date and saved ahead of the readers (`warm`).

Kept aggregates (`memo.kept_up`, saved by `kept_store`) are brought up to date
from the items changed since they were counted; this counts each afresh, as
if nothing were kept, and names every one that differs. Tests call it after
each kind of write; `tracker check-kept` runs it on a store (it counts every
listing it is given in full: minutes at a million items).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, table_of
from tracker.store import demo, home, kept_versions, timeline_counts, timelines
from tracker.store.day_spans import tag_driven
from tracker.store.listings import ListingFilter, count_items


def differences(
    session: Session,
    listings: Iterable[ListingFilter],
    tags: Iterable[tuple[str, str]] = (),
    now: datetime | None = None,
) -> list[str]:
    """What differs between the kept aggregates and a count made afresh: the daily
    counts, event count and version of each listing, the co-occurring tags of each
    (slug, kind of the others), the home page's week and active tags as of `now`,
    and the demo summary. Empty when all agree."""
    found: list[str] = []

    def compare(name: str, kept: object, fresh: object) -> None:
        if kept != fresh:
            found.append(f"{name}: kept {kept!r}, counted {fresh!r}")

    for f in listings:
        daily = timelines.daily_counts(session, f)
        compare(f"daily {f}", daily, timelines._daily_counts(session, f))
        if not f.bill and f.item_ids is None:
            compare(f"events {f}", timeline_counts.event_total(session, f), _events(session, f))
        seq, changed, count = kept_versions.listing_version(session, f)
        latest = kept_versions._latest(session, f)
        compare(f"version {f}", (seq, _naive(changed), count),
                (latest[0], _naive(latest[1]), count_items(session, f)))  # fmt: skip
    for slug, kind in tags:
        kept = timelines.cooccurring(session, slug, kind, limit=1000)
        compare(f"pairs {slug} {kind}", kept, timelines._cooccurring(session, slug, kind, 1000))
    if now is not None:
        week = home.news_week(session, now, tagged=True)
        if week is not None:
            compare("home week", home.front_page(session, week), home._front_page(session, week, 8))
            compare("active tags", home.active_tags(session, week.end),
                    home._active_tags(session, week.end, 12, 6))  # fmt: skip
    compare("demo summary", demo.snapshot_summary(session), demo._snapshot_summary(session))
    return found


def _events(session: Session, f: ListingFilter) -> int:
    """The listing's events counted afresh, however large."""
    item = table_of(Item).c
    stmt = sa.select(sa.func.count(sa.distinct(item.event_id))).where(
        *tag_driven(f), item.event_id.is_not(None)
    )
    return int(session.execute(stmt).scalar_one())


def _naive(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=None) if when is not None else None


def every_listing(session: Session) -> tuple[list[ListingFilter], list[tuple[str, str]]]:
    """Every tag's, type's and source's listing, and every tag's co-occurrence (a
    topic's entities, an entity's topics): what the site's timelines keep."""
    from tracker.models import Entity, Source, Topic

    topics = list(session.execute(sa.select(table_of(Topic).c.slug)).scalars())
    entities = list(session.execute(sa.select(table_of(Entity).c.slug)).scalars())
    types = session.execute(sa.select(table_of(Item).c.doc_type).distinct()).scalars()
    sources = list(session.execute(sa.select(table_of(Source).c.slug)).scalars())
    listings = [ListingFilter(topic=s) for s in topics]
    listings += [ListingFilter(entity=s) for s in entities]
    listings += [ListingFilter(doc_type=t) for t in sorted(types)]
    listings += [ListingFilter(source=s) for s in sources] + [ListingFilter()]
    tags = [(s, "entity") for s in topics] + [(s, "topic") for s in entities]
    return listings, tags


def warm(
    session: Session,
    listings: Iterable[ListingFilter],
    tags: Iterable[tuple[str, str]] = (),
    now: datetime | None = None,
) -> int:
    """Every kept aggregate the pages of `listings`, `tags` and the home page (as of
    `now`) read, brought up to date as a reader would (loaded, refreshed, or
    counted when none of its kind's version is saved) and so saved for every
    worker: after a release that bumped a kind, run it before the workers take
    readers. How many listings it went through."""
    done = 0
    for f in listings:
        timelines.daily_counts(session, f)
        timelines.event_count(session, f)
        kept_versions.listing_version(session, f)
        done += 1
    for slug, kind in tags:
        timelines.cooccurring(session, slug, kind)
    if now is not None:
        week = home.news_week(session, now, tagged=True)
        if week is not None:
            home.front_page(session, week)
            home.active_tags(session, week.end)
    demo.snapshot_summary(session)
    return done
