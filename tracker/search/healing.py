"""An index that cannot be used rebuilds itself instead of failing a search.

The index is derived data: the database can always rebuild it. So when its
files cannot be read (a class its pickles name has moved, another whoosh
version wrote it, a file is cut short, overwritten or gone) or it was written
by another schema version, the search says so in one log line and rebuilds
it. A database small enough to rebuild in a few seconds is rebuilt while the
request waits, and the request is answered from the new index; a bigger one
is rebuilt in a background thread while searches answer with a notice.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.search.rebuilding import rebuild
from tracker.search.storage import IndexBusy
from tracker.store import StoreError
from tracker.store.engine import make_engine, session_scope
from tracker.store.indexing import item_total

log = logging.getLogger("tracker.search")
# About 2 s of rebuilding on one core: worth a wait rather than an empty answer.
WAIT_ITEMS = 5000
REBUILDING = "The search index is being rebuilt from the database; try again in a minute."
_running: set[str] = set()
_running_lock = threading.Lock()


def heal(settings: Settings, reason: str) -> bool:
    """Rebuild the index at `settings.index_dir`; True when it is usable now."""
    folder = str(settings.index_dir)
    with _running_lock:
        if folder in _running:
            return False
        _running.add(folder)
    log.warning(
        "search index %s cannot be used (%s); rebuilding it from the database", folder, reason
    )
    try:
        engine = make_engine(settings)
        with session_scope(engine) as session:
            items = item_total(session)
    except StoreError as exc:
        log.error("cannot rebuild the search index %s: %s", folder, exc)
        _done(folder)
        return False
    if items <= WAIT_ITEMS:
        _rebuild(settings, engine, folder)
        return True
    threading.Thread(target=_rebuild, args=(settings, engine, folder), daemon=True).start()
    return False


def _rebuild(settings: Settings, engine: Engine, folder: str) -> None:
    try:
        count = rebuild(settings, engine, damaged=True)
        log.warning("search index %s rebuilt with %d items", folder, count)
    except (IndexBusy, StoreError) as exc:
        log.error("search index %s was not rebuilt: %s", folder, exc)
    finally:
        engine.dispose()
        _done(folder)


def _done(folder: str) -> None:
    with _running_lock:
        _running.discard(folder)
