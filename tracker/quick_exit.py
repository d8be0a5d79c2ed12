"""Ending a finished command without the interpreter's teardown.

After `tracker ingest` the heap holds the taxonomy's automaton, the
analyzer's word cache, the grouping's structures and SQLAlchemy's caches;
CPython's normal exit frees them object by object (and collects garbage
first), which cost ~1-2 s on this machine after a 2,000-item ingest, time in
which the user's prompt does not come back. `leave` ends the process at once,
but only after everything an ordinary exit would finish is finished: the
database's connections are closed (SQLite checkpoints its WAL on the last
close), the exit handlers run (logging's flush and close among them), stdout
and stderr are flushed. It falls back to an ordinary exit while any other
thread that is not a daemon, or a child process, is alive, since an ordinary
exit would wait for them; kept aggregates waiting to be saved are written
first.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import threading
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # `tracker tag` imports this module and never the store
    from sqlalchemy.engine import Engine


def leave(code: int, engine: Engine | None = None) -> NoReturn:
    """Exit with `code` once the engine is closed and every handler has run."""
    kept = sys.modules.get("tracker.store.kept_store")
    if kept is not None:  # aggregates counted here are written for the site first
        kept.flush(timeout=5.0)
    if engine is not None:
        engine.dispose()
    # An ordinary exit waits for threads that are not daemons (the kept
    # aggregates' writer is one, and never ends) and for child processes.
    waited = [t for t in threading.enumerate() if t is not threading.current_thread()]
    if any(not t.daemon for t in waited) or multiprocessing.active_children():
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to reach
            stream.flush()
    os._exit(code)
