"""Where the index lives on disk: opening, creating, locking, the state document.

Writers take whoosh's write lock (an ``flock``, so the kernel releases it when
a process dies) and wait for it at most `timeout` seconds; a busy index is
reported as `IndexBusy`, never as a half-written index.
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import traceback
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex, LockError
from whoosh.index import IndexError as WhooshIndexError
from whoosh.util.filelock import FileLock, try_for
from whoosh.writing import SegmentWriter

from tracker.search.codec import ArrayCodec
from tracker.search.mapped import MappedStorage
from tracker.search.schema import SCHEMA_VERSION, STATE_ID, make_schema

INDEX_NAME = "MAIN"
DEFAULT_TIMEOUT = 30.0


# How reading a damaged index fails: a pickled class that moved or changed
# (ImportError, AttributeError), a file cut short or overwritten (EOFError,
# struct.error, UnpicklingError, zlib.error, ValueError, KeyError, IndexError),
# a file gone (OSError), another whoosh format (whoosh's IndexVersionError), or
# one of the assertions whoosh reads with.
UNREADABLE: tuple[type[BaseException], ...] = (
    AssertionError,
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    ImportError,
    WhooshIndexError,
)


class IndexBusy(Exception):
    """Another process holds the index's write lock for longer than we wait."""


class IndexUnreadable(Exception):
    """The index's files cannot be read; it is rebuilt from the database."""


def unreadable(folder: Path, exc: BaseException) -> IndexUnreadable:
    """The exception that names what failed, for the log line."""
    return IndexUnreadable(f"{folder}: {type(exc).__name__}: {exc}")


def forget(exc: BaseException) -> None:
    """Close, quietly, the files whoosh left open when it failed with `exc`.

    Its readers open a file and raise before closing it; the file lives on in
    the exception's frames and would be reported as a ResourceWarning
    wherever they happen to be freed. Call from the except clause.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        if exc.__traceback__ is not None:
            traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()


@dataclass(frozen=True)
class IndexState:
    """How far an index has followed the database, and whether it is usable."""

    seq: int
    version: int | None

    @property
    def current(self) -> bool:
        return self.version == SCHEMA_VERSION


def open_index(folder: Path) -> FileIndex | None:
    """The index in `folder`, or None when there is none; `IndexUnreadable` if damaged."""
    if not folder.is_dir():
        return None
    try:
        # Our schema, not the pickled copy in the index: an index written by
        # an older version still opens, and its state document says it is old.
        storage = MappedStorage(str(folder), writable=True)
        return FileIndex(storage, schema=make_schema(), indexname=INDEX_NAME)
    except EmptyIndexError:
        return None
    except UNREADABLE as exc:
        problem = unreadable(folder, exc)
        forget(exc)
    raise problem


def open_or_create(folder: Path) -> FileIndex:
    """The index in `folder`, created empty if missing.

    Creation takes a lock of its own: two processes that both find no index
    must not both create one, or the second would wipe what the first wrote.
    """
    folder.mkdir(parents=True, exist_ok=True)
    found = open_index(folder)
    if found is not None:
        return found
    with file_lock(folder / "create.lock", DEFAULT_TIMEOUT, "create the search index"):
        found = open_index(folder)
        if found is not None:
            return found
        return index.create_in(str(folder), make_schema(), indexname=INDEX_NAME)


@contextmanager
def file_lock(path: Path, timeout: float, doing: str) -> Iterator[None]:
    """Hold an ``flock`` on `path`, waiting at most `timeout` seconds."""
    lock = FileLock(str(path))
    if not try_for(lock.acquire, timeout=timeout, delay=0.05):
        raise IndexBusy(busy_message(path.parent, timeout, doing))
    try:
        yield
    finally:
        lock.release()


def busy_message(folder: Path, timeout: float, doing: str) -> str:
    return (
        f"cannot {doing}: another process is writing the search index at {folder} "
        f"(waited {timeout:g} s); try again when it has finished"
    )


@contextmanager
def index_writer(ix: FileIndex, timeout: float, **kwargs: Any) -> Iterator[SegmentWriter]:
    """A writer holding the write lock; committed by the caller, cancelled on error."""
    folder = Path(ix.storage.folder)
    try:
        writer = ix.writer(timeout=timeout, delay=0.05, codec=ArrayCodec(), **kwargs)
    except LockError:
        raise IndexBusy(busy_message(folder, timeout, "update the search index")) from None
    try:
        yield writer
    finally:
        if not writer.is_closed:
            writer.cancel()


@contextmanager
def write_lock(folder: Path, timeout: float) -> Iterator[FileStorage]:
    """The index's write lock without a writer: for swapping in a rebuilt index."""
    storage = FileStorage(str(folder))
    lock = storage.lock(f"{INDEX_NAME}_WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=0.05):
        raise IndexBusy(busy_message(folder, timeout, "swap in the rebuilt search index"))
    try:
        yield storage
    finally:
        lock.release()


def read_state(searcher: Any) -> IndexState:
    """The state document of the index `searcher` reads (seq 0 if there is none)."""
    fields = searcher.document(id=STATE_ID)
    if fields is None:
        version = SCHEMA_VERSION if searcher.doc_count() == 0 else None
        return IndexState(seq=0, version=version)
    return IndexState(seq=int(fields.get("seq", 0)), version=fields.get("version"))


def folder_size(folder: Path) -> int:
    """Bytes used by the files of `folder` (not following links)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total
