"""A change to what a kept aggregate's parts mean must come with a bump of its format
version (tracker/store/kept_formats.py), or a release would read parts saved by
an older one as if they meant the new thing (SQLite and PostgreSQL).

Each kind is counted afresh on a fixed store written row by row here (no
tagger, no grouping: their changes are not changes of meaning), and its parts,
and the source of the code that makes or brings them up to date, are compared
with what tests/kept_formats.json recorded for the kind's version. When the
test fails: if the parts now mean something else, bump the version; either
way, record the new fingerprints with

    python tests/test_kept_formats.py --record
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from tracker.models import Event, Item, ItemTag, Source
from tracker.pipeline import Pipeline
from tracker.store import (
    day_spans,
    demo,
    front_kept,
    home,
    kept_codec,
    kept_formats,
    kept_store,
    kept_versions,
    listings,
    memo,
    tags,
    timeline_counts,
    timelines,
)
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter

RECORDED = Path(__file__).with_name("kept_formats.json")
START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday; the fixed store spans six weeks
LISTINGS = [
    ListingFilter(topic="distillation"),
    ListingFilter(entity="anthropic"),
    ListingFilter(doc_type="letter"),
    ListingFilter(source="fixed-two"),
    ListingFilter(topic="distillation", doc_type="news", since=START + timedelta(days=9)),
]
LISTING_CODE = [
    listings.where,
    day_spans.day_of,
    day_spans.day_ranges,
    day_spans.tag_driven,
    day_spans.as_date,
    day_spans.changed_days,
    day_spans._days,
]


def _front(session: Session) -> Any:
    return [
        front_kept._parts(session, START + timedelta(days=w * 7), START + timedelta(days=w * 7 + 7))
        for w in range(6)
    ]


def _weekly(session: Session) -> Any:
    until = START + timedelta(days=42)
    return home._weekly_tags(session, [START + timedelta(days=7 * i) for i in range(6)], until)


# Kind -> (its parts counted afresh on the fixed store, the code that makes them).
KINDS: dict[str, tuple[Callable[[Session], Any], list[Any]]] = {
    "daily": (
        lambda s: [timelines._daily_counts(s, f) for f in LISTINGS],
        [
            timelines.daily_counts,
            timelines._daily_counts,
            timelines._daily_refreshed,
            timelines.CHANGED_DAYS,
            *LISTING_CODE,
        ],
    ),
    "event-firsts": (
        lambda s: [timeline_counts._firsts(s, f) for f in LISTINGS],
        [
            timeline_counts.event_total,
            timeline_counts._firsts,
            timeline_counts._firsts_refreshed,
            timeline_counts.CHANGED_DAYS,
            *LISTING_CODE,
        ],
    ),
    "pairs": (
        lambda s: [
            timeline_counts._pairs(s, slug, kind)
            for slug, kind in [("distillation", "entity"), ("anthropic", "topic")]
        ],
        [
            timeline_counts.cooccurring,
            timeline_counts._pairs,
            timeline_counts._pairs_refreshed,
            timeline_counts.BLOCK,
            timeline_counts.CHANGED_BLOCKS,
        ],
    ),
    "latest": (
        lambda s: [kept_versions._latest(s, f) for f in LISTINGS],
        [
            kept_versions.listing_version,
            kept_versions._latest,
            kept_versions._latest_refreshed,
            listings.where,
        ],
    ),
    "front-days": (
        _front,
        [front_kept, home.AUTHORITY],
    ),
    "weekly_tags": (
        _weekly,
        [
            home.active_tags,
            home._week,
            home._weekly_tags,
            home._weekly_refreshed,
            home._slid,
            home._shifted,
        ],
    ),
    "snapshot_summary": (
        lambda s: demo._summary_after(s, None),
        [demo.snapshot_summary, demo._summary_after, demo.SnapshotSummary],
    ),
}
# The shared parts: the encoding, and what a save's (sequence number, deletions) mean.
SHARED = {
    "codec": (kept_formats.CODEC, [kept_codec]),
    "base": (kept_formats.BASE, [memo.SeqMemo.kept_up, memo._heads, tags.note_deletions]),
}


def fill(session: Session) -> None:
    """The fixed store: 40 items over six weeks, two sources, four types, tags (one
    rejected, one confirmed), events of one to five items, ids in three id blocks."""
    src = [Source(slug=f"fixed-{n}", name=n, kind="rss") for n in ("one", "two")]
    session.add_all(src)
    session.flush()
    made = START - timedelta(days=1)
    events = [
        Event(headline=f"e{n}", event_date=START + timedelta(days=n), created_at=made)
        for n in range(14)
    ]
    session.add_all(events)
    session.flush()
    types = ["news", "letter", "rule", "report"]
    item_tags = ItemTag.__table__  # type: ignore[attr-defined]
    for n in range(40):
        item_id = 1 + n * 613  # 1 .. 23,908: three blocks of timeline_counts.BLOCK ids
        published = START + timedelta(days=n, hours=(n * 7) % 24)
        event = events[n % 14] if n % 9 else None  # every ninth waits for an event
        session.add(
            Item(
                id=item_id,
                source_id=src[n % 2].id,
                guid=f"g{n}",
                title=f"t{n}",
                published_at=published,
                fetched_at=published,
                doc_type=types[n % 4],
                content_hash=f"{n:064d}",
                event_id=event and event.id,
                seq=100 + n,
                changed_at=published + timedelta(minutes=n),
                sample=n % 5 == 0,
            )
        )
        session.flush()
        rows = [("distillation", "topic")] * (n % 2 == 0) + [("anthropic", "entity")] * (n % 3 == 0)
        rows += [("export-controls", "topic")] * (n % 4 == 1) + [("deepseek", "entity")] * (
            n % 5 < 2
        )
        for k, (slug, kind) in enumerate(rows):
            status = "rejected" if n == 6 and k == 0 else "confirmed" if n % 7 == 0 else "suggested"
            session.execute(
                item_tags.insert().values(
                    item_id=item_id,
                    slug=slug,
                    kind=kind,
                    origin="rule",
                    status=status,
                    evidence=[],
                    created_at=published,
                )
            )


def canonical(value: Any) -> Any:
    """`value` as plain JSON whatever the database: maps sorted, times in naive UTC."""
    if isinstance(value, dict):
        pairs = [[canonical(k), canonical(v)] for k, v in value.items()]
        return sorted(pairs, key=lambda kv: json.dumps(kv, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return [type(value).__qualname__, [canonical(getattr(value, f.name)) for f in fields]]
    return value


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def source_of(code: list[Any]) -> str:
    """The source of functions, classes and modules; the repr of constants."""
    texts = [
        inspect.getsource(c)
        if inspect.isroutine(c) or inspect.isclass(c) or inspect.ismodule(c)
        else repr(c)
        for c in code
    ]
    return digest(texts)


def fingerprints(session: Session) -> dict[str, dict[str, Any]]:
    found = {}
    for kind, (count, code) in KINDS.items():
        found[kind] = {
            "version": kept_formats.FORMATS[kind],
            "parts": digest(canonical(count(session))),
            "code": source_of(code),
        }
    for name, (version, code) in SHARED.items():
        found[name] = {"version": version, "code": source_of(code)}
    return found


def test_every_kind_is_guarded() -> None:
    assert set(KINDS) == set(kept_formats.FORMATS)


def test_a_change_of_meaning_comes_with_a_version_bump(pipeline: Pipeline) -> None:
    with session_scope(pipeline.engine) as session:
        fill(session)
        session.commit()
        now = fingerprints(session)
    recorded = json.loads(RECORDED.read_text())
    hint = "; then record: python tests/test_kept_formats.py --record"
    for kind, seen in now.items():
        was = recorded.get(kind)
        assert was is not None, f"{kind}: no fingerprint recorded{hint}"
        assert was["version"] == seen["version"], f"{kind}: version bumped{hint}"
        assert was.get("parts") == seen.get("parts"), (
            f"{kind}: its parts count something else at version {seen['version']}: bump "
            f"its version in tracker/store/kept_formats.py (saved parts would be misread){hint}"
        )
        assert was["code"] == seen["code"], (
            f"{kind}: the code that makes its parts changed: if what they mean changed, "
            f"bump its version in tracker/store/kept_formats.py{hint}"
        )


def test_a_bump_is_what_the_saved_key_follows(pipeline: Pipeline) -> None:
    """Two versions of a kind never read each other's saves; other kinds are untouched."""
    key, other = ("daily", ListingFilter(topic="x")), ("pairs", "x", "entity")
    kept_store.save(pipeline.engine, key, 5, 0, {})
    kept_store.save(pipeline.engine, other, 5, 0, {})
    assert kept_store.flush()
    formats = dict(kept_formats.FORMATS, daily=kept_formats.FORMATS["daily"] + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kept_formats, "FORMATS", formats)
        assert kept_store.load(pipeline.engine, key) is None
        assert kept_store.load(pipeline.engine, other) == (5, 0, {})
    assert kept_store.load(pipeline.engine, key) == (5, 0, {})


def record() -> None:
    from conftest import make_settings

    with tempfile.TemporaryDirectory() as home:
        p = Pipeline(make_settings(Path(home)))
        p.init()
        with session_scope(p.engine) as session:
            fill(session)
            session.commit()
            found = fingerprints(session)
        p.engine.dispose()
    RECORDED.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    print(f"recorded {RECORDED}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        sys.path.insert(0, str(Path(__file__).parent))
        record()
