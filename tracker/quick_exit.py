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
thread or child process is alive, since an ordinary exit would wait for them.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import threading
from typing import NoReturn

from sqlalchemy.engine import Engine


def leave(code: int, engine: Engine | None = None) -> NoReturn:
    """Exit with `code` once the engine is closed and every handler has run."""
    if engine is not None:
        engine.dispose()
    if threading.active_count() > 1 or multiprocessing.active_children():
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to reach
            stream.flush()
    os._exit(code)
