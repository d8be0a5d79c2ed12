"""Each web process keeps its index up with the database, whoever wrote to it.

A fetch worker on another host (or in another process with another
`TRACKER_HOME`) stores items but does not touch this process's index. So
before answering a search, a process looks at the database's highest
sequence number, at most once every `FOLLOW_SECONDS`; when the index is
behind it catches up from its own sequence number (only what changed, never
a rebuild). Looking costs one indexed `max()` query.

Items deleted from the database are looked for (`repair`, which counts the
items: 0.1 s at a million, on the request that met the change) when the
`item_deletions` counter has moved since this process last looked (every
deletion the tracker makes adds to it in its own transaction), and at least
every `CHECK_SECONDS` for rows deleted by hand; `tracker ingest` and the
other commands that store or delete items check at every catch-up of their
own.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.search.indexing import catch_up
from tracker.search.snapshot import live_index
from tracker.search.storage import IndexBusy, IndexUnreadable
from tracker.store import StoreError
from tracker.store.engine import make_engine, session_scope
from tracker.store.memo import heads

log = logging.getLogger("tracker.search")
FOLLOW_SECONDS = 2.0
# A search waits this long at most for the index lock; when another process
# is already catching up, this one answers from the index as it is.
WAIT_FOR_WRITER = 1.0
KEEP_ENGINES = 2
CHECK_SECONDS = 300.0
_lock = threading.Lock()
_looked: dict[str, float] = {}
_checked: dict[str, float] = {}
_deletions: dict[str, int] = {}
_engines: dict[str, Engine] = {}


def follow_database(settings: Settings) -> int:
    """Catch the index up if the database moved on; how many items were indexed."""
    folder = str(settings.index_dir)
    now = time.monotonic()
    with _lock:
        if now - _looked.get(folder, float("-inf")) < FOLLOW_SECONDS:
            return 0
        _looked[folder] = now
        checked = _checked.setdefault(folder, now)
        engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            newest, deletions, _ = heads(session)
        with _lock:
            seen = _deletions.setdefault(folder, deletions)
        check = deletions != seen or now - checked >= CHECK_SECONDS
        indexed = _indexed_seq(settings)
        # No index, or one of another version: that is a rebuild, which
        # `tracker reindex` and the search's own healing do, not a catch-up.
        if indexed is None or newest <= indexed:
            return 0
        done = catch_up(settings, engine, timeout=WAIT_FOR_WRITER, check=check)
        if check:
            with _lock:
                _checked[folder] = now
                _deletions[folder] = deletions
        return done
    except IndexBusy:
        return 0
    except StoreError as exc:
        log.warning("cannot look for new items to index: %s", exc)
        return 0


def _engine(settings: Settings) -> Engine:
    """One engine per database, the few most recent kept (a process serves one)."""
    engine = _engines.pop(settings.database_url, None) or make_engine(settings)
    _engines[settings.database_url] = engine  # the most recent last
    while len(_engines) > KEEP_ENGINES:
        _engines.pop(next(iter(_engines))).dispose()
    return engine


def _indexed_seq(settings: Settings) -> int | None:
    """The sequence number the index has reached; None if it cannot be caught up."""
    live = live_index(settings.index_dir)
    with live.lock:
        try:
            snap = live.snapshot()
        except IndexUnreadable:
            return None
        if snap is None or not snap.state.current:
            return None
        return snap.state.seq


def forget() -> None:
    """Look at the database on the next search (tests, and after a rebuild)."""
    with _lock:
        _looked.clear()
        _checked.clear()
        _deletions.clear()
