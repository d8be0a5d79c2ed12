"""What a saved kept aggregate's parts mean, as an explicit version per kind.

A saved aggregate (`kept_store`) is read by every later process, including
those of later releases. Its key carries the version of its kind below, of
the encoding (`CODEC`) and of the bookkeeping every kind shares (`BASE`: the
sequence numbers and deletion counter it was counted at, `memo.kept_up`), so
a release that changes none of them reads what an earlier one saved and
recounts only the items changed since, while a release that changes what a
kind's parts mean, or how they are brought up to date, bumps that kind's
number: its old saves are then never read (another key), and only that kind
is counted afresh.

A change of meaning without a bump fails tests/test_kept_formats.py: it
counts every kind on a fixed store and compares the parts, and the source of
the code that makes them, with what tests/kept_formats.json recorded for the
version.
"""

from __future__ import annotations

from collections.abc import Hashable

# Kind (the key's first element) -> version of what its parts mean.
FORMATS: dict[str, int] = {
    "daily": 1,  # timelines.daily_counts: items per (day, type) of a listing
    "event-firsts": 1,  # timeline_counts.event_total: events per day of their first item
    "pairs": 1,  # timeline_counts.cooccurring: per id block, other tag -> items
    "latest": 1,  # kept_versions.listing_version: the listing's latest item
    "front-days": 3,  # front_kept.week_parts: the home page's week, a part per hour (1: per day;
    # 2: every tag not rejected; 3: not issuer tags either, unless confirmed)
    "weekly_tags": 2,  # home.active_tags: items per tag and week (2: not issuer tags)
    "snapshot_summary": 1,  # demo.snapshot_summary: the demo's counts and dates
}
CODEC = 1  # kept_codec's encoding
BASE = 1  # what (sequence number, deletions) of a save mean (memo.kept_up)


def kind_of(key: Hashable) -> str | None:
    """The kind a kept aggregate's key names (its first element), or None."""
    if isinstance(key, tuple) and key and isinstance(key[0], str):
        return key[0]
    return None


def mark(key: Hashable) -> str:
    """The versions a save of `key` is made and read under; ValueError for a kind
    with no version (such an aggregate is never saved: each process counts it)."""
    kind = kind_of(key)
    if kind is None or kind not in FORMATS:
        raise ValueError(f"kept aggregate {key!r} has no format version")
    return f"{kind}/{FORMATS[kind]}/codec{CODEC}/base{BASE}"
