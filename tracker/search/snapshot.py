"""One open index per folder and process, and what a search needs beyond whoosh.

Opening an index costs about 140 ms at 100,000 items, so a process keeps one
reader per index folder and replaces it only when a writer has committed a
new generation, reusing the readers of unchanged segments. It does not use
whoosh's `Searcher.refresh()`: in whoosh-reloaded 2.7.5 a refreshed searcher
still shows documents that were deleted or merged away, so an updated item
would be found twice.

Cached per segment for as long as the segment lives: each document's
publication minute, and for every facet value a bitmask of the documents
carrying it. Counting a facet over a whole result is then one AND and one
popcount per value, whatever the size of the result.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.index import FileIndex
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from tracker.search.codec import ArrayLeafMatcher
from tracker.search.mapped import MappedStorage
from tracker.search.storage import (
    UNREADABLE,
    IndexState,
    IndexUnreadable,
    forget,
    open_index,
    read_state,
    unreadable,
)
from tracker.types import DOC_TYPES

MAX_OPEN = 8
_tokens = itertools.count(1)
# Called with the tokens of segments no longer read, so that what was kept
# for them elsewhere (`tracker.search.decoded`) can go.
SEGMENTS_GONE: list[Callable[[list[int]], None]] = []

Docnums = NDArray[np.int64]


def bitmask(docnums: Iterable[int] | NDArray[Any], size: int) -> int:
    """An int whose bit n is set for each docnum n (all below `size`)."""
    if not isinstance(docnums, np.ndarray):
        docnums = np.fromiter(docnums, dtype=np.int64)
    flags = np.zeros(size, dtype=bool)
    flags[docnums] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(mask: int, size: int) -> NDArray[np.bool_]:
    """`mask` as one bool per docnum, `size` long."""
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, count=size, bitorder="little").view(np.bool_)


def bits_of(mask: int, size: int) -> Docnums:
    """The docnums whose bits are set in `mask`, in order."""
    return np.flatnonzero(flags_of(mask, size)).astype(np.int64)


def _numbers(column: Any) -> NDArray[np.int32] | None:
    """A 4-byte numeric column read in one go (None: not that layout).

    Iterating a whoosh column unpacks one value per call, about a second per
    100,000 documents; the column is a run of big-endian ints.
    """
    try:
        raw = column._dbfile.get(column._basepos, column._count * 4)
        missing, default = column._doccount - column._count, column._default
    except AttributeError:
        return None
    values = np.frombuffer(raw, dtype=">i4").astype(np.int32)
    return np.concatenate([values, np.full(missing, default, dtype=np.int32)])


def postings_of(reader: SegmentReader, field: str, term: str) -> Any:
    """A term's matcher over every document of a segment, deleted ones too.

    whoosh wraps the postings of a segment with deletions in a `FilterMatcher`
    that looks each posting up in a set, one method call per posting (most of
    a phrase search's time at 100,000 items, once the state document had been
    replaced once). Blocks are read whole here; deleted documents are left
    out by the caller (`Snapshot.live`).
    """
    matcher = reader.postings(field, term)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
        matcher.reset()
    return matcher


def _docnums(matcher: Any) -> Docnums:
    if isinstance(matcher, ArrayLeafMatcher):
        parts = [docnums for docnums, _, _ in matcher.blocks(0)]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    return np.fromiter(matcher.all_ids(), dtype=np.int64)


class SegmentFacts:
    """What one segment's documents carry, read once: columns and bitmasks."""

    def __init__(self, reader: SegmentReader, token: int = 0) -> None:
        self.size = reader.doc_count_all()
        # What `tracker.search.decoded` keeps for this segment is filed under it.
        self.token = token
        self._columns: dict[str, NDArray[np.int32]] = {}
        self._masks: dict[str, dict[str, int]] = {}
        self._types: NDArray[np.int16] | None = None
        self._newest: Docnums | None = None
        self.use(reader)

    def use(self, reader: SegmentReader) -> None:
        """Read through `reader` from now on (same documents, maybe more deleted)."""
        self.reader = reader
        self._deleted: int | None = None

    def column(self, name: str) -> NDArray[np.int32]:
        if name not in self._columns:
            values = np.zeros(self.size, dtype=np.int32)
            if self.reader.has_column(name):
                column = self.reader.column_reader(name, translate=False)
                found = _numbers(column)
                values = found if found is not None else np.fromiter(column, dtype=np.int32)
            self._columns[name] = values
        return self._columns[name]

    def masks(self, field: str) -> dict[str, int]:
        if field not in self._masks:
            self._masks[field] = {
                term: bitmask(_docnums(postings_of(self.reader, field, term)), self.size)
                for term in self.reader.field_terms(field)
            }
        return self._masks[field]

    def doc_types(self) -> NDArray[np.int16]:
        """Each document's type as an index into `DOC_TYPES` (-1: another or none)."""
        if self._types is None:
            types = np.full(self.size, -1, dtype=np.int16)
            masks = self.masks("doc_type")
            for index, doc_type in enumerate(DOC_TYPES):
                if masks.get(doc_type):
                    types[flags_of(masks[doc_type], self.size)] = index
            self._types = types
        return self._types

    def newest_keys(self) -> Docnums:
        """Sorted keys, newest first, ties by docnum: ``-minute << 32 | docnum``."""
        if self._newest is None:
            later = np.minimum(-self.column("minute").astype(np.int64), 2**31 - 1)
            keys = (later << 32) + np.arange(self.size, dtype=np.int64)
            self._newest = np.sort(keys)
        return self._newest

    def deleted(self) -> int:
        if self._deleted is None:
            # The segment's own set, not a look-up per document (80 ms per 500,000).
            gone = sorted(self.reader.deleted_docs_set) if self.reader.has_deletions() else []
            self._deleted = bitmask(gone, self.size)
        return self._deleted


class Snapshot:
    """One generation of the index: a searcher and per-document facts."""

    def __init__(self, generation: int, searcher: Searcher, leaves: list[SegmentFacts]) -> None:
        self.generation = generation
        self.searcher = searcher
        self.leaves = leaves
        self.offsets = list(accumulate((leaf.size for leaf in leaves), initial=0))[:-1]
        self.size = sum(leaf.size for leaf in leaves)
        self._columns: dict[str, NDArray[np.int32]] = {}
        self._newest: Docnums | None = None
        self._masks: dict[str, dict[str, int]] = {}
        self._live: int | None = None
        self._live_flags: NDArray[np.bool_] | None = None
        self._norms: dict[str, NDArray[np.float64]] = {}
        self._state: IndexState | None = None
        self._types: NDArray[np.int16] | None = None
        # Anything else worth keeping for this generation (names, vocabulary).
        self.memo: dict[str, Any] = {}
        # The previous generation's memo, for what can be checked and kept
        # rather than built again (set by `LiveIndex`).
        self.before: dict[str, Any] = {}

    @property
    def state(self) -> IndexState:
        if self._state is None:
            self._state = read_state(self.searcher)
        return self._state

    def column(self, name: str) -> NDArray[np.int32]:
        """A per-document number column (minute, title_len, ...), by docnum."""
        if name not in self._columns:
            parts = [leaf.column(name) for leaf in self.leaves]
            self._columns[name] = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        return self._columns[name]

    def newest_first(self) -> Docnums:
        """Every docnum, the most recently published first (ties: lower docnum first).

        Each segment's order is kept for as long as the segment lives; a new
        generation merges them (sorted runs: a merge, not a sort of everything).
        """
        if self._newest is None:
            runs = [
                leaf.newest_keys() + offset
                for leaf, offset in zip(self.leaves, self.offsets, strict=True)
            ]
            keys = runs[0] if len(runs) == 1 else np.sort(np.concatenate(runs), kind="stable")
            self._newest = keys & 0xFFFFFFFF if runs else np.zeros(0, np.int64)
        return self._newest

    def masks(self, field: str) -> dict[str, int]:
        """Value → bitmask of the documents carrying it (deleted ones too).

        The first segment's bitmasks are used as they are (its offset is 0):
        a new generation that adds a small segment to a large one combines
        only the small one's values, not every value of the large one.
        """
        if field not in self._masks:
            combined: dict[str, int] = {}
            for leaf, offset in zip(self.leaves, self.offsets, strict=True):
                if not offset and not combined:
                    combined.update(leaf.masks(field))
                    continue
                for term, mask in leaf.masks(field).items():
                    combined[term] = combined.get(term, 0) | (mask << offset)
            self._masks[field] = combined
        return self._masks[field]

    def mask(self, field: str, value: str) -> int:
        return self.masks(field).get(value, 0)

    @property
    def live(self) -> int:
        """Bitmask of the item documents that are not deleted."""
        if self._live is None:
            deleted = 0
            for leaf, offset in zip(self.leaves, self.offsets, strict=True):
                deleted |= leaf.deleted() << offset
            self._live = self.mask("kind", "item") & ~deleted
        return self._live

    def live_flags(self) -> NDArray[np.bool_]:
        """`live` as one bool per docnum."""
        if self._live_flags is None:
            self._live_flags = flags_of(self.live, self.size)
        return self._live_flags

    def norms(self, field: str, b: float) -> NDArray[np.float64]:
        """BM25F's length normalisation 1-b+b·len/average of every document, for one field."""
        if field not in self._norms:
            lengths = self.column(f"{field}_len").astype(np.float64)
            average = (lengths.mean() if len(lengths) else 0.0) or 1.0
            self._norms[field] = (1 - b) + (b / average) * lengths
        return self._norms[field]

    def doc_types(self) -> NDArray[np.int16]:
        """Each document's type as an index into `DOC_TYPES` (-1: another or none)."""
        if self._types is None:
            parts = [leaf.doc_types() for leaf in self.leaves]
            self._types = np.concatenate(parts) if parts else np.zeros(0, np.int16)
        return self._types

    def blocks(self, field: str, term: str) -> Iterator[tuple[Docnums, Any, Any]]:
        """The postings of a term as blocks of (docnums, weights, raw values).

        Deleted documents are in them: leave them out with `live_flags`.
        """
        for matcher, offset in self.matchers(field, term):
            yield from matcher_blocks(matcher, offset)

    def matchers(self, field: str, term: str) -> Iterator[tuple[Any, int]]:
        """(matcher, docnum offset) of each segment holding the term, deleted documents too."""
        for leaf, offset in zip(self.leaves, self.offsets, strict=True):
            if (field, term) in leaf.reader:
                yield postings_of(leaf.reader, field, term), offset


def matcher_blocks(matcher: Any, offset: int) -> Iterator[tuple[Docnums, Any, Any]]:
    """A segment's postings as blocks of (docnums + offset, weights, raw values)."""
    if isinstance(matcher, ArrayLeafMatcher):
        yield from matcher.blocks(offset)
        return
    # Postings of another layout: the ordinary, slower matcher API.
    docnums, weights, values = [], array("f"), []
    while matcher.is_active():
        docnums.append(matcher.id() + offset)
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    yield np.asarray(docnums, dtype=np.int64), weights, values


def _gone(tokens: list[int]) -> None:
    if tokens:
        for hook in SEGMENTS_GONE:
            hook(tokens)


class LiveIndex:
    """The open index of one folder; use `snapshot()` while holding `lock`.

    Searches in one process take turns on the lock: whoosh readers are not
    meant to be shared between threads, and a search takes milliseconds.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.RLock()
        self._ix: FileIndex | None = None
        self._current: Snapshot | None = None
        self._facts: dict[str, SegmentFacts] = {}
        self._files = MappedStorage(str(folder))

    def snapshot(self) -> Snapshot | None:
        """The newest committed generation, or None when there is no index.

        Raises `IndexUnreadable` when the index's files cannot be read (its
        table of contents, a segment, or the state document in it).
        """
        try:
            return self._snapshot()
        except IndexUnreadable:
            self.close()
            raise
        except UNREADABLE as exc:
            problem = unreadable(self.folder, exc)
            forget(exc)
        self.close()
        raise problem

    def _snapshot(self) -> Snapshot | None:
        if self._ix is None:
            self._ix = open_index(self.folder)
            if self._ix is None:
                return None
        generation = self._ix.latest_generation()
        if generation < 0:
            self.close()
            return None
        if self._current is None or self._current.generation != generation:
            opened = self._open(self._ix)
            if self._current is not None:
                opened.before = self._current.memo
            # Reading the state document now: a damaged store fails here, not mid-search.
            _ = opened.state
            self._current = opened
        return self._current

    def _open(self, ix: FileIndex) -> Snapshot:
        for attempt in range(5):
            try:
                toc = ix._read_toc()
                return self._assemble(ix, toc)
            except OSError:
                # A writer deleted the files of the generation we were opening.
                if attempt == 4:
                    raise
                time.sleep(0.05)
        raise AssertionError("unreachable")

    def _assemble(self, ix: FileIndex, toc: Any) -> Snapshot:
        facts: dict[str, SegmentFacts] = {}
        for segment in toc.segments:
            key = segment.segment_id()
            known = self._facts.get(key)
            if known is None:
                known = SegmentFacts(self._reader(toc, segment), next(_tokens))
            elif known.reader.segment().deleted_count() != segment.deleted_count():
                # Same documents, more of them deleted: a new reader, same facts.
                known.use(self._reader(toc, segment))
            facts[key] = known
        used = {id(f.reader) for f in facts.values()}
        for old in self._facts.values():
            if id(old.reader) not in used:
                old.reader.close()
        kept = {f.token for f in facts.values()}
        _gone([old.token for old in self._facts.values() if old.token not in kept])
        self._facts = facts
        leaves = list(facts.values())
        readers = [leaf.reader for leaf in leaves]
        if not readers:
            reader: Any = EmptyReader(toc.schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=toc.generation)
        searcher = Searcher(reader, fromindex=ix, closereader=False)
        return Snapshot(toc.generation, searcher, leaves)

    def _reader(self, toc: Any, segment: Any) -> SegmentReader:
        # Through `MappedStorage`: whoosh's own storage would copy each part it reads.
        return SegmentReader(self._files, toc.schema, segment, toc.generation)

    def close(self) -> None:
        for facts in self._facts.values():
            facts.reader.close()
        _gone([facts.token for facts in self._facts.values()])
        self._facts = {}
        self._current = None
        self._ix = None


_live: OrderedDict[str, LiveIndex] = OrderedDict()
_live_lock = threading.Lock()


def _forget_in_child() -> None:
    """A forked process opens its own indexes (gunicorn --preload forks after the
    app warmed up): readers must not share open files, or locks held by a thread
    of the parent, with it."""
    global _live, _live_lock
    _live, _live_lock = OrderedDict(), threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)


def live_index(folder: Path) -> LiveIndex:
    """This process's open index for `folder` (a few folders are kept open)."""
    key = str(folder)
    with _live_lock:
        found = _live.get(key)
        if found is None:
            found = _live[key] = LiveIndex(folder)
            while len(_live) > MAX_OPEN:
                _key, evicted = _live.popitem(last=False)
                with evicted.lock:
                    evicted.close()
        _live.move_to_end(key)
        return found
