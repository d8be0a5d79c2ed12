"""Response bodies kept by their ETag, per process.

A CSV export of a busy listing is two thousand rows: two queries, their tags
and the formatting of every cell, a few hundred milliseconds at a million
items, for a body that stays the same until the listing's version moves. The
ETag names that body exactly (the listing's version, the URL, the format's
arguments: `conditional.validators`), so the body kept under it is the one
that would be written again; a changed listing has a new ETag and is written
afresh. Bounded in entries and in bytes (`store.bounded`).
"""

from __future__ import annotations

import threading

from flask import current_app

from tracker.store.bounded import BoundedLru

MAX_BODIES = 256
MAX_BYTES = 32 * 2**20  # a body larger than a quarter of this is not kept


class BodyCache:
    """ETag -> body; thread-safe, least recently used dropped first."""

    def __init__(self, entries: int = MAX_BODIES, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._kept = BoundedLru(entries, max_bytes)

    def get(self, etag: str) -> str | None:
        with self._lock:
            found = self._kept.get(etag)
        return found if isinstance(found, str) else None

    def put(self, etag: str, body: str) -> None:
        with self._lock:
            self._kept.put(etag, body)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def csv_bodies() -> BodyCache:
    """The app's CSV bodies (one app per database: an ETag names a body of its own)."""
    found = current_app.extensions.get("tracker.csv_bodies")
    if found is None:
        found = current_app.extensions.setdefault("tracker.csv_bodies", BodyCache())
    return found  # type: ignore[no-any-return]
