"""Response bodies kept by their ETag: in the process, and in files every worker shares.

A CSV export of a busy listing is two thousand rows: two queries, their tags
and the formatting of every cell, a few hundred milliseconds at a million
items, for a body that stays the same until the listing's version moves. The
ETag names that body exactly (the listing's version, the URL, the format's
arguments: `conditional.validators`), so the body kept under it is the one
that would be written again; a changed listing has a new ETag and is written
afresh.

Each process keeps bodies in memory (bounded in entries and bytes,
`store.bounded`) and writes each to `TRACKER_HOME/bodies/<etag>.csv`, so
another worker's first reader of it gets the file instead of a new export. The
folder keeps the `MAX_FILES` newest files; a file is written whole (a temporary
name, then renamed), so no reader sees half of one. The folder is named by a
hash of the code that writes the rows, so a release that writes them
differently never serves a body an older one wrote.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from pathlib import Path

from flask import current_app

from tracker.store.bounded import BoundedLru

MAX_BODIES = 256
MAX_BYTES = 32 * 2**20  # a body larger than a quarter of this is not kept
MAX_FILES = 128  # bodies kept in the shared folder; the oldest go first
_ETAG = re.compile(r"^[0-9a-f]{16,64}$")


class BodyCache:
    """ETag -> body; thread-safe, least recently used dropped first."""

    def __init__(
        self, folder: Path | None = None, entries: int = MAX_BODIES, max_bytes: int = MAX_BYTES
    ) -> None:
        self._lock = threading.Lock()
        self._kept = BoundedLru(entries, max_bytes)
        self._folder = folder

    def get(self, etag: str) -> str | None:
        with self._lock:
            found = self._kept.get(etag)
        if isinstance(found, str):
            return found
        path = self._path(etag)
        if path is None:
            return None
        try:
            with open(path, encoding="utf-8", newline="") as handle:  # CRLF kept
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            return None
        with self._lock:
            self._kept.put(etag, text)
        return text

    def put(self, etag: str, body: str) -> None:
        with self._lock:
            self._kept.put(etag, body)
        path = self._path(etag)
        if path is None or len(body) > MAX_BYTES // 4:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(body)
            os.replace(temporary, path)
            _prune(path.parent)
        except OSError:
            return  # kept in memory all the same

    def _path(self, etag: str) -> Path | None:
        if self._folder is None or not _ETAG.match(etag):
            return None
        return self._folder / f"{etag}.csv"


def _prune(folder: Path) -> None:
    """Keep the `MAX_FILES` most recently written bodies."""
    files = list(folder.glob("*.csv"))
    if len(files) <= MAX_FILES:
        return
    aged = []
    for path in files:
        try:
            aged.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(aged)[: len(aged) - MAX_FILES]:
        path.unlink(missing_ok=True)


def code_mark() -> str:
    """A hash of the modules that make an export's rows."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in ("web/csv_export.py", "web/feed_formats.py", "store/listings.py"):
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()[:12]


def csv_bodies() -> BodyCache:
    """The app's CSV bodies (one app per database: an ETag names a body of its own)."""
    found = current_app.extensions.get("tracker.csv_bodies")
    if found is None:
        settings = current_app.extensions["tracker.settings"]
        made = BodyCache(Path(settings.home) / "bodies" / code_mark())
        found = current_app.extensions.setdefault("tracker.csv_bodies", made)
    return found  # type: ignore[no-any-return]
