"""`tracker tag --jsonl` end to end: read lines, tag them (on every core for a
file), write the answers in order.

From a pipe or a terminal, answers are written and flushed once per piece of
input read, just before waiting for the next: a program that writes a line
and waits for its answer gets it at once, and a stream of 20,000 lines costs
a few hundred writes instead of 20,000 flushes. From a regular file of a
megabyte or more, batches of lines go to worker processes forked after the
taxonomy is compiled (so they inherit it), at most a few batches ahead of the
writer, so memory stays flat however long the file; a worker that dies costs
time, not answers: the rest is tagged here.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import IO

from tracker.config import Settings
from tracker.gcpause import gc_paused
from tracker.tagging_io import source_defaults, tag_line
from tracker.taxonomy import Taxonomy, load_taxonomy

CHUNK = 1 << 16  # bytes read at a time from a pipe, as soon as they arrive
PARALLEL_MIN = 1 << 20  # bytes; a smaller file is tagged before workers would start
# Lines a worker tags at a time: a tenth of a second's work, so at the end of a
# file one worker waits that long at most for the other's last batch.
BATCH = 100
AHEAD = 4  # batches in flight per worker: enough to keep them busy, few to hold

# One encoder for every answer: `json.dumps` with an option builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode
Batch = tuple[int, list[bytes]]  # the number of its first line, and the lines


def run_tag_jsonl(settings: Settings, stdin: IO[bytes], stdout: IO[str]) -> int:
    """Tag every line of `stdin` to `stdout`, in order; return how many lines were bad."""
    taxonomy = load_taxonomy(settings.data_dir / "taxonomy.toml")
    defaults = source_defaults(settings)
    workers = os.cpu_count() or 1
    if workers > 1 and _large_file(stdin) and "fork" in multiprocessing.get_all_start_methods():
        return _tag_file(stdin, stdout, taxonomy, defaults, workers)
    return _tag_stream(stdin, stdout, taxonomy, defaults)


def _large_file(stream: IO[bytes]) -> bool:
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):  # a stream with no file behind it
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size >= PARALLEL_MIN


def _tag_stream(
    stdin: IO[bytes], stdout: IO[str], taxonomy: Taxonomy, defaults: Mapping[str, str]
) -> int:
    bad = 0
    for first, lines in _batches(stdin, CHUNK, 1):
        text, errors = _answers(first, lines, taxonomy, defaults)
        stdout.write(text)
        stdout.flush()  # before waiting for more input: a caller may be waiting for this
        bad += errors
    return bad


def _tag_file(
    stdin: IO[bytes],
    stdout: IO[str],
    taxonomy: Taxonomy,
    defaults: Mapping[str, str],
    workers: int,
) -> int:
    bad = 0
    batches = _split(_batches(stdin, 1 << 20, BATCH), BATCH)
    pending: deque[tuple[Batch, Future[tuple[str, int]]]] = deque()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(taxonomy, defaults),
    )
    try:
        for batch in batches:
            pending.append((batch, pool.submit(_tag_in_worker, batch)))
            while len(pending) >= workers * AHEAD:
                bad += _write_oldest(pending, stdout, taxonomy, defaults)
        while pending:
            bad += _write_oldest(pending, stdout, taxonomy, defaults)
    finally:
        pool.shutdown(cancel_futures=True)
    stdout.flush()
    return bad


def _write_oldest(
    pending: deque[tuple[Batch, Future[tuple[str, int]]]],
    stdout: IO[str],
    taxonomy: Taxonomy,
    defaults: Mapping[str, str],
) -> int:
    (first, lines), future = pending.popleft()
    try:
        text, errors = future.result()
    except BrokenProcessPool:  # a worker died (killed, out of memory): tag it here
        text, errors = _answers(first, lines, taxonomy, defaults)
    stdout.write(text)
    return errors


def _batches(stdin: IO[bytes], size: int, lines_per_batch: int) -> Iterator[Batch]:
    """Whole lines of the input, numbered, in batches of at least `lines_per_batch`
    (the last one may be smaller); a last line without its newline counts."""
    read = getattr(stdin, "read1", stdin.read)
    rest, number, held = b"", 1, []
    while piece := read(size):
        lines = (rest + piece).split(b"\n")
        rest = lines.pop()
        held.extend(lines)
        if len(held) >= lines_per_batch:
            yield number, held
            number, held = number + len(held), []
    if rest:
        held.append(rest)
    if held:
        yield number, held


def _split(batches: Iterator[Batch], size: int) -> Iterator[Batch]:
    """The batches cut into batches of at most `size` lines, numbered on."""
    for first, lines in batches:
        for start in range(0, len(lines), size):
            yield first + start, lines[start : start + size]


@gc_paused()
def _answers(
    first: int, lines: list[bytes], taxonomy: Taxonomy, defaults: Mapping[str, str]
) -> tuple[str, int]:
    """The answer lines for a batch, and how many of them are errors."""
    out, bad = [], 0
    for number, line in enumerate(lines, start=first):
        result = tag_line(line, number, taxonomy, defaults)
        bad += "error" in result
        out.append(_to_json(result))
    return "\n".join(out) + "\n", bad


_worker: tuple[Taxonomy, Mapping[str, str]] | None = None


def _adopt(taxonomy: Taxonomy, defaults: Mapping[str, str]) -> None:
    global _worker
    _worker = (taxonomy, defaults)


def _tag_in_worker(batch: Batch) -> tuple[str, int]:
    assert _worker is not None, "worker started without its taxonomy"
    return _answers(batch[0], batch[1], *_worker)
