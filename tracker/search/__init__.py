"""Full-text search: the only package that imports whoosh.

The database is the source of truth; the index under ``TRACKER_HOME/index``
follows items' sequence numbers and can always be caught up or rebuilt.

- `search(settings, query, filters=..., sort=..., page=..., per_page=...)`
- `catch_up(settings, engine)`: index what changed since the last catch-up
  (every search first catches up with what other processes stored:
  `following.follow_database`)
- `rebuild(settings, engine, progress)`: a fresh index, swapped in whole
- `index_status(settings, engine=None)`, `indexed_items(settings)`: checks
- `warm(settings)`: open the index and fill its caches before the first search
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.search.indexing import catch_up
from tracker.search.indexing import indexed_items as _indexed_items
from tracker.search.schema import STATE_ID
from tracker.search.storage import IndexBusy, folder_size
from tracker.store.engine import session_scope
from tracker.store.indexing import item_total, max_seq

if TYPE_CHECKING:
    from tracker.search.rebuilding import RebuildFailed, rebuild
    from tracker.search.results import (
        FACET_NAMES,
        SORTS,
        Filters,
        Hit,
        IndexStatus,
        SearchResult,
    )
    from tracker.search.searching import search
    from tracker.search.warming import warm

# Imported on first use: a command that only writes the index (`tracker
# ingest`) does not pay for the search side (numpy, rapidfuzz, the ranking).
_LAZY = {
    "RebuildFailed": "rebuilding",
    "rebuild": "rebuilding",
    "FACET_NAMES": "results",
    "SORTS": "results",
    "Filters": "results",
    "Hit": "results",
    "IndexStatus": "results",
    "SearchResult": "results",
    "search": "searching",
    "warm": "warming",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FACET_NAMES",
    "SORTS",
    "Filters",
    "Hit",
    "IndexBusy",
    "IndexStatus",
    "RebuildFailed",
    "SearchResult",
    "catch_up",
    "index_status",
    "indexed_items",
    "rebuild",
    "search",
    "warm",
]


def index_status(settings: Settings, engine: Engine | None = None) -> IndexStatus:
    """The index's size and position; with `engine`, the database's too."""
    database_items = database_seq = None
    if engine is not None:
        with session_scope(engine) as session:
            database_items, database_seq = item_total(session), max_seq(session)
    from tracker.search.results import IndexStatus
    from tracker.search.snapshot import live_index

    folder = settings.index_dir
    live = live_index(folder)
    with live.lock:
        snap = live.snapshot()
        if snap is None:
            return IndexStatus(str(folder), False, False, 0, 0, 0, 0, database_items, database_seq)
        state = snap.state
        has_state = snap.searcher.document_number(id=STATE_ID) is not None
        items = snap.searcher.doc_count() - has_state
        return IndexStatus(
            folder=str(folder),
            exists=True,
            current_schema=state.current,
            items=items,
            last_seq=state.seq,
            size_bytes=folder_size(folder),
            segments=len(snap.leaves),
            database_items=database_items,
            database_seq=database_seq,
        )


def indexed_items(settings: Settings) -> dict[int, int]:
    """Item id → sequence number of every item in the index (for checks and tests)."""
    from tracker.search.snapshot import live_index

    live = live_index(settings.index_dir)
    with live.lock:
        snap = live.snapshot()
        return {} if snap is None else _indexed_items(snap.searcher)
