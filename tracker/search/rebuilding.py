"""A fresh index built from nothing, then swapped in whole.

The build happens in a sibling folder; `procs` worker processes each read
their share of the items (by id modulo `procs`) straight from the database
and write one segment each. The swap moves the finished segment files into
the live folder and writes the next generation's table of contents, under the
live index's write lock: a reader opens either the old index or the new one,
never half of either. A killed build leaves only a folder that the next
rebuild removes; a killed swap leaves stray files that whoosh deletes at the
next commit.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.writing import SegmentWriter

from tracker.config import Settings
from tracker.gcpause import gc_paused
from tracker.search.codec import ArrayCodec
from tracker.search.indexing import Progress, follow
from tracker.search.schema import document, make_schema, state_document
from tracker.search.storage import (
    DEFAULT_TIMEOUT,
    INDEX_NAME,
    UNREADABLE,
    IndexUnreadable,
    file_lock,
    forget,
    index_writer,
    open_index,
    read_state,
    write_lock,
)
from tracker.store import StoreError
from tracker.store.engine import make_engine, session_scope
from tracker.store.indexing import item_total, items_since, max_seq

BATCH = 500
# Below this many items one process is faster than starting workers.
PARALLEL_FROM = 5000
BUILD_PREFIX = "index.build-"
# Postings a build worker keeps in memory before sorting them out to disk; a
# spill costs a pickle round trip of every posting, about a third of the build
# time, and 1 GB holds the postings of some 60,000 items of 1.5 KB.
POOL_MB = 1024


class RebuildFailed(Exception):
    """A build worker stopped before finishing its share; the live index is untouched."""


def rebuild(
    settings: Settings,
    engine: Engine,
    progress: Progress | None = None,
    *,
    procs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    damaged: bool = False,
) -> int:
    """Build a fresh index from the database and swap it in; returns items indexed.

    `progress(done, total)` is called as items are indexed. Raises `IndexBusy`
    when another rebuild runs or the live index stays locked past `timeout`.
    With `damaged`, the live index could not be read: unless another process
    has rebuilt it meanwhile, it is moved aside and deleted first, so that no
    reader opens it again.
    """
    home = settings.index_dir.parent
    home.mkdir(parents=True, exist_ok=True)
    with file_lock(home / "index.rebuild.lock", timeout, "rebuild the search index"):
        if damaged and usable(settings.index_dir):
            return 0
        floor = _set_aside(settings.index_dir) if damaged else 0
        for stale in home.glob(BUILD_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        build = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=home))
        try:
            count = _build(settings, engine, build, progress, procs)
            _swap_in(build, settings.index_dir, timeout, floor)
        finally:
            shutil.rmtree(build, ignore_errors=True)
    live = open_index(settings.index_dir)
    assert live is not None
    # Items that changed while the swap waited for the lock.
    return count + (follow(live, engine, timeout=timeout) or 0)


def _build(
    settings: Settings, engine: Engine, build: Path, progress: Progress | None, procs: int | None
) -> int:
    with session_scope(engine) as session:
        upto, total = max_seq(session), item_total(session)
    ix = index.create_in(str(build), make_schema(), indexname=INDEX_NAME)
    if procs is None:
        procs = min(2, os.cpu_count() or 1) if total >= PARALLEL_FROM else 1

    def step(done: int) -> None:
        if progress:
            progress(done, total)

    if procs <= 1:
        segment, count = build_segment(engine, build, upto, (0, 1), step)
        results = [(segment, count)]
    else:
        results = _build_in_workers(settings, build, upto, procs, step)
    segments = [segment for segment, _ in results if segment is not None]
    with index_writer(ix, DEFAULT_TIMEOUT) as writer:
        writer.add_document(**state_document(upto))
        # A merge policy that keeps the workers' segments as they are.
        writer.commit(mergetype=lambda _writer, existing: [*existing, *segments])
    # Items changed during the build have a seq above `upto`: add them now.
    followed = follow(ix, engine) or 0
    return sum(count for _, count in results) + followed


def build_segment(
    engine: Engine,
    build: Path,
    upto: int,
    shard: tuple[int, int],
    step: Callable[[int], None] | None = None,
    alive: Callable[[], bool] | None = None,
) -> tuple[Any, int]:
    """Write one shard of the items into one new segment of the index in `build`.

    Returns the segment (None if the shard was empty) and how many items it holds.
    """
    ix = index.open_dir(str(build), indexname=INDEX_NAME, schema=make_schema())
    # No lock: the parent owns the build folder, and each writer has its own segment.
    writer = SegmentWriter(ix, _lk=False, limitmb=POOL_MB, codec=ArrayCodec())
    last = count = 0
    with gc_paused():
        while True:
            with session_scope(engine) as session:
                docs = items_since(session, last, BATCH, upto=upto, shard=shard)
            if not docs:
                break
            for doc in docs:
                writer.add_document(**document(doc))
            count += len(docs)
            last = docs[-1].seq
            if step:
                step(count)
            if alive and not alive():
                raise RebuildFailed("the process that started this build has gone")
        if count == 0:
            # Not cancel(): that would delete the temporary folder the other
            # workers are still writing their postings to.
            writer._close_segment()
            return None, 0
        return writer._finalize_segment(), count


def _build_in_workers(
    settings: Settings, build: Path, upto: int, procs: int, step: Callable[[int], None]
) -> list[tuple[Any, int]]:
    # fork where there is one: "spawn" would re-run the caller's main module,
    # which breaks scripts without a __main__ guard. Workers open their own
    # engine and never touch the parent's connections.
    methods = multiprocessing.get_all_start_methods()
    ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    counter = ctx.Value("q", 0)
    workers = []
    for k in range(procs):
        result = build / f"worker-{k}.result"
        args = (settings, build, upto, (k, procs), counter, result, os.getpid())
        worker = ctx.Process(target=_worker, args=args, daemon=True)
        worker.start()
        workers.append((worker, result))
    while any(worker.is_alive() for worker, _ in workers):
        step(counter.value)
        time.sleep(0.2)
    results = []
    for worker, result in workers:
        worker.join()
        outcome: Any = pickle.loads(result.read_bytes()) if result.exists() else ("error", None)
        if outcome[0] == "store-error":
            raise StoreError(outcome[1])
        if outcome[0] != "ok" or worker.exitcode != 0:
            detail = outcome[1] or f"exit code {worker.exitcode}"
            raise RebuildFailed(f"an index build worker failed ({detail}); the index is unchanged")
        results.append(outcome[2])
    step(counter.value)
    return results


def _worker(
    settings: Settings,
    build: Path,
    upto: int,
    shard: tuple[int, int],
    counter: Any,
    result: Path,
    parent: int,
) -> None:
    engine = make_engine(settings)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        with counter.get_lock():
            counter.value += count - done
        done = count

    try:
        outcome: tuple[Any, ...] = (
            "ok",
            None,
            build_segment(engine, build, upto, shard, step, lambda: os.getppid() == parent),
        )
    except StoreError as exc:
        outcome = ("store-error", str(exc))
    except Exception as exc:  # reported to the parent, which raises RebuildFailed
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    finally:
        engine.dispose()
    result.write_bytes(pickle.dumps(outcome))


def usable(folder: Path) -> bool:
    """Does `folder` hold an index of this schema version that opens and reads?"""
    try:
        ix = open_index(folder)
        if ix is None:
            return False
        with ix.searcher() as searcher:
            return read_state(searcher).current
    except IndexUnreadable:
        return False
    except UNREADABLE as exc:
        forget(exc)
        return False


def _set_aside(folder: Path) -> int:
    """Remove a damaged index folder; returns the last generation it held.

    It is renamed first (one atomic step, so readers find no index rather
    than half of one), then deleted. The next generation number continues
    from it, so a process that had the old one open sees a change.
    """
    if not folder.exists():
        return 0
    generation = TOC._latest_generation(FileStorage(str(folder)), INDEX_NAME)
    aside = folder.with_name(f"{folder.name}.damaged-{os.getpid()}-{time.time_ns()}")
    os.replace(folder, aside)
    shutil.rmtree(aside, ignore_errors=True)
    return max(generation, 0)


def _swap_in(build: Path, folder: Path, timeout: float, floor: int = 0) -> None:
    """Make the index in `build` the live one at `folder`, atomically for readers."""
    built = TOC.read(FileStorage(str(build)), INDEX_NAME, schema=make_schema())
    names = {segment.segment_id() for segment in built.segments}
    pattern = TOC._segment_pattern(INDEX_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    with write_lock(folder, timeout) as storage:
        generation = max(TOC._latest_generation(storage, INDEX_NAME), floor) + 1
        for name in os.listdir(build):
            match = pattern.match(name)
            if match and match.group(1) in names:
                os.replace(build / name, folder / name)
        TOC(built.schema, built.segments, generation).write(storage, INDEX_NAME)
        clean_files(storage, INDEX_NAME, generation, built.segments)
